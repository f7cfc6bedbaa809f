"""Batch assignment as production runs it (core.dispatch.central.place): the exact optimum of
its own costs (scipy's linear_sum_assignment), hard rules on a sparse graph, the wider solve."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from test_engine_support import COUNTY, NOW, order, snapshot, tech

from core.dispatch import central, central_candidates
from core.dispatch.round_model import Snapshot, Tech, WaitingOrder
from core.geo.distance import haversine_km

OTHER = "330206"  # another city: its technicians may not take COUNTY's orders
SKILLS = ("aircon", "water_heater", "kitchen")


def exact(batch: central.Batch, techs: list[Tech]) -> int:
    """The optimum by linear_sum_assignment on central's pair costs: one column per free slot
    of each technician (ineligible: forbidden), one column per order at its penalty."""
    n = len(batch.orders)
    columns = [t for t, tech_ in enumerate(techs) for _ in range(tech_.capacity_left)]
    matrix = np.full((n, len(columns) + n), np.inf)
    matrix[:, len(columns):] = np.array(batch.penalties, dtype=np.float64)[:, None]
    for row in range(n):
        opts = batch.options(row)
        cost = dict(zip(opts.tech.tolist(), opts.cost.tolist(), strict=True))
        for col, t in enumerate(columns):
            if t in cost:
                matrix[row, col] = cost[t]
    rows, cols = linear_sum_assignment(matrix)
    return round(float(matrix[rows, cols].sum()))


def check_rules(orders: list[WaitingOrder], snap: Snapshot, result: central.CentralResult) -> None:
    """Every order placed or unplaced once; no rule broken; no capacity exceeded."""
    ids = sorted([p.order.id for p in result.placed] + [u.order.id for u in result.unplaced])
    assert ids == sorted(o.id for o in orders)
    used: dict[int, int] = {}
    for p in result.placed:
        policy = snap.policy(p.order.county)
        skills, quals = central_candidates.needs(p.order, policy)
        assert p.tech.city == p.order.city and skills <= p.tech.skills
        assert quals <= p.tech.qualifications and p.tech.id not in p.order.excluded
        if policy.max_distance_km and p.order.lng is not None and p.order.lat is not None:
            km = haversine_km(p.order.lng, p.order.lat, p.tech.lng, p.tech.lat)
            assert km <= policy.max_distance_km + 0.001
        used[p.tech.id] = used.get(p.tech.id, 0) + 1
    assert all(n <= t.capacity_left for t in snap.technicians for n in [used.get(t.id, 0)])
    assert all(u.reason for u in result.unplaced)


@st.composite
def instances(draw: st.DrawFn) -> Snapshot:
    """Up to 12 orders and 8 technicians in two cities, a few metres to 60 km apart: skills,
    certificates, refusals, loads, ratings, SLA and some orders without coordinates. The
    policy sets no point shares, so every pair's cost is a constant (a linear problem)."""
    techs = []
    for i in range(draw(st.integers(0, 8))):
        daily = draw(st.integers(1, 4))
        techs.append(tech(
            100 + i, draw(st.integers(-50, 50)) / 100, capacity=daily,
            load=draw(st.integers(0, daily)), county=draw(st.sampled_from((COUNTY, OTHER))),
            skills=draw(st.lists(st.sampled_from(SKILLS), min_size=1, unique=True)),
            rating=draw(st.integers(30, 50)) / 10,
            qualifications=draw(st.sampled_from(((), ("高空作业证",))))))
    ids = [t.id for t in techs]
    orders = []
    for i in range(draw(st.integers(1, 12))):
        nowhere: dict[str, Any] = {"lng": None, "lat": None}
        located = draw(st.booleans()) or draw(st.booleans())
        orders.append(order(
            i + 1, draw(st.integers(-50, 50)) / 100,
            county=draw(st.sampled_from((COUNTY, OTHER))),
            skills=draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True)),
            acceptance_due=NOW + timedelta(minutes=draw(st.integers(-30, 60))),
            excluded=frozenset(draw(st.sets(st.sampled_from(ids))) if ids else ()),
            **({} if located else nowhere)))
    body = {
        "max_distance_km": draw(st.sampled_from((0, 20, 50))),
        "weights": {"distance": draw(st.integers(0, 60)), "load": draw(st.integers(0, 40)),
                    "rating": draw(st.integers(0, 30)), "sla": draw(st.integers(1, 40))},
        "required_qualifications": draw(st.sampled_from(({}, {"install": ["高空作业证"]}))),
    }
    return snapshot(orders, techs, body=body)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_place_reaches_the_exact_optimum_of_its_costs(snap):
    orders = list(snap.orders)
    result = central.place(orders, snap)
    check_rules(orders, snap, result)
    batch, unplaced, techs = central.candidates(orders, snap)
    assert result.cost == (exact(batch, techs) if batch.orders else 0)
    assert result.cost == sum(p.terms["cost"] for p in result.placed) + sum(
        penalty for o, penalty in zip(batch.orders, batch.penalties, strict=True)
        if o.id in {u.order.id for u in result.unplaced})
    assert {u.order.id for u in unplaced} <= {u.order.id for u in result.unplaced}


@settings(max_examples=40, deadline=None)
@given(instances(), st.integers(1, 3))
def test_a_sparse_graph_keeps_the_rules_and_never_beats_the_optimum(snap, k):
    orders = list(snap.orders)
    result = central.place(orders, snap, pairs_per_order=k)
    check_rules(orders, snap, result)
    batch, _, techs = central.candidates(orders, snap)
    assert result.cost >= (exact(batch, techs) if batch.orders else 0)
    assert result.arcs <= int(batch.count.sum())


def test_the_sparse_graph_keeps_each_orders_cheapest_candidates():
    orders = [order(1)]
    techs = [tech(10 + n, 0.01 * (n + 1)) for n in range(5)]
    result = central.place(orders, snapshot(orders, techs), pairs_per_order=2)
    assert result.arcs == 2 and result.solves == 1
    assert [p.tech.id for p in result.placed] == [10]


def test_full_cheapest_candidates_widen_to_a_free_one():
    # k=1: both orders only see tech 10 (one slot); the second solve offers them tech 11.
    orders = [order(1, 0.0), order(2, 0.001)]
    techs = [tech(10, 0.0, capacity=1), tech(11, 0.2, capacity=1)]
    result = central.place(orders, snapshot(orders, techs), pairs_per_order=1)
    assert {p.order.id: p.tech.id for p in result.placed} == {1: 10, 2: 11}
    assert not result.unplaced and result.solves == 2


def test_no_second_solve_when_the_left_out_candidates_are_full():
    orders = [order(1, 0.0), order(2, 0.001)]
    techs = [tech(10, 0.0, capacity=1), tech(11, 0.2, capacity=1, load=1)]
    result = central.place(orders, snapshot(orders, techs), pairs_per_order=1)
    assert len(result.placed) == 1 and result.solves == 1
    assert [str(u.reason) for u in result.unplaced] == [
        "符合条件的师傅今日已满额 (every eligible technician is full today)"]


def test_candidates_give_the_solve_its_costs_cheapest_first():
    orders = [order(1), order(2, lng=None, lat=None)]
    techs = [tech(10, 0.05), tech(11, 0.01, load=7), tech(12, 0.02, county=OTHER)]
    batch, unplaced, all_techs = central.candidates(orders, snapshot(orders, techs))
    assert not unplaced and [o.id for o in batch.orders] == [1, 2]
    first, second = batch.options(0), batch.options(1)
    # Tech 11 is nearer but nearly full: the load goal outweighs 4 km. Tech 12's city differs.
    assert [all_techs[t].id for t in first.tech] == [10, 11]
    assert first.cost[0] < first.cost[1]
    assert (first.goals.sum(axis=1) == first.cost).all()
    assert np.isnan(second.km).all()
    assert all(p >= central_candidates.UNASSIGNED for p in batch.penalties)
