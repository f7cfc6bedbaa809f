"""Candidate ranking: hard rules become plain-Chinese breaks (never dropped), goals a score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.dispatch.policy import RegionPolicy, Weights
from core.dispatch.ranking import Context, OrderNeeds, Technician, rank, rank_one
from core.geo.regions import load_regions

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHAOYANG, HAIDIAN, HUANGPU = "110105", "110108", "310101"
# Points on one meridian: 0.01 degree of latitude is about 1.1 km.
LNG, LAT = 116.45, 39.92


def needs(**changes: object) -> OrderNeeds:
    values: dict[str, object] = dict(county_adcode=CHAOYANG, skills=("aircon",), lng=LNG,
                                     lat=LAT, service_type="install")
    values.update(changes)
    return OrderNeeds(**values)  # type: ignore[arg-type]


def tech(i: int, dlat: float = 0.0, **changes: Any) -> Technician:
    values: dict[str, object] = dict(id=i, skills=("aircon",), county_adcode=CHAOYANG,
                                     home_lng=LNG, home_lat=LAT + dlat, daily_capacity=8,
                                     load_today=2, rating=4.8)
    values.update(changes)
    return Technician(**values)  # type: ignore[arg-type]


def test_an_eligible_technician_has_no_breaks_and_reasons_in_words() -> None:
    ranked = rank_one(needs(appointment_due=NOW + timedelta(minutes=40)), tech(1, 0.0288),
                      load_regions(), Context(now=NOW))

    assert ranked.eligible and ranked.breaks == []
    assert ranked.reasons == ["距离 3.2 公里", "今日 2/8 单", "评分 4.8", "时限余 40 分钟",
                              "同区县"]
    assert set(ranked.terms) == {"distance", "load", "rating", "sla", "ratio"}
    assert ranked.score == pytest.approx(sum(ranked.terms.values()), abs=0.2)


@pytest.mark.parametrize(
    ("order_changes", "tech_changes", "policy", "expected"),
    [
        ({}, {"skills": ("general",)}, RegionPolicy(), "缺少技能「空调」"),
        ({}, {}, RegionPolicy(required_skills={"install": ("空调安装",)}), "缺少技能「空调安装」"),
        ({}, {"county_adcode": HUANGPU}, RegionPolicy(), "不在订单所在城市"),
        ({}, {"load_today": 8}, RegionPolicy(), "今日已满 8/8 单"),
        ({}, {"home_lat": LAT + 0.6}, RegionPolicy(max_distance_km=50), "超出最远距离 50 公里"),
        ({}, {}, RegionPolicy(required_qualifications={"install": ("高空作业证",)}),
         "缺少资质「高空作业证」"),
        ({"refused_by": frozenset({1})}, {}, RegionPolicy(), "曾拒绝此单"),
    ],
)
def test_each_hard_rule_is_a_break_in_plain_chinese(
    order_changes: dict[str, object], tech_changes: dict[str, object], policy: RegionPolicy,
    expected: str,
) -> None:
    ranked = rank_one(needs(**order_changes), tech(1, 0.0, **tech_changes), load_regions(),
                      Context(policy=policy, now=NOW))

    assert ranked.breaks == [expected]
    assert not ranked.eligible


def test_a_qualification_the_technician_holds_is_no_break() -> None:
    policy = RegionPolicy(required_qualifications={"install": ("高空作业证",)})
    ranked = rank_one(needs(), tech(1, qualifications=("高空作业证",)), load_regions(),
                      Context(policy=policy))
    assert ranked.breaks == []


def test_another_county_of_the_same_city_is_allowed() -> None:
    ranked = rank_one(needs(), tech(1, county_adcode=HAIDIAN), load_regions())
    assert ranked.breaks == [] and "同城其他区县" in ranked.reasons


def test_rule_breakers_are_listed_after_every_eligible_one_never_dropped() -> None:
    techs = [tech(1, 0.001, skills=("general",)), tech(2, 0.2), tech(3, 0.05),
             tech(4, 0.0, load_today=8)]

    ranked = rank(needs(), techs, load_regions(), Context(now=NOW))

    assert [r.technician_id for r in ranked] == [3, 2, 1, 4]
    assert [r.eligible for r in ranked] == [True, True, False, False]


@pytest.mark.parametrize(
    ("weights", "best"),
    [(Weights(distance=100, load=0, rating=0, sla=0, ratio=0), 1),
     (Weights(distance=0, load=100, rating=0, sla=0, ratio=0), 2),
     (Weights(distance=0, load=0, rating=100, sla=0, ratio=0), 2)],
)
def test_the_policy_weights_decide_who_ranks_first(weights: Weights, best: int) -> None:
    near_busy = tech(1, 0.01, load_today=6, rating=4.0)
    far_free = tech(2, 0.15, load_today=0, rating=5.0)

    ranked = rank(needs(), [near_busy, far_free], load_regions(),
                  Context(policy=RegionPolicy(weights=weights)))

    assert ranked[0].technician_id == best


def test_a_near_deadline_makes_distance_count_more() -> None:
    order_relaxed = needs(appointment_due=NOW + timedelta(hours=10))
    order_urgent = needs(appointment_due=NOW - timedelta(minutes=5))
    far = tech(1, 0.15)

    relaxed = rank_one(order_relaxed, far, load_regions(), Context(now=NOW))
    urgent = rank_one(order_urgent, far, load_regions(), Context(now=NOW))

    assert urgent.terms["sla"] < relaxed.terms["sla"]
    assert "已超时 5 分钟" in urgent.reasons


def test_the_ratio_goal_favours_the_point_below_its_share() -> None:
    policy = RegionPolicy(point_shares={"a": 60, "b": 40})
    ctx = Context(policy=policy, point_counts={"a": 9, "b": 1})
    a, b = tech(1, point_key="a"), tech(2, point_key="b")

    ranked = rank(needs(), [a, b], load_regions(), ctx)

    assert ranked[0].technician_id == 2
    assert ranked[0].terms["ratio"] > ranked[1].terms["ratio"]


def test_an_order_without_a_location_still_ranks() -> None:
    ranked = rank_one(needs(lng=None, lat=None, county_adcode=None), tech(1), load_regions())
    assert ranked.distance_km is None and "订单还没有位置" in ranked.reasons
    assert "不在订单所在城市" in ranked.breaks


def test_who_refused_this_order_goes_last_with_the_count_even_when_all_break_rules() -> None:
    # Issue 13: every candidate broke a rule and the top one had refused this order 8 times.
    refuser = tech(1, 0.0)  # nearest, free, best rated: the top score
    full = tech(2, 0.02, load_today=8)
    shanghai = tech(3, 0.0, county_adcode=HUANGPU)
    once = tech(4, 0.01)

    ranked = rank(needs(refused_by={1: 8, 4: 1}), [refuser, full, shanghai, once],
                  load_regions(), Context(now=NOW))

    assert [r.technician_id for r in ranked] == [2, 3, 4, 1]
    assert ranked[-1].refused_times == 8 and ranked[-1].breaks == ["曾拒绝此单 8 次"]
    assert ranked[-2].refused_times == 1 and ranked[0].refused_times == 0


def test_rule_breakers_of_the_city_come_before_other_cities_fewest_rules_first() -> None:
    techs = [tech(1, 0.0, county_adcode=HUANGPU), tech(2, 0.05, load_today=8,
                                                      skills=("general",)),
             tech(3, 0.1, load_today=8), tech(4, 0.2)]

    ranked = rank(needs(), techs, load_regions(), Context(now=NOW))

    assert [r.technician_id for r in ranked] == [4, 3, 2, 1]
    assert [len(r.breaks) for r in ranked] == [0, 1, 2, 1]


def test_other_cities_can_be_left_out_unless_the_order_has_no_county() -> None:
    techs = [tech(1, county_adcode=HUANGPU), tech(2, county_adcode=HAIDIAN), tech(3)]

    city = rank(needs(), techs, load_regions(), other_cities=False)
    unknown = rank(needs(county_adcode=None), techs, load_regions(), other_cities=False)

    assert sorted(r.technician_id for r in city) == [2, 3]
    assert sorted(r.technician_id for r in unknown) == [1, 2, 3]
