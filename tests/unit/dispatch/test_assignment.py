"""Batch assignment: hand-checked optima, hard rules, reasons, and the exact optimum by scipy."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from core.dispatch.assignment import (
    LOAD_WEIGHT_M,
    NO_CAPACITY,
    NO_ELIGIBLE,
    UNASSIGNED_PENALTY,
    URGENCY_WEIGHT,
    Order,
    Technician,
    assign,
    distances_m,
    eligible,
    load_cost,
    unassigned_penalty,
)

HZ = "3301"
AC = frozenset({"空调"})
# Points on one meridian: 0.01 degree of latitude is about 1,112 m.
LNG, LAT = 120.0, 30.0


def order(i: int, dlat: float = 0.0, skills: frozenset[str] = AC, region: str = HZ,
          urgency: int = 0) -> Order:
    return Order(i, region, skills, LNG, LAT + dlat, urgency)


def tech(i: int, dlat: float = 0.0, capacity: int = 1, skills: frozenset[str] = AC,
         regions: frozenset[str] = frozenset({HZ}), load: int = 0, daily: int = 8) -> Technician:
    return Technician(i, regions, skills, LNG, LAT + dlat, capacity, load, daily)


def metres(dlat: float) -> int:
    return int(distances_m(np.array([LNG]), np.array([LAT]), np.array([LNG]),
                           np.array([LAT + dlat]))[0, 0])


def pairs(result) -> dict[int, int]:
    return {a.order_id: a.technician_id for a in result.assignments}


def test_crossing_beats_greedy():
    # Greedy (order 1 first takes its nearest, tech 10) leaves order 2 with the far tech 11;
    # the optimum gives order 1 the slightly farther tech 11 and order 2 tech 10.
    orders = [order(1, 0.0), order(2, 0.02)]
    techs = [tech(10, 0.01), tech(11, -0.011)]
    result = assign(orders, techs)
    assert pairs(result) == {1: 11, 2: 10}
    assert result.cost == metres(0.011) + metres(0.01)
    assert not result.unassigned


def test_capacity_shared_and_score_terms():
    orders = [order(1, 0.0), order(2, 0.0), order(3, 0.0)]
    techs = [tech(10, 0.01, capacity=2, load=4, daily=8), tech(11, 0.05)]
    result = assign(orders, techs)
    by_tech = [a.technician_id for a in result.assignments]
    assert sorted(by_tech) == [10, 10, 11]
    for a in result.assignments:
        load = LOAD_WEIGHT_M * 4 // 8 if a.technician_id == 10 else 0
        assert a.terms.load_cost == load
        assert a.terms.cost == a.terms.distance_m + a.terms.load_cost
    assert result.cost == sum(a.terms.cost for a in result.assignments)


def test_no_eligible_technician_gives_the_reason():
    orders = [order(1, skills=frozenset({"冰箱"})), order(2, region="3101"), order(3)]
    techs = [tech(10, capacity=5), tech(11, capacity=0)]
    result = assign(orders, techs)
    assert pairs(result) == {3: 10}
    reasons = {u.order_id: u.reason for u in result.unassigned}
    assert reasons == {1: NO_ELIGIBLE, 2: NO_ELIGIBLE}
    assert result.cost == 2 * UNASSIGNED_PENALTY


def test_short_capacity_leaves_the_least_urgent():
    orders = [order(1, 0.0, urgency=0), order(2, 0.05, urgency=2)]
    result = assign(orders, [tech(10, 0.0)])
    assert pairs(result) == {2: 10}  # farther, but more urgent
    assert [(u.order_id, u.reason) for u in result.unassigned] == [(1, NO_CAPACITY)]
    assert result.cost == metres(0.05) + UNASSIGNED_PENALTY
    assert URGENCY_WEIGHT > metres(0.05)


def test_sparse_graph_keeps_the_k_nearest():
    orders = [order(1, 0.0)]
    techs = [tech(10 + n, 0.01 * (n + 1)) for n in range(5)]
    result = assign(orders, techs, k=2)
    assert result.arcs == 2
    assert pairs(result) == {1: 10}


def test_full_nearest_technicians_widen_to_a_free_one():
    # k=1: both orders only see tech 10 (one slot); the second solve offers them tech 11.
    orders = [order(1, 0.0), order(2, 0.001)]
    techs = [tech(10, 0.0), tech(11, 0.2)]
    result = assign(orders, techs, k=1)
    assert pairs(result) == {1: 10, 2: 11}
    assert not result.unassigned


def test_empty_batch():
    assert assign([], [tech(1)]).cost == 0
    result = assign([order(1)], [])
    assert [u.reason for u in result.unassigned] == [NO_ELIGIBLE]


SKILLS = ("空调", "热水器", "洗衣机", "冰箱")
CITIES = ("3301", "3302", "3303")


def instance(n_orders: int, n_techs: int, seed: int) -> tuple[list[Order], list[Technician]]:
    """Orders and technicians in three cities about 30 km apart, a few skills, capacities 0-3."""
    rng = random.Random(seed)

    def spot(city: int) -> tuple[float, float]:
        return LNG + 0.3 * city + rng.uniform(-0.1, 0.1), LAT + rng.uniform(-0.1, 0.1)

    techs = []
    for t in range(n_techs):
        city = rng.randrange(len(CITIES))
        regions = frozenset([*rng.sample(CITIES, rng.randint(1, 2)), CITIES[city]])
        daily = rng.randint(1, 6)
        techs.append(Technician(t, regions, frozenset(rng.sample(SKILLS, rng.randint(1, 4))),
                                *spot(city), rng.randint(0, 3), rng.randint(0, daily), daily))
    orders = [Order(o, CITIES[c], frozenset(rng.sample(SKILLS, rng.randint(1, 2))), *spot(c),
                    rng.randint(0, 3))
              for o in range(n_orders) for c in [rng.randrange(len(CITIES))]]
    return orders, techs


def exact(orders: list[Order], techs: list[Technician]) -> int:
    """The optimum by linear_sum_assignment: one column per free technician slot."""
    columns = [t for t in techs for _ in range(max(t.capacity, 0))]
    width = max(len(columns), len(orders))  # surplus columns: the order stays unassigned
    matrix = np.array([[unassigned_penalty(o)] * width for o in orders], dtype=np.int64)
    if columns:
        dist = distances_m(np.array([o.lng for o in orders]), np.array([o.lat for o in orders]),
                           np.array([t.lng for t in columns]), np.array([t.lat for t in columns]))
        for i, o in enumerate(orders):
            for j, t in enumerate(columns):
                if eligible(o, t):
                    matrix[i, j] = dist[i, j] + load_cost(t)
    rows, cols = linear_sum_assignment(matrix)
    return int(matrix[rows, cols].sum())


def check(orders: list[Order], techs: list[Technician], result) -> None:
    by_id = {t.id: t for t in techs}
    orders_by_id = {o.id: o for o in orders}
    used: dict[int, int] = {}
    for a in result.assignments:
        assert eligible(orders_by_id[a.order_id], by_id[a.technician_id])
        used[a.technician_id] = used.get(a.technician_id, 0) + 1
    assert all(n <= by_id[t].capacity for t, n in used.items())
    ids = [a.order_id for a in result.assignments] + [u.order_id for u in result.unassigned]
    assert sorted(ids) == sorted(o.id for o in orders)
    assert all(u.reason in (NO_ELIGIBLE, NO_CAPACITY) for u in result.unassigned)
    assert result.cost == sum(a.terms.cost for a in result.assignments) + sum(
        u.penalty for u in result.unassigned)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(0, 12), st.integers(0, 2**32 - 1))
def test_matches_the_exact_optimum_when_k_covers_everyone(n_orders, n_techs, seed):
    orders, techs = instance(n_orders, n_techs, seed)
    result = assign(orders, techs, k=max(n_techs, 1))
    check(orders, techs, result)
    assert result.cost == exact(orders, techs)


def test_hard_rules_hold_on_a_sparse_graph():
    orders, techs = instance(400, 50, 7)
    check(orders, techs, assign(orders, techs, k=3))
