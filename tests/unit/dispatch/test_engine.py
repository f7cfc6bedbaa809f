"""Central dispatch in the planner: hard rules, weighted goals, ratios, one joint solve."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import COUNTY, NOW, order, snapshot, tech

from core.dispatch.engine import plan
from core.dispatch.round_model import (
    CENTRAL_EXHAUSTED,
    NO_ELIGIBLE,
    Assign,
    Escalate,
    Point,
)
from core.orders.lifecycle import DispatchMode, ServiceType


def assigned(p) -> dict[int, int]:
    return {d.order_id: d.technician_id for d in p.decisions if isinstance(d, Assign)}


def escalations(p) -> dict[int, Escalate]:
    return {d.order_id: d for d in p.decisions if isinstance(d, Escalate)}


def test_an_assignment_carries_its_terms_and_a_chinese_reason():
    result = plan(snapshot([order(1, 0.0)], [tech(10, 0.02875, load=1)]))
    (decision,) = [d for d in result.decisions if isinstance(d, Assign)]
    assert decision.technician_id == 10
    assert decision.accept_by == NOW + timedelta(minutes=30)
    assert decision.terms["distance_km"] == pytest.approx(3.2, abs=0.05)
    assert decision.terms["load"] == 2 and decision.terms["daily_capacity"] == 8
    assert decision.terms["sla_minutes"] == 40
    assert set(decision.terms["goals"]) == {"distance", "load", "rating", "sla"}
    assert decision.reason == ("中心派单：距离 3.2 公里；今日 2/8 单；评分 4.8；时限余 40 分钟 "
                               "(central dispatch: 3.2 km away; 2/8 orders today; rating 4.8; "
                               "40 min left)")


def test_joint_optimum_beats_greedy_by_order():
    # Greedy in order: order 1 takes its nearest (tech 10, 1.1 km), leaving order 2 with
    # tech 11 far away. Jointly, order 1 takes tech 11 (2.2 km) and order 2 tech 10.
    orders = [order(1, 0.0), order(2, 0.03)]
    techs = [tech(10, 0.01, capacity=1), tech(11, -0.02, capacity=1)]
    assert assigned(plan(snapshot(orders, techs))) == {1: 11, 2: 10}


def test_goals_rank_but_hard_rules_decide():
    # The nearest technician lacks the skill; the second nearest is from another city.
    orders = [order(1)]
    techs = [tech(10, 0.001, skills=("general",)), tech(11, 0.002, county="330206"),
             tech(12, 0.05)]
    assert assigned(plan(snapshot(orders, techs))) == {1: 12}


def test_load_and_rating_pull_towards_the_less_busy_better_rated():
    orders = [order(1)]
    techs = [tech(10, 0.01, load=7, rating=3.0), tech(11, 0.012, load=0, rating=4.9)]
    assert assigned(plan(snapshot(orders, techs))) == {1: 11}


def test_policy_required_qualification_is_a_hard_rule():
    body = {"required_qualifications": {"install": ["高空作业证"]}}
    techs = [tech(10, 0.001), tech(11, 0.04, qualifications=("高空作业证",))]
    assert assigned(plan(snapshot([order(1)], techs, body=body))) == {1: 11}


def test_distance_limit_is_a_hard_rule_with_the_reason():
    body = {"max_distance_km": 5}
    result = plan(snapshot([order(1)], [tech(10, 0.1)], body=body))
    escalated = escalations(result)[1]
    assert escalated.code == NO_ELIGIBLE and escalated.mode is DispatchMode.MANUAL
    assert "5 公里以外（最近 11.1 公里）" in escalated.reason


@pytest.mark.parametrize(("techs", "body", "words"), [
    ([tech(10, skills=("general",))], None, "本区域没有具备「空调」技能的师傅"),
    ([tech(10, county="330206")], None, "本市没有在岗师傅"),
    ([tech(10)], {"required_skills": {"install": ["water_heater"]}}, "「热水器」"),
    ([tech(10)], {"required_qualifications": {"install": ["电工证"]}}, "没有「电工证」资质"),
])
def test_nobody_eligible_goes_to_a_person_with_the_rule(techs, body, words):
    escalated = escalations(plan(snapshot([order(1)], techs, body=body)))[1]
    assert escalated.code == NO_ELIGIBLE
    assert words in escalated.reason


def test_refusers_are_never_offered_the_order_again():
    techs = [tech(10, 0.001), tech(11, 0.05)]
    assert assigned(plan(snapshot([order(1, excluded=frozenset({10}))], techs))) == {1: 11}
    alone = plan(snapshot([order(1, excluded=frozenset({10}))], techs[:1]))
    assert "都已拒过此单" in escalations(alone)[1].reason


def test_full_capacity_waits_until_the_auto_stage_ends():
    techs = [tech(10, capacity=1)]
    fresh = plan(snapshot([order(1, since_minutes=1), order(2, since_minutes=1)], techs))
    assert len(assigned(fresh)) == 1 and fresh.waiting == 1 and not escalations(fresh)
    late = plan(snapshot([order(1, since_minutes=6), order(2, since_minutes=6)], techs))
    (moved,) = escalations(late).values()
    assert moved.code == CENTRAL_EXHAUSTED and moved.mode is DispatchMode.GRAB
    assert moved.reason == ("中心派单 5 分钟内未能派出（符合条件的师傅今日已满额），转抢单池 "
                            "(central dispatch found nobody in 5 min (every eligible "
                            "technician is full today); to the grab pool)")


def test_short_capacity_places_the_most_urgent_order_first():
    orders = [order(1, acceptance_due=NOW + timedelta(minutes=50)),
              order(2, acceptance_due=NOW - timedelta(minutes=5))]
    assert assigned(plan(snapshot(orders, [tech(10, capacity=1)]))) == {2: 10}


def test_point_capacity_caps_its_technicians():
    points = [Point("p1", COUNTY, daily_capacity=3, assigned_today=2)]
    techs = [tech(10, point="p1"), tech(11, 0.05)]
    result = plan(snapshot([order(1), order(2)], techs, points=points))
    assert sorted(assigned(result).values()) == [10, 11]


def _ratio_round(today: dict[tuple[str, str], int], n: int) -> dict[str, int]:
    body = {"point_shares": {"a": 60, "b": 40}}
    points = [Point("a", COUNTY), Point("b", COUNTY)]
    techs = [tech(10, 0.01, point="a", capacity=50), tech(11, 0.01, point="b", capacity=50)]
    result = plan(snapshot([order(i) for i in range(1, n + 1)], techs, body=body,
                           points=points, assigned_today=today))
    counts = {"a": 0, "b": 0}
    for decision in result.decisions:
        if isinstance(decision, Assign):
            counts["a" if decision.technician_id == 10 else "b"] += 1
    return counts


def test_ratio_splits_a_batch_sixty_forty():
    assert _ratio_round({}, 10) == {"a": 6, "b": 4}


def test_ratio_makes_up_for_the_day_so_far():
    # Point a already has all 10 of today's orders; of 20 by the end of the batch its 60% is
    # 12 and b's 40% is 8, so b takes 8 and a only 2.
    assert _ratio_round({(COUNTY, "a"): 10}, 10) == {"a": 2, "b": 8}


def test_ratio_is_shown_in_the_reason():
    body = {"point_shares": {"a": 60, "b": 40}}
    points = [Point("a", COUNTY), Point("b", COUNTY)]
    techs = [tech(10, 0.01, point="a"), tech(11, 0.01, point="b")]
    result = plan(snapshot([order(1)], techs, body=body, points=points,
                           assigned_today={(COUNTY, "a"): 1, (COUNTY, "b"): 1}))
    (decision,) = [d for d in result.decisions if isinstance(d, Assign)]
    assert decision.technician_id == 10
    assert "；网点比例 67%/60% (" in decision.reason
    assert decision.reason.endswith("; service point share 67%/60%)")


def test_orders_without_coordinates_are_still_placed():
    result = plan(snapshot([order(1, lng=None, lat=None)], [tech(10)]))
    (decision,) = [d for d in result.decisions if isinstance(d, Assign)]
    assert decision.terms["distance_km"] is None and "距离未知" in decision.reason


def test_after_sales_skills_come_from_the_policy():
    body = {"required_skills": {"repair": ["general"]}, "escalate": []}
    techs = [tech(10, 0.001, skills=("aircon",)), tech(11, 0.03)]
    result = plan(snapshot([order(1, service_type=ServiceType.REPAIR)], techs, body=body))
    assert assigned(result) == {1: 11}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-30, 30), st.integers(1, 3)), min_size=1, max_size=6),
       st.lists(st.integers(-30, 30), min_size=1, max_size=8))
def test_never_over_capacity_and_every_order_accounted_for(techs_raw, orders_raw):
    techs = [tech(100 + i, d / 1000, capacity=c) for i, (d, c) in enumerate(techs_raw)]
    orders = [order(i + 1, d / 1000) for i, d in enumerate(orders_raw)]
    result = plan(snapshot(orders, techs))
    placed = assigned(result)
    for t in techs:
        assert list(placed.values()).count(t.id) <= t.daily_capacity
    assert len(placed) == min(len(orders), sum(t.daily_capacity for t in techs))
    assert len(placed) + result.waiting == len(orders)
