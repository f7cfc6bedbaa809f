"""Region names as people write them: short forms, cleaning, and scanning a text for names."""

from __future__ import annotations

import pytest

from core.geo.address import Form, NameIndex, clean, name_forms
from core.geo.regions import Region, load_regions


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return NameIndex(load_regions())


def region(adcode: str) -> Region:
    found = load_regions().get(adcode)
    assert found is not None
    return found


@pytest.mark.parametrize(("adcode", "expected"), [
    ("330000", {("浙江省", Form.FULL), ("浙江", Form.SHORT)}),
    ("450000", {("广西壮族自治区", Form.FULL), ("广西", Form.SHORT)}),
    ("150000", {("内蒙古自治区", Form.FULL), ("内蒙", Form.ALIAS), ("内蒙古", Form.SHORT)}),
    ("422800", {("恩施土家族苗族自治州", Form.FULL), ("恩施州", Form.ALIAS), ("恩施", Form.SHORT)}),
    ("420528", {("长阳土家族自治县", Form.FULL), ("长阳县", Form.ALIAS), ("长阳", Form.SHORT)}),
    ("150723", {("鄂伦春自治旗", Form.FULL), ("鄂伦春旗", Form.ALIAS)}),
    ("150724", {("鄂温克族自治旗", Form.FULL), ("鄂温克旗", Form.ALIAS)}),
    ("450328", {("龙胜各族自治县", Form.FULL), ("龙胜县", Form.ALIAS), ("龙胜", Form.SHORT)}),
    ("152200", {("兴安盟", Form.FULL), ("兴安", Form.SHORT)}),
    ("310115", {("浦东新区", Form.FULL), ("浦东", Form.SHORT)}),
    ("429021", {("神农架林区", Form.FULL), ("神农架", Form.SHORT)}),
    ("140302", {("城区", Form.FULL)}),  # no one-character short form
])
def test_name_forms(adcode: str, expected: set[tuple[str, Form]]) -> None:
    assert set(name_forms(region(adcode))) == expected


def test_clean_drops_separators_controls_and_bounds_the_length() -> None:
    assert clean(" 浙江 杭州-西湖区，\x00\u200b文三路【1号】", 100) == "浙江杭州西湖区文三路1号"
    assert clean("杭" * 1000, 10) == "杭" * 10
    assert clean(None, 10) == ""


def test_scan_finds_overlapping_and_inner_names(names: NameIndex) -> None:
    found = [(m.start, m.end, m.inner) for m in names.scan("青岛市南区")]

    assert (0, 3, False) in found and (2, 5, False) in found


def test_scan_keeps_a_name_inside_a_longer_one_as_inner(names: NameIndex) -> None:
    found = {("信阳新县"[m.start:m.end], m.inner) for m in names.scan("信阳新县")}

    assert ("阳新县", False) in found and ("新县", True) in found


def test_scan_skips_a_bare_name_that_starts_a_road(names: NameIndex) -> None:
    assert [m for m in names.scan("中山路100号") if m.start == 0] == []
    assert [m.end for m in names.scan("广东中山市") if m.start == 2] == [5]


def test_lookup_ignores_placeholders_and_scans_long_values(names: NameIndex) -> None:
    assert names.lookup("市辖区").hits == ()
    looked_up = {h.region.adcode for h in names.lookup("浙江省杭州市").hits}
    assert {"330000", "330100"} <= looked_up
