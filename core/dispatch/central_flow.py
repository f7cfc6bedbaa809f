"""The min-cost flow behind central dispatch, with service points and convex ratio costs.

    source -> order            cap 1, cost 0
    order  -> technician       cap 1, cost = the pair's weighted goals (eligible pairs only)
    order  -> sink             cap 1, cost = the order's unassigned penalty (keeps it feasible)
    technician -> point        cap = the technician's capacity left (or -> sink without a point)
    point  -> sink             one arc per further order, cost = that order's marginal ratio
                               cost (non-decreasing, so the flow fills them in order: a convex
                               cost of the point's deviation from its share), total capped by
                               the point's capacity left

One solve places every order it can at once, so an order is never placed by arrival order at
another's expense (no greedy loop). The arcs are built as arrays (no Python loop per pair), so
10,000 orders with 60 candidates each cost little more than the solve itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

Ints = Sequence[int] | npt.NDArray[np.int64]


@dataclass
class FlowProblem:
    penalties: Ints  # per order: the cost of leaving it unassigned
    pair_order: Ints = field(default_factory=list)
    pair_tech: Ints = field(default_factory=list)
    pair_cost: Ints = field(default_factory=list)
    tech_capacity: Ints = field(default_factory=list)
    tech_point: Ints = field(default_factory=list)  # point index, -1: none
    # Per point: the marginal cost of each further order (len = most it may take), or a
    # single capacity with no cost (point_free, used when marginals is None).
    point_marginals: list[list[int] | None] = field(default_factory=list)
    point_free: list[int] = field(default_factory=list)
    # Optional, per technician: a label such that no order and no point spans two labels
    # (e.g. the city). Each label's part is then solved on its own: the same optimum, sooner.
    tech_group: Ints = field(default_factory=list)


@dataclass(frozen=True)
class FlowResult:
    chosen: dict[int, int]  # order index -> technician index
    cost: int
    pairs: dict[int, int] = field(default_factory=dict)  # order index -> its pair's position


IntArray = npt.NDArray[np.int64]


def _ints(values: Ints) -> IntArray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def solve(problem: FlowProblem) -> FlowResult:
    n_o, n_t, n_p = len(problem.penalties), len(problem.tech_capacity), len(problem.point_free)
    if n_o == 0:
        return FlowResult({}, 0)
    pair_order, pair_tech = _ints(problem.pair_order), _ints(problem.pair_tech)
    capacity, point = _ints(problem.tech_capacity), _ints(problem.tech_point)
    if not len(pair_order) == len(pair_tech) == len(problem.pair_cost) or len(point) != n_t:
        raise ValueError("pairs or technicians given with mismatched lengths")
    penalties = _ints(problem.penalties)
    arrays = _Arrays(penalties, pair_order, pair_tech, _ints(problem.pair_cost), capacity, point)
    parts = _parts(problem, pair_order, pair_tech, point)
    if parts is None:
        return _solve_part(problem, arrays, np.arange(n_o), np.arange(len(pair_order)),
                           np.arange(n_t), np.arange(n_p))
    chosen: dict[int, int] = {}
    pairs: dict[int, int] = {}
    has_pair = np.zeros(n_o, dtype=bool)
    has_pair[pair_order] = True
    cost = int(penalties[~has_pair].sum())  # no technician at all: unassigned
    for orders, pair_ids, techs, points in parts:
        part = _solve_part(problem, arrays, orders, pair_ids, techs, points)
        chosen.update(part.chosen)
        pairs.update(part.pairs)
        cost += part.cost
    return FlowResult(chosen, cost, pairs)


Part = tuple[IntArray, IntArray, IntArray, IntArray]  # orders, pairs, technicians, points


@dataclass(frozen=True)
class _Arrays:
    """The problem's per-order, per-pair and per-technician lists as arrays."""

    penalties: IntArray
    pair_order: IntArray
    pair_tech: IntArray
    pair_cost: IntArray
    capacity: IntArray
    point: IntArray


def _parts(problem: FlowProblem, pair_order: IntArray, pair_tech: IntArray,
           point: IntArray) -> list[Part] | None:
    """The independent parts by tech_group, or None to solve it whole (no labels, one label,
    or labels that an order or a point spans)."""
    group = _ints(problem.tech_group)
    if len(group) != len(point) or not len(pair_order):
        return None
    labels, tech_part = np.unique(group, return_inverse=True)
    if labels.size < 2:
        return None
    n_o, n_parts = len(problem.penalties), labels.size
    pair_part = tech_part[pair_tech]
    low, high = np.full(n_o, n_parts), np.full(n_o, -1)
    np.minimum.at(low, pair_order, pair_part)
    np.maximum.at(high, pair_order, pair_part)
    n_p = len(problem.point_free)
    p_low, p_high = np.full(n_p, n_parts), np.full(n_p, -1)
    pointed = point >= 0
    np.minimum.at(p_low, point[pointed], tech_part[pointed])
    np.maximum.at(p_high, point[pointed], tech_part[pointed])
    if ((high >= 0) & (low != high)).any() or ((p_high >= 0) & (p_low != p_high)).any():
        return None
    order_part = np.where(high >= 0, high, -1)
    by_pair = np.argsort(pair_part, kind="stable")
    pair_cuts = np.searchsorted(pair_part[by_pair], np.arange(n_parts + 1))
    by_tech = np.argsort(tech_part, kind="stable")
    tech_cuts = np.searchsorted(tech_part[by_tech], np.arange(n_parts + 1))
    point_part = np.where(p_high >= 0, p_high, -1)
    parts = []
    for g in range(n_parts):
        orders = np.flatnonzero(order_part == g)
        if orders.size:
            parts.append((orders, by_pair[pair_cuts[g]:pair_cuts[g + 1]],
                          by_tech[tech_cuts[g]:tech_cuts[g + 1]], np.flatnonzero(point_part == g)))
    return parts


def _solve_part(problem: FlowProblem, arrays: _Arrays, orders: IntArray, pair_ids: IntArray,
                techs: IntArray, points: IntArray) -> FlowResult:
    """One min-cost flow over the given orders, pairs, technicians and points (indices into
    the problem), numbered afresh; the result in the problem's indices."""
    n_o, n_t, n_p = orders.size, techs.size, points.size
    source, sink = n_o + n_t + n_p, n_o + n_t + n_p + 1
    order_at = np.full(arrays.penalties.size, -1, dtype=np.int64)
    order_at[orders] = np.arange(n_o)
    tech_at = np.full(arrays.capacity.size, -1, dtype=np.int64)
    tech_at[techs] = np.arange(n_t)
    point_at = np.full(len(problem.point_free) + 1, -1, dtype=np.int64)  # [-1]: no point
    point_at[points] = np.arange(n_p)
    pair_order, pair_tech = arrays.pair_order[pair_ids], arrays.pair_tech[pair_ids]
    capacity, point = arrays.capacity[techs], point_at[arrays.point[techs]]
    open_techs = np.flatnonzero(capacity > 0)
    point_tails: list[int] = []
    point_caps: list[int] = []
    point_costs: list[int] = []
    for n, p in enumerate(points.tolist()):
        marginals = problem.point_marginals[p]
        if marginals is None:
            if problem.point_free[p] > 0:
                point_tails.append(n_o + n_t + n)
                point_caps.append(problem.point_free[p])
                point_costs.append(0)
            continue
        point_tails.extend([n_o + n_t + n] * len(marginals))
        point_caps.extend([1] * len(marginals))
        point_costs.extend(marginals)
    n_pairs, n_pt = pair_ids.size, len(point_tails)
    local = np.arange(n_o, dtype=np.int64)
    # Arcs in this order: source -> order, pairs, order -> sink, technicians, points.
    tails = np.concatenate([np.full(n_o, source), order_at[pair_order], local, n_o + open_techs,
                            np.array(point_tails, np.int64)])
    heads = np.concatenate([local, n_o + tech_at[pair_tech], np.full(n_o, sink),
                            np.where(point[open_techs] < 0, sink, n_o + n_t + point[open_techs]),
                            np.full(n_pt, sink)])
    caps = np.concatenate([np.ones(n_o + n_pairs + n_o, np.int64), capacity[open_techs],
                           np.array(point_caps, np.int64)])
    costs = np.concatenate([np.zeros(n_o, np.int64), arrays.pair_cost[pair_ids],
                            arrays.penalties[orders], np.zeros(open_techs.size, np.int64),
                            np.array(point_costs, np.int64)])
    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps, costs)
    flow.set_node_supply(source, n_o)
    flow.set_node_supply(sink, -n_o)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    chosen: dict[int, int] = {}
    pairs: dict[int, int] = {}
    if n_pairs:
        arcs = np.arange(n_o, n_o + n_pairs, dtype=np.int32)
        used = np.flatnonzero(np.asarray(flow.flows(arcs)) > 0)
        by_order = pair_order[used].tolist()
        chosen = dict(zip(by_order, pair_tech[used].tolist(), strict=True))
        pairs = dict(zip(by_order, pair_ids[used].tolist(), strict=True))
    return FlowResult(chosen, int(flow.optimal_cost()), pairs)
