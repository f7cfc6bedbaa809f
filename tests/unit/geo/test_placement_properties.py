"""Placement never raises, and only ever answers with a county of the NBS 2023 list."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.geo.address import name_forms
from core.geo.placement import default_locator
from core.geo.regions import load_regions
from core.intake.model import Placement

COUNTIES = frozenset(r.adcode for r in load_regions().all("county"))
NAMES = sorted({written for r in load_regions().all() for written, _ in name_forms(r)})
METHODS = {"structured", "text", "hints", "unplaced"}

# Real names, their pieces and junk glued together reach the scoring paths random text never does.
pieces = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(lambda n: n[1:]),
                   st.text(max_size=6), st.sampled_from(["市", "区", "县", "路", "号", " "]))
addresses = st.one_of(st.text(), st.lists(pieces, max_size=8).map("".join))
fields = st.one_of(st.just(""), st.sampled_from(NAMES), st.text(max_size=12))


def assert_sane(placed: Placement) -> None:
    assert placed.adcode is None or placed.adcode in COUNTIES
    assert 0.0 <= placed.confidence <= 1.0
    assert placed.method in METHODS
    assert (placed.adcode is None) == (placed.method == "unplaced")
    if placed.adcode is not None:
        assert placed.county and placed.province
        assert placed.lng is not None and placed.lat is not None
    assert placed.note


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(address=addresses, province=fields, city=fields, district=fields)
def test_any_input_gives_a_sane_placement(
    address: str, province: str, city: str, district: str,
) -> None:
    assert_sane(default_locator().locate(address, province, city, district))


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=50), st.integers(min_value=1, max_value=3000))
def test_long_repeated_text_gives_a_sane_placement(chunk: str, times: int) -> None:
    assert_sane(default_locator().locate(chunk * times))
