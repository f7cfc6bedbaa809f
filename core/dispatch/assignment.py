"""Batch assignment: every waiting order gets a technician or a reason, at once, by min-cost flow.

Graph (OR-Tools SimpleMinCostFlow, integer costs):

    source -> order (cap 1, cost 0)
    order  -> technician (cap 1, cost = score cost of the pair), only for eligible pairs and
              only each order's k nearest eligible technicians (k=30 by default: a sparse graph)
    order  -> sink (cap 1, cost = the order's unassigned penalty): keeps the flow feasible
              when capacity is short, so every order leaves with a technician or a reason
    technician -> sink (cap = the technician's remaining capacity, cost 0)

Hard rules (never broken): the order's skills are a subset of the technician's; the order's
region (city adcode) is in the technician's allowed regions; remaining capacity > 0.

Weighted goals, all integers in one unit (metres of travel):
    distance_cost = great-circle distance from the technician's home to the order, in metres
    load_cost     = LOAD_WEIGHT_M * load_today // daily_capacity (a technician already full of
                    today's work costs as much as LOAD_WEIGHT_M extra metres; spreads the load)
    SLA urgency   = the unassigned penalty UNASSIGNED_PENALTY + URGENCY_WEIGHT * urgency: when
                    capacity is short the flow leaves the least urgent orders unassigned.
The penalty exceeds any pair cost, so the flow first places as many orders as it can.
The objective (BatchResult.cost) is the sum of assigned pair costs plus unassigned penalties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_K = 30
LOAD_WEIGHT_M = 5_000
UNASSIGNED_PENALTY = 10_000_000  # 10,000 km: more than any eligible pair can cost
URGENCY_WEIGHT = 1_000_000
NO_ELIGIBLE = "没有符合技能/区域/容量的师傅"
NO_CAPACITY = "符合条件的师傅本批容量已满"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Order:
    id: int
    region: str  # city adcode of the order's address
    skills: frozenset[str]
    lng: float
    lat: float
    urgency: int = 0  # SLA urgency, 0 (relaxed) .. 9 (due now)


@dataclass(frozen=True)
class Technician:
    id: int
    regions: frozenset[str]  # city adcodes the technician may serve
    skills: frozenset[str]
    lng: float
    lat: float
    capacity: int  # jobs still free today
    load_today: int = 0
    daily_capacity: int = 1


@dataclass(frozen=True)
class ScoreTerms:
    distance_m: int
    load_cost: int
    cost: int  # distance_m + load_cost: what this pair added to the objective


@dataclass(frozen=True)
class Assignment:
    order_id: int
    technician_id: int
    terms: ScoreTerms


@dataclass(frozen=True)
class Unassigned:
    order_id: int
    reason: str
    penalty: int


@dataclass(frozen=True)
class BatchResult:
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    cost: int
    arcs: int  # order -> technician arcs in the sparse graph


def load_cost(tech: Technician) -> int:
    return LOAD_WEIGHT_M * max(tech.load_today, 0) // max(tech.daily_capacity, 1)


def unassigned_penalty(order: Order) -> int:
    return UNASSIGNED_PENALTY + URGENCY_WEIGHT * max(order.urgency, 0)


def eligible(order: Order, tech: Technician) -> bool:
    return tech.capacity > 0 and order.region in tech.regions and order.skills <= tech.skills


def distances_m(lng1: FloatArray, lat1: FloatArray, lng2: FloatArray,
                lat2: FloatArray) -> IntArray:
    """Haversine metres, rounded, between column vectors (1) and row vectors (2): broadcasts."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dlat = p2 - p1
    dlng = np.radians(lng2)[None, :] - np.radians(lng1)[:, None]
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlng / 2) ** 2
    metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return np.rint(metres).astype(np.int64)


def _candidates(orders: list[Order], techs: list[Technician], k: int,
                wide: frozenset[int]) -> tuple[list[int], list[int], list[int], list[int]]:
    """(order index, tech index, distance m, load cost) of each order's k nearest eligible
    technicians (nearest by pair cost, load included); every eligible one for orders in wide."""
    by_region: dict[str, list[int]] = defaultdict(list)
    for t, tech in enumerate(techs):
        if tech.capacity > 0:
            for region in tech.regions:
                by_region[region].append(t)
    groups: dict[tuple[str, frozenset[str], bool], list[int]] = defaultdict(list)
    for o, order in enumerate(orders):
        groups[(order.region, order.skills, o in wide)].append(o)
    loads = np.array([load_cost(t) for t in techs], dtype=np.int64)
    out: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
    for (region, skills, is_wide), members in groups.items():
        cand = np.array([t for t in by_region.get(region, ()) if skills <= techs[t].skills],
                        dtype=np.int64)
        if not cand.size:
            continue
        dist = distances_m(np.array([orders[o].lng for o in members]),
                           np.array([orders[o].lat for o in members]),
                           np.array([techs[t].lng for t in cand]),
                           np.array([techs[t].lat for t in cand]))
        cost = dist + loads[cand][None, :]
        if cand.size > k and not is_wide:
            keep = np.argpartition(cost, k - 1, axis=1)[:, :k]
        else:
            keep = np.broadcast_to(np.arange(cand.size), (len(members), cand.size))
        row_in_group = np.repeat(np.arange(len(members)), keep.shape[1])
        cols = keep.reshape(-1)
        out[0].extend(np.array(members, dtype=np.int64)[row_in_group].tolist())
        out[1].extend(cand[cols].tolist())
        out[2].extend(dist[row_in_group, cols].tolist())
        out[3].extend(loads[cand[cols]].tolist())
    return out


def assign(orders: list[Order], techs: list[Technician], k: int = DEFAULT_K) -> BatchResult:
    """Solve one batch; orders and technicians need unique ids.

    When the sparse graph leaves an order unassigned for want of capacity while some
    technician still has free slots, the batch is solved once more with every eligible
    technician offered to those orders (the k nearest may all be full)."""
    result, left = _solve(orders, techs, max(k, 1), frozenset())
    short = {u.order_id for u in result.unassigned if u.reason == NO_CAPACITY}
    if short and left:
        wide = frozenset(o for o, order in enumerate(orders) if order.id in short)
        result, _ = _solve(orders, techs, max(k, 1), wide)
    return result


def _solve(orders: list[Order], techs: list[Technician], k: int,
           wide: frozenset[int]) -> tuple[BatchResult, int]:
    """The batch result and the free slots left over."""
    n_o, n_t = len(orders), len(techs)
    if n_o == 0:
        return BatchResult([], [], 0, 0), 0
    o_idx, t_idx, dist, loads = _candidates(orders, techs, k, wide)
    source, sink = n_o + n_t, n_o + n_t + 1
    flow = SimpleMinCostFlow()
    penalties = np.array([unassigned_penalty(o) for o in orders], dtype=np.int64)
    order_nodes = np.arange(n_o, dtype=np.int32)
    tech_nodes = np.arange(n_o, n_o + n_t, dtype=np.int32)
    pair_cost = np.array(dist, dtype=np.int64) + np.array(loads, dtype=np.int64)
    n_pairs = len(o_idx)
    tails = np.concatenate([np.full(n_o, source, np.int32), np.array(o_idx, np.int32),
                            order_nodes, tech_nodes])
    heads = np.concatenate([order_nodes, n_o + np.array(t_idx, np.int32),
                            np.full(n_o, sink, np.int32), np.full(n_t, sink, np.int32)])
    caps = np.concatenate([np.ones(n_o + n_pairs + n_o, np.int64),
                           np.array([max(t.capacity, 0) for t in techs], np.int64)])
    costs = np.concatenate([np.zeros(n_o, np.int64), pair_cost, penalties,
                            np.zeros(n_t, np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, n_o)
    flow.set_node_supply(sink, -n_o)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    pair_arcs = np.arange(n_o, n_o + n_pairs, dtype=np.int32)
    used = np.flatnonzero(np.asarray(flow.flows(pair_arcs)) > 0).tolist() if n_pairs else []
    has_pair = set(o_idx)
    assignments: list[Assignment] = []
    placed: set[int] = set()
    for a in used:
        o = o_idx[a]
        placed.add(o)
        terms = ScoreTerms(dist[a], loads[a], dist[a] + loads[a])
        assignments.append(Assignment(orders[o].id, techs[t_idx[a]].id, terms))
    unassigned = [Unassigned(orders[o].id, NO_CAPACITY if o in has_pair else NO_ELIGIBLE,
                             int(penalties[o]))
                  for o in range(n_o) if o not in placed]
    cost = int(flow.optimal_cost())
    left = sum(max(t.capacity, 0) for t in techs) - len(assignments)
    return BatchResult(assignments, unassigned, cost, n_pairs), left
