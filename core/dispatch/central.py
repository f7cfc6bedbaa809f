"""Central dispatch of one batch: hard rules decide who may, weighted goals decide who should.

Hard rules (an order never goes to a technician who breaks one): same city as the order, the
order's skills plus the policy's required skills and qualifications for its service type, not
someone who refused it or let it time out, within policy.max_distance_km, capacity left today
(the technician's and the service point's). Goals, each a badness from 0 to 1 times its policy
weight: distance (km over the region's distance limit), load (today's share of the day's
capacity), rating (5 minus it, over 5), SLA urgency (an urgent order weighs distance more, and
is placed first when capacity is short) and the service points' deviation from their shares
(a convex cost on the point's arcs, see central_flow). All of it is one min-cost flow solve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from core.dispatch import central_flow
from core.dispatch import round_reasons as wording
from core.dispatch.assignment import distances_m
from core.dispatch.central_ratio import Ratios
from core.dispatch.policy import RegionPolicy
from core.dispatch.round_model import Snapshot, Tech, WaitingOrder

SCALE = 1000  # cost units per weight point at full badness
UNASSIGNED = 100_000_000  # more than any pair can cost: place every order that can be placed
DISTANCE_SPAN_KM = 50.0  # the distance scale when the policy sets no limit
RATIO_SPAN = 0.2  # a point 20 points of percent over its share is as bad as it gets
PAIRS_PER_ORDER = 60  # an order's cheapest candidates kept in the graph (sparse, like assign)


@dataclass(frozen=True)
class Placed:
    order: WaitingOrder
    tech: Tech
    terms: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class Unplaced:
    order: WaitingOrder
    eligible: bool  # True: eligible technicians exist but are full; False: nobody may take it
    reason: str


@dataclass
class CentralResult:
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    cost: int = 0


GOALS = ("distance", "load", "rating", "sla")  # the pair's goals, in the columns of Options.goals
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Options:
    """One order's eligible technicians with room, cheapest first."""

    tech: IntArray  # technician indices
    km: FloatArray  # distance from the technician's home; nan: the order has no location
    goals: IntArray  # (n, len(GOALS)) weighted goal costs
    cost: IntArray  # row sums of goals

    def at(self, tech: int) -> int:
        return int(np.flatnonzero(self.tech == tech)[0])


def urgency(order: WaitingOrder, now: datetime) -> float:
    """0 (all the time left) .. 1 (due now or late), from the region's acceptance standard."""
    if order.sla_due is None:
        return 0.0
    window = (order.sla_due - order.created_at).total_seconds()
    left = (order.sla_due - now).total_seconds()
    if window <= 0 or left <= 0:
        return 1.0
    return max(0.0, min(1.0, 1.0 - left / window))


def needs(order: WaitingOrder, policy: RegionPolicy) -> tuple[frozenset[str], frozenset[str]]:
    """The skills and qualifications a technician needs for this order under the policy."""
    kind = order.service_type.value if order.service_type else ""
    skills = order.skills | frozenset(policy.required_skills.get(kind, ()))
    return skills, frozenset(policy.required_qualifications.get(kind, ()))


class _Candidates:
    """Who may take each order, or why nobody may (the first hard rule that left none)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.techs = list(snapshot.technicians)
        techs = self.techs
        self.ids = np.array([t.id for t in techs], dtype=np.int64)
        self.lng = np.array([t.lng for t in techs], dtype=np.float64)
        self.lat = np.array([t.lat for t in techs], dtype=np.float64)
        self.room = np.array([t.capacity_left for t in techs], dtype=np.int64)
        self.busy = np.array([t.load / max(t.daily_capacity, 1) for t in techs], dtype=np.float64)
        self.unrated = np.clip((5.0 - np.array([t.rating for t in techs], dtype=np.float64)) / 5,
                               0.0, 1.0)
        self.by_city: dict[str, list[int]] = defaultdict(list)
        for i, tech in enumerate(techs):
            self.by_city[tech.city].append(i)
        self._able: dict[tuple[str, frozenset[str], frozenset[str]], tuple[IntArray, str]] = {}

    def able(self, order: WaitingOrder, policy: RegionPolicy) -> tuple[IntArray, str]:
        skills, quals = needs(order, policy)
        key = (order.city, skills, quals)
        if key not in self._able:
            local = self.by_city.get(order.city, [])
            skilled = [i for i in local if skills <= self.techs[i].skills]
            qualified = [i for i in skilled if quals <= self.techs[i].qualifications]
            if not local:
                why = wording.NO_TECHNICIAN_IN_CITY
            elif not skilled:
                why = wording.no_skill(skills - frozenset().union(
                    *(self.techs[i].skills for i in local)) or skills)
            elif not qualified:
                why = wording.no_qualification(quals)
            else:
                why = ""
            self._able[key] = (np.array(qualified, dtype=np.int64), why)
        return self._able[key]

    def options(self, order: WaitingOrder, policy: RegionPolicy,
                urgent: float) -> tuple[Options | None, str, bool]:
        """(the order's options, why none, whether the reason is only capacity)."""
        idx, why = self.able(order, policy)
        if not idx.size:
            return None, why, False
        if order.excluded:
            idx = idx[~np.isin(self.ids[idx], np.array(sorted(order.excluded)))]
            if not idx.size:
                return None, wording.ALL_REFUSED, False
        if order.lng is not None and order.lat is not None:
            km = distances_m(np.array([order.lng]), np.array([order.lat]),
                             self.lng[idx], self.lat[idx])[0] / 1000.0
        else:
            km = np.full(idx.size, np.nan)
        limit = policy.max_distance_km
        if limit:
            near = np.isnan(km) | (km <= limit)
            if not near.any():
                return None, wording.too_far(limit, float(np.nanmin(km))), False
            idx, km = idx[near], km[near]
        free = self.room[idx] > 0
        if not free.any():
            return None, wording.ALL_FULL, True
        idx, km = idx[free], km[free]
        span = float(limit) if limit else DISTANCE_SPAN_KM
        far = np.where(np.isnan(km), 0.5, np.minimum(km / span, 1.5))
        w = policy.weights
        goals = np.rint(SCALE * np.column_stack([
            w.distance * far, w.load * self.busy[idx], w.rating * self.unrated[idx],
            w.sla * urgent * far,
        ])).astype(np.int64)
        cost = goals.sum(axis=1)
        order_by = np.lexsort((self.ids[idx], cost))
        return Options(idx[order_by], km[order_by], goals[order_by], cost[order_by]), "", True


Batch = list[tuple[WaitingOrder, Options, float]]


def place(orders: Sequence[WaitingOrder], snapshot: Snapshot) -> CentralResult:
    """Assign the batch in one solve; every order leaves placed or with the reason why not."""
    cands = _Candidates(snapshot)
    result = CentralResult()
    batch: Batch = []
    for order in orders:
        policy = snapshot.policy(order.county)
        urgent = urgency(order, snapshot.now)
        options, why, capacity_only = cands.options(order, policy, urgent)
        if options is not None:
            batch.append((order, options, urgent))
        else:
            result.unplaced.append(Unplaced(order, capacity_only, why))
    if not batch:
        return result
    ratios = Ratios(snapshot, cands.techs, [(o, opts.tech.tolist()) for o, opts, _ in batch])
    chosen, cost = _solve(batch, cands.techs, ratios, wide=False)
    left_out = [k for k, (_, opts, _) in enumerate(batch)
                if k not in chosen and opts.tech.size > PAIRS_PER_ORDER]
    if left_out and ratios.room_left(chosen, cands.techs):
        # The cheapest candidates of some orders were all full: offer them everyone.
        chosen, cost = _solve(batch, cands.techs, ratios, wide=True)
    result.cost = cost
    taken: dict[int, int] = defaultdict(int)
    shares = ratios.shares_after(chosen)
    for k, (order, opts, _) in enumerate(batch):
        if k not in chosen:
            result.unplaced.append(Unplaced(order, True, wording.ALL_FULL))
            continue
        tech = cands.techs[chosen[k]]
        taken[tech.id] += 1
        terms = _terms(order, tech, opts, opts.at(chosen[k]), tech.load + taken[tech.id],
                       snapshot.now, shares.get(tech.point or ""))
        result.placed.append(Placed(order, tech, terms, wording.assign_reason(terms)))
    return result


def _solve(batch: Batch, techs: list[Tech], ratios: Ratios,
           wide: bool) -> tuple[dict[int, int], int]:
    problem = central_flow.FlowProblem(penalties=[])
    for k, (order, opts, urgent) in enumerate(batch):
        weight = ratios.policy_of(order).weights.sla
        problem.penalties.append(UNASSIGNED + round(SCALE * 100 * weight * urgent))
        keep = opts.tech.size if wide else min(opts.tech.size, PAIRS_PER_ORDER)
        problem.pair_order.extend([k] * keep)
        problem.pair_tech.extend(opts.tech[:keep].tolist())
        problem.pair_cost.extend(opts.cost[:keep].tolist())
    problem.tech_capacity = [t.capacity_left for t in techs]
    ratios.fill(problem)
    solved = central_flow.solve(problem)
    return solved.chosen, solved.cost


def _terms(order: WaitingOrder, tech: Tech, opts: Options, j: int, load_after: int,
           now: datetime, share: tuple[int, int] | None) -> dict[str, Any]:
    minutes = (None if order.sla_due is None
               else int((order.sla_due - now).total_seconds() // 60))
    km = float(opts.km[j])
    return {
        "distance_km": None if np.isnan(km) else round(km, 1),
        "load": load_after,
        "daily_capacity": tech.daily_capacity,
        "rating": round(tech.rating, 1),
        "sla_minutes": minutes,
        "point": tech.point,
        "point_share": share[0] if share else None,
        "point_target": share[1] if share else None,
        "goals": dict(zip(GOALS, opts.goals[j].tolist(), strict=True)),
        "cost": int(opts.cost[j]),
    }
