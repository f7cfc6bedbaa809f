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
another's expense (no greedy loop).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow


@dataclass
class FlowProblem:
    penalties: list[int]  # per order: the cost of leaving it unassigned
    pair_order: list[int] = field(default_factory=list)
    pair_tech: list[int] = field(default_factory=list)
    pair_cost: list[int] = field(default_factory=list)
    tech_capacity: list[int] = field(default_factory=list)
    tech_point: list[int] = field(default_factory=list)  # point index, -1: none
    # Per point: the marginal cost of each further order (len = most it may take), or a
    # single capacity with no cost (point_free, used when marginals is None).
    point_marginals: list[list[int] | None] = field(default_factory=list)
    point_free: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class FlowResult:
    chosen: dict[int, int]  # order index -> technician index
    cost: int


def solve(problem: FlowProblem) -> FlowResult:
    n_o, n_t, n_p = len(problem.penalties), len(problem.tech_capacity), len(problem.point_free)
    if n_o == 0:
        return FlowResult({}, 0)
    source, sink = n_o + n_t + n_p, n_o + n_t + n_p + 1
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, cap: int, cost: int) -> None:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)

    for o in range(n_o):
        arc(source, o, 1, 0)
    first_pair = len(tails)
    for o, t, c in zip(problem.pair_order, problem.pair_tech, problem.pair_cost, strict=True):
        arc(o, n_o + t, 1, c)
    for o, penalty in enumerate(problem.penalties):
        arc(o, sink, 1, penalty)
    for t, (cap, p) in enumerate(zip(problem.tech_capacity, problem.tech_point, strict=True)):
        if cap > 0:
            arc(n_o + t, sink if p < 0 else n_o + n_t + p, cap, 0)
    for p in range(n_p):
        marginals = problem.point_marginals[p]
        if marginals is None:
            if problem.point_free[p] > 0:
                arc(n_o + n_t + p, sink, problem.point_free[p], 0)
            continue
        for cost in marginals:
            arc(n_o + n_t + p, sink, 1, cost)
    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, np.int32), np.array(heads, np.int32),
        np.array(caps, np.int64), np.array(costs, np.int64))
    flow.set_node_supply(source, n_o)
    flow.set_node_supply(sink, -n_o)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    n_pairs = len(problem.pair_order)
    chosen: dict[int, int] = {}
    if n_pairs:
        arcs = np.arange(first_pair, first_pair + n_pairs, dtype=np.int32)
        for a in np.flatnonzero(np.asarray(flow.flows(arcs)) > 0).tolist():
            chosen[problem.pair_order[a]] = problem.pair_tech[a]
    return FlowResult(chosen, int(flow.optimal_cost()))
