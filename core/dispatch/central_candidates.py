"""Central dispatch's candidates: who may take each order (the hard rules, per city as arrays)
and what each pair costs (the weighted goals). `candidates` gives the costs `place` solves, and
the benchmark's exact baseline solves the same.

The rules are core.dispatch.eligibility's: its city, skill, qualification, distance and
capacity predicates, applied here to whole arrays, and its turned-down rule (order.excluded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from core.dispatch import eligibility
from core.dispatch import round_reasons as wording
from core.dispatch.policy import RegionPolicy, Weights
from core.dispatch.round_model import Snapshot, Tech, WaitingOrder
from core.dispatch.round_reasons import Said

SCALE = 1000  # cost units per weight point at full badness
UNASSIGNED = 100_000_000  # more than any pair can cost: place every order that can be placed
DISTANCE_SPAN_KM = 50.0  # the distance scale when the policy sets no limit


@dataclass(frozen=True)
class Unplaced:
    order: WaitingOrder
    eligible: bool  # True: eligible technicians exist but are full; False: nobody may take it
    reason: Said


GOALS = ("distance", "load", "rating", "sla")  # the pair's goals, in the columns of Options.goals
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class Options(NamedTuple):
    """One order's eligible technicians with room, cheapest first (ties: lower id first)."""

    tech: IntArray  # technician indices
    km: FloatArray  # distance from the technician's home; nan: the order has no location
    goals: IntArray  # (n, len(GOALS)) weighted goal costs
    cost: IntArray  # row sums of goals


EMPTY_INTS = np.zeros(0, dtype=np.int64)


@dataclass
class Batch:
    """The orders that go into the solve, each with its options and what leaving it costs.

    The options of all orders are stored flat: order n's are at start[n] .. start[n] +
    count[n] of tech, km, goals and cost (options(n) gives them as one Options)."""

    orders: list[WaitingOrder] = field(default_factory=list)
    urgent: list[float] = field(default_factory=list)
    penalties: list[int] = field(default_factory=list)
    # Per order, one technician of each service point among its options (all Ratios needs).
    reach: list[list[int]] = field(default_factory=list)
    start: IntArray = field(default_factory=lambda: EMPTY_INTS)
    count: IntArray = field(default_factory=lambda: EMPTY_INTS)
    tech: IntArray = field(default_factory=lambda: EMPTY_INTS)
    km: FloatArray = field(default_factory=lambda: np.zeros(0))
    goals: IntArray = field(default_factory=lambda: np.zeros((0, len(GOALS)), dtype=np.int64))
    cost: IntArray = field(default_factory=lambda: EMPTY_INTS)

    def options(self, n: int) -> Options:
        a = int(self.start[n])
        b = a + int(self.count[n])
        return Options(self.tech[a:b], self.km[a:b], self.goals[a:b], self.cost[a:b])


def urgency(order: WaitingOrder, now: datetime) -> float:
    """0 (all the time left) .. 1 (due now or late), from the region's acceptance standard."""
    if order.acceptance_due is None:
        return 0.0
    window = (order.acceptance_due - order.created_at).total_seconds()
    left = (order.acceptance_due - now).total_seconds()
    if window <= 0 or left <= 0:
        return 1.0
    return max(0.0, min(1.0, 1.0 - left / window))


def needs(order: WaitingOrder, policy: RegionPolicy) -> tuple[frozenset[str], frozenset[str]]:
    """The skills and qualifications a technician needs for this order under the policy."""
    skills, quals = eligibility.required(
        order.skills, order.service_type.value if order.service_type else None, policy)
    return frozenset(skills), frozenset(quals)


def penalty(policy: RegionPolicy, urgent: float) -> int:
    """What leaving an order unassigned costs: more than any pair, more still when urgent."""
    return UNASSIGNED + round(SCALE * 100 * policy.weights.sla * urgent)


Needs = tuple[frozenset[str], frozenset[str]]


class _Candidates:
    """Who may take each order, or why nobody may (the first hard rule that left none)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.techs = list(snapshot.technicians)
        techs = self.techs
        self.ids = np.array([t.id for t in techs], dtype=np.int64)
        self.lng = np.array([t.lng for t in techs], dtype=np.float64)
        self.lat = np.array([t.lat for t in techs], dtype=np.float64)
        self.free = np.array([eligibility.has_room(t.load, t.daily_capacity) for t in techs],
                             dtype=bool)
        self.busy = np.array([t.load / max(t.daily_capacity, 1) for t in techs], dtype=np.float64)
        self.unrated = np.clip((5.0 - np.array([t.rating for t in techs], dtype=np.float64)) / 5,
                               0.0, 1.0)
        points = sorted({t.point for t in techs if t.point is not None})
        code = {key: n for n, key in enumerate(points)}
        self.point = np.array([-1 if t.point is None else code[t.point] for t in techs],
                              dtype=np.int64)
        self.id_rank = np.empty(len(techs), dtype=np.int64)
        self.id_rank[np.argsort(self.ids, kind="stable")] = np.arange(len(techs))
        self.first = [0] * len(points)  # a technician of each point
        for i in reversed(range(len(techs))):
            if self.point[i] >= 0:
                self.first[int(self.point[i])] = i
        self.by_city: dict[str, list[int]] = defaultdict(list)
        for i, tech in enumerate(techs):
            self.by_city[tech.city].append(i)
        self._able: dict[tuple[str, frozenset[str], frozenset[str]], tuple[BoolArray, Said]] = {}

    def able(self, city: str, skills: frozenset[str],
             quals: frozenset[str]) -> tuple[BoolArray, Said]:
        """Which of the city's technicians (by_city[city]) have the skills and qualifications,
        and why none do when none do."""
        key = (city, skills, quals)
        if key not in self._able:
            local = [self.techs[i] for i in self.by_city.get(city, [])] if city else []
            skilled = [eligibility.has_all(skills, t.skills) for t in local]
            qualified = [s and eligibility.has_all(quals, t.qualifications)
                         for s, t in zip(skilled, local, strict=True)]
            if not local:
                why = wording.NO_TECHNICIAN_IN_CITY
            elif not any(skilled):
                why = wording.no_skill(skills - frozenset().union(
                    *(t.skills for t in local)) or skills)
            elif not any(qualified):
                why = wording.no_qualification(quals)
            else:
                why = wording.NOTHING
            self._able[key] = (np.array(qualified, dtype=bool), why)
        return self._able[key]

    def batch(self, orders: Sequence[WaitingOrder]) -> tuple[Batch, list[Unplaced]]:
        """The orders with options (in the given order) and those nobody may take now."""
        snapshot = self.snapshot
        n = len(orders)
        policies: dict[str, RegionPolicy] = {}
        need_of: dict[tuple[Any, frozenset[str], str], Needs] = {}
        policy, need = [], []
        for order in orders:
            county = order.county
            if county not in policies:
                policies[county] = snapshot.policy(county)
            policy.append(policies[county])
            key = (order.service_type, order.skills, county)
            if key not in need_of:
                need_of[key] = needs(order, policies[county])
            need.append(need_of[key])
        urgent = [urgency(o, snapshot.now) for o in orders]
        found: list[tuple[int, int, list[int]] | None] = [None] * n  # start, count, reach
        flat: list[tuple[IntArray, FloatArray, IntArray, IntArray]] = []
        why: list[tuple[bool, Said]] = [(False, wording.NOTHING)] * n
        blocks: dict[tuple[str, int, Weights], list[int]] = defaultdict(list)
        for k, (order, p) in enumerate(zip(orders, policy, strict=True)):
            blocks[(order.city, p.max_distance_km, p.weights)].append(k)
        for (city, limit, weights), members in blocks.items():
            self._block(city, limit, weights, members, orders, need, urgent, found, why, flat)
        batch, unplaced = Batch(), []
        start, count = [], []
        for k, order in enumerate(orders):
            got = found[k]
            if got is None:
                unplaced.append(Unplaced(order, why[k][0], why[k][1]))
                continue
            batch.orders.append(order)
            start.append(got[0])
            count.append(got[1])
            batch.reach.append(got[2])
            batch.urgent.append(urgent[k])
            batch.penalties.append(penalty(policy[k], urgent[k]))
        if flat:
            batch.start, batch.count = np.array(start, np.int64), np.array(count, np.int64)
            batch.tech, batch.km, batch.goals, batch.cost = (
                np.concatenate(column) for column in zip(*flat, strict=True))
        return batch, unplaced

    def _block(self, city: str, limit: int, w: Weights, members: list[int],
               orders: Sequence[WaitingOrder], need: list[Needs], urgent: list[float],
               found: list[tuple[int, int, list[int]] | None], why: list[tuple[bool, Said]],
               flat: list[tuple[IntArray, FloatArray, IntArray, IntArray]]) -> None:
        """The options of the orders of one city under one distance limit and weights: the
        hard rules as an (orders x the city's technicians) mask, the goals over its pairs."""
        # An order without a county is in no city (eligibility.same_city): nobody may take it.
        cols = np.array(self.by_city.get(city, []) if city else [], dtype=np.int64)
        if not cols.size:
            for k in members:
                why[k] = (False, wording.NO_TECHNICIAN_IN_CITY)
            return
        kinds: dict[Needs, int] = {}
        masks: list[BoolArray] = []
        row_kind = []
        for k in members:
            kind = kinds.get(need[k])
            if kind is None:
                kind = kinds[need[k]] = len(masks)
                masks.append(self.able(city, *need[k])[0])
            row_kind.append(kind)
        row, col = np.nonzero(np.stack(masks)[row_kind])  # the pairs the skill rules allow
        count = np.bincount(row, minlength=len(members))
        for r in np.flatnonzero(count == 0).tolist():
            why[members[r]] = (False, self.able(city, *need[members[r]])[1])
        refusers = [r for r, k in enumerate(members) if orders[k].excluded]
        if refusers:
            banned = np.zeros((len(members), cols.size), dtype=bool)
            column = {i: c for c, i in enumerate(self.ids[cols].tolist())}
            for r in refusers:
                banned[r, [column[i] for i in orders[members[r]].excluded if i in column]] = True
            keep = ~banned[row, col]
            row, col = row[keep], col[keep]
            left = np.bincount(row, minlength=len(members))
            for r in np.flatnonzero((count > 0) & (left == 0)).tolist():
                why[members[r]] = (False, wording.ALL_REFUSED)
            count = left
        o_lng = np.array([np.nan if orders[k].lng is None or orders[k].lat is None
                          else orders[k].lng for k in members], dtype=np.float64)
        o_lat = np.array([np.nan if orders[k].lng is None or orders[k].lat is None
                          else orders[k].lat for k in members], dtype=np.float64)
        tech = cols[col]
        km = eligibility.distances_km(o_lng[row], o_lat[row], self.lng[tech], self.lat[tech])
        if limit:
            near = eligibility.within_reach_all(km, limit)
            left = np.bincount(row[near], minlength=len(members))
            too_far = (count > 0) & (left == 0)
            if too_far.any():
                nearest = np.full(len(members), np.inf)
                np.minimum.at(nearest, row[~near], km[~near])
                for r in np.flatnonzero(too_far).tolist():
                    why[members[r]] = (False, wording.too_far(limit, float(nearest[r])))
            row, col, tech, km, count = row[near], col[near], tech[near], km[near], left
        free = self.free[tech]
        left = np.bincount(row[free], minlength=len(members))
        for r in np.flatnonzero((count > 0) & (left == 0)).tolist():
            why[members[r]] = (True, wording.ALL_FULL)
        row, tech, km, count = row[free], tech[free], km[free], left
        if not row.size:
            return
        span = float(limit) if limit else DISTANCE_SPAN_KM
        far = np.where(np.isnan(km), 0.5, np.minimum(km / span, 1.5))
        u = np.array([urgent[k] for k in members], dtype=np.float64)
        goals = np.empty((row.size, len(GOALS)), dtype=np.int64)
        goals[:, 0] = np.rint(SCALE * (w.distance * far))
        goals[:, 1] = np.rint(SCALE * (w.load * self.busy[tech]))
        goals[:, 2] = np.rint(SCALE * (w.rating * self.unrated[tech]))
        goals[:, 3] = np.rint(SCALE * ((w.sla * u)[row] * far))
        cost = goals.sum(axis=1)
        by = _by_row_cost_id(row, cost, self.id_rank[tech])
        row, tech, km, goals, cost = row[by], tech[by], km[by], goals[by], cost[by]
        base = sum(len(block[0]) for block in flat)
        flat.append((tech, km, goals, cost))
        ends = (base + np.cumsum(count)).tolist()
        sizes = count.tolist()
        reach = self._reach(cols, row, tech, len(members))
        for r in np.flatnonzero(count).tolist():
            found[members[r]] = (ends[r] - sizes[r], sizes[r], reach[r])

    def _reach(self, cols: IntArray, row: IntArray, tech: IntArray,
               rows: int) -> list[list[int]]:
        """Per row, one technician of each service point among its pairs."""
        reach: list[list[int]] = [[] for _ in range(rows)]
        point = self.point[tech]
        keys = np.unique(self.point[cols])
        keys = keys[keys >= 0]
        if keys.size:
            hits = np.zeros((rows, keys.size), dtype=bool)
            has = point >= 0
            hits[row[has], np.searchsorted(keys, point[has])] = True
            first = [self.first[p] for p in keys.tolist()]
            at_row, at_key = np.nonzero(hits)
            for r, j in zip(at_row.tolist(), at_key.tolist(), strict=True):
                reach[r].append(first[j])
        return reach


def _by_row_cost_id(row: IntArray, cost: IntArray, rank: IntArray) -> IntArray:
    """The order that sorts pairs by row, then cost, then technician id (rank: the id's rank
    among all technicians): one argsort of a combined key when it fits in 63 bits."""
    if not row.size:
        return np.arange(0)
    low = int(cost.min())
    span_cost, span_rank = int(cost.max()) - low + 1, int(rank.max()) + 1
    if low >= 0 and (int(row.max()) + 1) * span_cost * span_rank < 2**62:
        return np.argsort((row * span_cost + (cost - low)) * span_rank + rank)
    return np.lexsort((rank, cost, row))


def candidates(orders: Sequence[WaitingOrder],
               snapshot: Snapshot) -> tuple[Batch, list[Unplaced], list[Tech]]:
    """Every order's options and unassigned penalty as the solve sees them (the technician
    indices are into the returned list), and the orders nobody may take, with the reason."""
    cands = _Candidates(snapshot)
    batch, unplaced = cands.batch(orders)
    return batch, unplaced, cands.techs
