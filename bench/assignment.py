"""Central batch assignment as production runs it, against the exact optimum of the same costs.

Run: python -m bench.assignment [--orders N] [--technicians M] [--cities C] [--k K]
                                [--repeat R] [--seed S] [--quick]

A seeded dispatch snapshot (core.dispatch.round_model.Snapshot): N waiting auto-mode orders and
M technicians in C real cities (NBS 2023 centres, counties of each), city sizes uneven (Zipf-like
weights, demand and technicians drawn with separate noise, so some cities are short of capacity
and others have plenty). Orders: one or two of the seven skills, a service type by the demo
weights, created in the last three hours with a 60-240 minute acceptance standard (some are
late), 1 % without coordinates, 5 % refused by one or two local technicians before. Technicians:
two to five skills, certificates as the demo hands them out, 6-10 jobs a day with 0-4 taken,
ratings 3.5-5.0, each in one of the city's one to three service points (no point capacity).
Policies per city (core.dispatch.policy.RegionPolicy via `effective`): distance limit 0/30/50/
80 km, varied goal weights, some cities require a certificate for installs or an extra skill
for repairs; no point_shares, so every cost is a per-pair constant (linear).

Ours: `core.dispatch.central.place(orders, snapshot)`, the whole production batch (candidates
and goals, the sparse min-cost flow over each order's k cheapest candidates, a wider second
solve if needed, terms and reasons); the median of --repeat runs. Exact, in the same run:
scipy.optimize.linear_sum_assignment on the expanded matrix of exactly central's pair costs
(`central.candidates`: one column per free slot of each technician, ineligible pairs forbidden,
plus a block of one column per order at that order's unassigned penalty); its time covers
building the matrix and the solve (not the candidates, which it is handed). Orders nobody may
take never reach either solver; both costs are over the orders that do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from bench.common import emit_json, print_table
from core.demo.catalogue import SERVICE_WEIGHTS
from core.demo.policies import HEIGHT_WORK, QUALIFICATIONS
from core.dispatch import central
from core.dispatch.policy import Effective, effective
from core.dispatch.round_model import Point, Snapshot, Tech, WaitingOrder
from core.geo.regions import Region, load_regions
from core.intake.catalogue import TRADE_LABELS
from core.orders.lifecycle import DispatchMode, OrderState

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SKILLS = tuple(TRADE_LABELS)  # aircon, water_heater, ... general
ZIPF = 0.8  # city weight 1 / rank ** ZIPF
SCATTER_DEG = 0.04  # about 4 km around a county centre


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.assignment", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--technicians", type=int, default=2_000)
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--k", type=int, default=central.PAIRS_PER_ORDER,
                        help="cheapest candidates per order in the sparse graph")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of ours (median)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.technicians, args.cities, args.k = 300, 60, 6, 8
    return args


def _cities(n: int, rng: random.Random) -> list[tuple[Region, list[Region]]]:
    regions = load_regions()
    usable = []
    for city in regions.all("city"):
        counties = [c for c in regions.counties_of(city.adcode) if c.lng is not None]
        if len(counties) >= 2:
            usable.append((city, counties))
    return rng.sample(usable, min(n, len(usable)))  # in rank order: the first is the biggest


def _policy_body(rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {
        "max_distance_km": rng.choice((0, 30, 50, 50, 80)),
        "weights": {"distance": rng.choice((30, 40, 50)), "load": rng.choice((10, 20, 30)),
                    "rating": rng.choice((5, 15, 25)), "sla": rng.choice((10, 15, 30))},
    }
    if rng.random() < 0.2:
        body["required_qualifications"] = {"install": [HEIGHT_WORK]}
    if rng.random() < 0.2:
        body["required_skills"] = {"repair": ["general"]}
    return body


def instance(n_orders: int, n_techs: int, n_cities: int, seed: int) -> Snapshot:
    rng = random.Random(seed)
    cities = _cities(n_cities, rng)
    weights = [1 / (rank + 1) ** ZIPF for rank in range(len(cities))]
    # Demand and staffing follow the same city sizes, each with its own noise.
    demand = [w * rng.lognormvariate(0, 0.25) for w in weights]
    staff = [w * rng.lognormvariate(0, 0.25) for w in weights]
    bodies: dict[str, dict[str, Any]] = {"": {}}
    bodies |= {city.adcode: _policy_body(rng) for city, _ in cities}

    def spot(county: Region) -> tuple[float, float]:
        assert county.lng is not None and county.lat is not None
        return (county.lng + rng.gauss(0, SCATTER_DEG), county.lat + rng.gauss(0, SCATTER_DEG))

    techs: list[Tech] = []
    points: dict[str, Point] = {}
    local: dict[str, list[int]] = {}
    for t in range(n_techs):
        city, counties = cities[rng.choices(range(len(cities)), staff)[0]]
        county = rng.choice(counties)
        skills = frozenset(rng.sample(SKILLS, rng.randint(2, 5)))
        quals = frozenset(name for name, skill, share in QUALIFICATIONS
                          if (skill == "*" or skill in skills) and rng.random() < share)
        key = f"{city.adcode}-p{rng.randrange(random.Random(city.adcode).randint(1, 3))}"
        points.setdefault(key, Point(key, counties[0].adcode))
        daily = rng.randint(6, 10)
        techs.append(Tech(10_000 + t, f"师傅{t}", county.adcode, skills, *spot(county), daily,
                          rng.randint(0, 4), round(rng.uniform(3.5, 5.0), 1), quals, key))
        local.setdefault(city.adcode[:4], []).append(10_000 + t)
    kinds, kind_weights = zip(*SERVICE_WEIGHTS, strict=True)
    orders: list[WaitingOrder] = []
    for o in range(n_orders):
        city, counties = cities[rng.choices(range(len(cities)), demand)[0]]
        county = rng.choice(counties)
        lng, lat = spot(county) if rng.random() > 0.01 else (None, None)
        created = NOW - timedelta(minutes=rng.uniform(0, 180))
        nearby = local.get(city.adcode[:4], [])
        refused = (frozenset(rng.sample(nearby, min(len(nearby), rng.randint(1, 2))))
                   if nearby and rng.random() < 0.05 else frozenset())
        orders.append(WaitingOrder(
            id=o + 1, version=3, state=OrderState.DISPATCHING, county=county.adcode, lng=lng,
            lat=lat, skills=frozenset(rng.sample(SKILLS, 1 if rng.random() < 0.8 else 2)),
            service_type=rng.choices(kinds, kind_weights)[0], mode=DispatchMode.AUTO,
            dispatch_since=created + timedelta(minutes=1), created_at=created,
            excluded=refused, refusals=len(refused),
            acceptance_due=created + timedelta(minutes=rng.choice((60, 120, 240)))))
    used = {o.county for o in orders} | {p.county for p in points.values()}
    policies: dict[str, Effective] = {c: effective(c, bodies) for c in sorted(used)}
    return Snapshot(NOW, orders, techs, policies, points)


def exact(batch: central.Batch, techs: Sequence[Tech]) -> tuple[int, int, int]:
    """The optimum by linear_sum_assignment on central's own pair costs.

    Columns: each technician's free slots, then one column per order at its row's penalty.
    Returns (total cost, orders assigned, the part of the cost paid by assigned pairs)."""
    n = len(batch.orders)
    slots = np.array([t.capacity_left for t in techs], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(slots)])
    width = int(first[-1])
    at = np.concatenate([np.arange(a, a + c) for a, c in zip(batch.start.tolist(),
                                                            batch.count.tolist(), strict=True)])
    rows = np.repeat(np.arange(n), batch.count)
    tech, cost = batch.tech[at], batch.cost[at].astype(np.float64)
    repeat = slots[tech]  # each eligible pair, once per free slot of its technician
    offset = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    matrix = np.full((n, width + n), np.inf)
    matrix[np.repeat(rows, repeat), np.repeat(first[tech], repeat) + offset] = np.repeat(
        cost, repeat)
    matrix[:, width:] = np.array(batch.penalties, dtype=np.float64)[:, None]
    chosen_rows, chosen_cols = linear_sum_assignment(matrix)
    paid = matrix[chosen_rows, chosen_cols]
    assigned = chosen_cols < width
    return round(float(paid.sum())), int(assigned.sum()), round(float(paid[assigned].sum()))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    snapshot = instance(args.orders, args.technicians, args.cities, args.seed)
    orders = list(snapshot.orders)
    runs = []
    for _ in range(max(args.repeat, 1)):
        started = time.perf_counter()
        result = central.place(orders, snapshot, pairs_per_order=args.k)
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    batch, _, techs = central.candidates(orders, snapshot)  # the same costs, untimed
    started = time.perf_counter()
    optimum, optimum_assigned, optimum_pairs = exact(batch, techs)
    optimum_seconds = time.perf_counter() - started
    slots = sum(t.capacity_left for t in snapshot.technicians)
    pairs = int(batch.count.sum())
    ratio_cost = result.cost / optimum if optimum else 1.0
    ratio_time = seconds / optimum_seconds if optimum_seconds else 0.0
    nobody = [u for u in result.unplaced if not u.eligible]
    full = len(result.unplaced) - len(nobody)
    assigned_cost = sum(p.terms["cost"] for p in result.placed)
    ratio_pairs = assigned_cost / optimum_pairs if optimum_pairs else 1.0
    n_cities = len({t.city for t in snapshot.technicians} | {o.city for o in orders})
    print(f"Central batch assignment: {len(orders):,} waiting orders x {len(techs):,} "
          f"technicians ({slots:,} free slots) in {n_cities} cities, seed {args.seed}\n"
          f"{len(batch.orders):,} orders have an eligible technician with room "
          f"({pairs:,} eligible pairs); ours keeps each order's {args.k} cheapest "
          f"({result.arcs:,} arcs, {result.solves} solve(s))\n")
    print_table(["solver", "cost", "assigned", "seconds"], [
        ["ours: central.place (OR-Tools flow)", result.cost, len(result.placed), seconds],
        ["exact: linear_sum_assignment", optimum, optimum_assigned, optimum_seconds]])
    reasons = Counter(u.reason.zh.split("（")[0] for u in nobody).most_common(3)
    print(f"\nunplaced: {full:,} for want of capacity, {len(nobody):,} that nobody may take "
          f"(e.g. {'; '.join(f'{r} x{n}' for r, n in reasons) or 'none'})")
    print(f"ours, runs: {', '.join(f'{s:.3f}' for s in runs)} s")
    print(f"cost of the assigned pairs alone (penalties left out): ours {assigned_cost:,}, "
          f"exact {optimum_pairs:,}, ratio {ratio_pairs:.6f}")
    print(f"ratio cost ours/exact: {ratio_cost:.6f} (target <= 1.001); ratio time "
          f"{ratio_time:.4f} (target <= 0.05)")
    emit_json({
        "bench": "assignment", "orders": len(orders), "technicians": len(techs),
        "cities": n_cities, "slots": slots, "k": args.k, "seed": args.seed,
        "batch": len(batch.orders), "eligible_pairs": pairs, "arcs": result.arcs,
        "solves": result.solves, "assigned": len(result.placed),
        "unassigned": len(result.unplaced), "unassigned_full": full,
        "unassigned_nobody": len(nobody), "cost": result.cost, "optimum_cost": optimum,
        "optimum_assigned": optimum_assigned, "ratio_cost": ratio_cost,
        "assigned_cost": assigned_cost, "optimum_assigned_cost": optimum_pairs,
        "ratio_assigned_cost": ratio_pairs,
        "excess_cost_ppm": (result.cost - optimum) * 1e6 / optimum if optimum else 0.0,
        "seconds": seconds, "runs": runs, "optimum_seconds": optimum_seconds,
        "ratio_time": ratio_time,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
