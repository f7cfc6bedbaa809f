"""Central dispatch of one batch: hard rules decide who may, weighted goals decide who should.

Hard rules (an order never goes to a technician who breaks one): same city as the order, the
order's skills plus the policy's required skills and qualifications for its service type, not
someone who refused it or let it time out, within policy.max_distance_km, capacity left today
(the technician's and the service point's). Goals, each a badness from 0 to 1 times its policy
weight: distance (km over the region's distance limit), load (today's share of the day's
capacity), rating (5 minus it, over 5), SLA urgency (an urgent order weighs distance more, and
is placed first when capacity is short) and the service points' deviation from their shares
(a convex cost on the point's arcs, see central_flow). All of it is one min-cost flow solve.

The graph is sparse: each order keeps its `pairs_per_order` cheapest candidates. When an order
is left unplaced although one of its dropped candidates still has room, a second solve offers
those orders every candidate. Candidates and goals are computed per city with arrays (the hard
rules as an orders x technicians mask, the goals over the pairs it allows), not order by order,
and the flow is solved city by city (cities sharing a service point together), which gives the
same optimum sooner. `bench.assignment` times `place` on 10,000 orders against the exact
optimum of the same costs (`candidates` gives them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from core.dispatch import central_flow
from core.dispatch import round_reasons as wording
from core.dispatch.central_candidates import (
    GOALS,
    Batch,
    IntArray,
    Unplaced,
    candidates,
)
from core.dispatch.central_ratio import Ratios
from core.dispatch.round_model import Snapshot, Tech, WaitingOrder

PAIRS_PER_ORDER = 60  # an order's cheapest candidates kept in the graph (sparse)


@dataclass(frozen=True)
class Placed:
    order: WaitingOrder
    tech: Tech
    terms: dict[str, Any]
    reason: str


@dataclass
class CentralResult:
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    cost: int = 0
    arcs: int = 0  # order -> technician arcs in the (last) solve
    solves: int = 0  # 2 when the sparse graph had to be widened


def place(orders: Sequence[WaitingOrder], snapshot: Snapshot,
          pairs_per_order: int = PAIRS_PER_ORDER) -> CentralResult:
    """Assign the batch in one solve; every order leaves placed or with the reason why not."""
    batch, unplaced, techs = candidates(orders, snapshot)
    result = CentralResult(unplaced=unplaced)
    if not batch.orders:
        return result
    k = max(pairs_per_order, 1)
    ratios = Ratios(snapshot, techs, list(zip(batch.orders, batch.reach, strict=True)))
    groups = _tech_groups(techs)
    solved, starts = _solve(batch, techs, groups, ratios, k, [])
    result.solves = 1
    wide = _widen(batch, techs, ratios, solved.chosen, k)
    if wide:
        # The cheapest candidates of some orders were all full: offer them everyone.
        solved, starts = _solve(batch, techs, groups, ratios, k, wide)
        result.solves = 2
    result.cost, result.arcs = solved.cost, int(starts[-1])
    chosen = solved.chosen
    placed = [n for n in range(len(batch.orders)) if n in chosen]
    # Where each placed order's pair sits among the batch's options: its terms, gathered.
    at = batch.start[placed] + np.array([solved.pairs[n] for n in placed], np.int64) - starts[
        placed]
    kms, goals, costs = batch.km[at].tolist(), batch.goals[at].tolist(), batch.cost[at].tolist()
    taken: dict[int, int] = defaultdict(int)
    shares = ratios.shares_after(chosen)
    now = snapshot.now
    i = 0
    for n, order in enumerate(batch.orders):
        t = chosen.get(n)
        if t is None:
            result.unplaced.append(Unplaced(order, True, wording.ALL_FULL))
            continue
        tech = techs[t]
        taken[tech.id] += 1
        terms = _terms(order, tech, kms[i], goals[i], costs[i], tech.load + taken[tech.id], now,
                       shares.get(tech.point or ""))
        result.placed.append(Placed(order, tech, terms, wording.assign_reason(terms)))
        i += 1
    return result


def _widen(batch: Batch, techs: list[Tech], ratios: Ratios, chosen: dict[int, int],
           k: int) -> list[int]:
    """The unplaced orders of which a candidate left out of the graph still has room (and so
    does its service point): worth a second solve that offers them every candidate."""
    left_out = [n for n, size in enumerate(batch.count.tolist()) if n not in chosen and size > k]
    if not left_out:
        return []
    room = np.array([t.capacity_left for t in techs], dtype=np.int64)
    by_point: dict[str, int] = defaultdict(int)
    for t in chosen.values():
        room[t] -= 1
        by_point[techs[t].point or ""] += 1
    for key, used in by_point.items():
        left = ratios.left.get(key)
        if left is not None and left <= used:
            room[[i for i, t in enumerate(techs) if t.point == key]] = 0
    start, count = batch.start.tolist(), batch.count.tolist()
    return [n for n in left_out
            if (room[batch.tech[start[n] + k:start[n] + count[n]]] > 0).any()]


def _tech_groups(techs: list[Tech]) -> list[int]:
    """Per technician, a label of their city, cities sharing a service point joined: orders
    only go to technicians of their own city, so each label's part of the flow is solved on
    its own."""
    parent: dict[str, str] = {}

    def root(city: str) -> str:
        while parent.setdefault(city, city) != city:
            city = parent[city]
        return city

    point_city: dict[str, str] = {}
    for tech in techs:
        if tech.point is not None:
            other = point_city.setdefault(tech.point, tech.city)
            parent[root(tech.city)] = root(other)
    label: dict[str, int] = {}
    return [label.setdefault(root(t.city), len(label)) for t in techs]


def _solve(batch: Batch, techs: list[Tech], groups: list[int], ratios: Ratios, k: int,
           wide: list[int]) -> tuple[central_flow.FlowResult, IntArray]:
    """The solve over each order's k cheapest options (all of them for the orders in wide);
    also the position of each order's first pair (and the number of pairs, last)."""
    keep = np.minimum(batch.count, k)
    keep[wide] = batch.count[wide]
    starts = np.concatenate([[0], np.cumsum(keep)])
    # Each order's first keep[n] options: their positions among the batch's flat options.
    at = np.repeat(batch.start - starts[:-1], keep) + np.arange(int(starts[-1]))
    problem = central_flow.FlowProblem(
        penalties=batch.penalties,
        pair_order=np.repeat(np.arange(keep.size, dtype=np.int64), keep),
        pair_tech=batch.tech[at], pair_cost=batch.cost[at],
        tech_capacity=[t.capacity_left for t in techs], tech_group=groups)
    ratios.fill(problem)
    return central_flow.solve(problem), starts


def _terms(order: WaitingOrder, tech: Tech, km: float, goals: list[int], cost: int,
           load_after: int, now: datetime, share: tuple[int, int] | None) -> dict[str, Any]:
    minutes = (None if order.acceptance_due is None
               else int((order.acceptance_due - now).total_seconds() // 60))
    return {
        "distance_km": None if km != km else round(km, 1),  # nan: the order has no location
        "load": load_after,
        "daily_capacity": tech.daily_capacity,
        "rating": round(tech.rating, 1),
        "sla_minutes": minutes,
        "point": tech.point,
        "point_share": share[0] if share else None,
        "point_target": share[1] if share else None,
        "goals": dict(zip(GOALS, goals, strict=True)),
        "cost": cost,
    }
