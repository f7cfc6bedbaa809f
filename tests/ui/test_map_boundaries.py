"""The offline background: resources/regions/boundaries.geojson as the map page reads it."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from core.geo.regions import load_regions
from ui.map_page import BOUNDARIES

DEMO_CITIES = ("110100", "310100", "330100", "440100", "510100")


@pytest.fixture(scope="module")
def features() -> list[dict[str, Any]]:
    return list(json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"])


def test_file_stays_small() -> None:
    assert BOUNDARIES.stat().st_size < 2_000_000


def test_every_feature_names_its_region(features: list[dict[str, Any]]) -> None:
    props = [f["properties"] for f in features]

    assert all(p["adcode"] and p["name"] and p["level"] for p in props)
    assert len({(p["adcode"], p["level"]) for p in props}) == len(props)


def test_all_provinces_are_outlined(features: list[dict[str, Any]]) -> None:
    levels = Counter(f["properties"]["level"] for f in features)

    # 31 NBS provinces plus Taiwan, Hong Kong and Macau.
    assert levels["province"] == 34


@pytest.mark.parametrize("city", DEMO_CITIES)
def test_every_county_of_a_demo_city_is_drawn(features: list[dict[str, Any]], city: str) -> None:
    drawn = {f["properties"]["adcode"] for f in features if f["properties"]["level"] == "county"}

    expected = {c.adcode for c in load_regions().counties_of(city)}

    assert expected <= drawn
