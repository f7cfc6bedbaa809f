"""A candidate's reasons and rule breaks come in English too, item for item (the console shows
the person's language: console.models.dispatch.candidates.in_language)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.dispatch.policy import RegionPolicy
from core.dispatch.ranking import Context, OrderNeeds, Technician, rank_one
from core.geo.regions import load_regions

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHAOYANG, HUANGPU = "110105", "310101"
LNG, LAT = 116.45, 39.92


def test_reasons_and_breaks_in_english_item_for_item() -> None:
    order = OrderNeeds(county_adcode=CHAOYANG, skills=("aircon",), lng=LNG, lat=LAT,
                       service_type="install", appointment_due=NOW - timedelta(minutes=5),
                       refused_by=frozenset({1}))
    far = Technician(id=1, skills=("general",), county_adcode=HUANGPU, home_lng=LNG,
                     home_lat=LAT + 0.0288, daily_capacity=2, load_today=2, rating=4.8)
    ranked = rank_one(order, far, load_regions(), Context(policy=RegionPolicy(), now=NOW))

    assert ranked.reasons == ["距离 3.2 公里", "今日 2/2 单", "评分 4.8", "已超时 5 分钟"]
    assert ranked.reasons_en == ["3.2 km away", "2/2 orders today", "rating 4.8",
                                 "5 min overdue"]
    assert len(ranked.breaks_en) == len(ranked.breaks) >= 3
    assert "the order is in another city" in ranked.breaks_en
    assert "refused or let this order time out before" in ranked.breaks_en
    assert not any("\u4e00" <= ch <= "\u9fff" for text in ranked.breaks_en for ch in text)
