"""Batch assignment: our sparse min-cost flow against the exact optimum, in the same run.

Run: python -m bench.assignment [--orders N] [--technicians M] [--k K] [--seed S] [--quick]

A seeded instance: orders and technicians scattered around a few city centres; each order needs
one or two of six skills, each technician has two to five; a fifth of the technicians may also
serve a neighbouring city; remaining capacities 3-8 (about 1.1 free slots per order overall)
with 0-4 of today's jobs already booked; SLA urgency 0-3. Ours: core.dispatch.assignment.assign
(each order's k nearest eligible technicians). Exact: scipy.optimize.linear_sum_assignment on
the equivalent expanded matrix (one column per free slot of each technician, every eligible pair
priced exactly as ours, an ineligible pair or a surplus column at the order's unassigned
penalty). The optimum is over the full eligible graph, so it may beat ours by what the k-nearest
sparsification gives up; the ratio is ours/optimum. Both timings include building the graph or
the matrix.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bench.common import emit_json, print_table
from core.dispatch.assignment import (
    DEFAULT_K,
    NO_ELIGIBLE,
    UNASSIGNED_PENALTY,
    Order,
    Technician,
    assign,
    distances_m,
    load_cost,
    unassigned_penalty,
)

SKILLS = ("空调", "热水器", "洗衣机", "冰箱", "油烟机", "净水器")
CITIES = (  # adcode, centre lng, lat
    ("3301", 120.155, 30.274), ("3101", 121.473, 31.230), ("3201", 118.797, 32.060),
    ("3205", 120.585, 31.299), ("3401", 117.227, 31.821),
)
SCATTER_DEG = 0.12  # about 12 km standard deviation around a centre


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.assignment", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--technicians", type=int, default=2_000)
    parser.add_argument("--k", type=int, default=DEFAULT_K, help="nearest eligible per order")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.technicians = 300, 60
    return args


def instance(n_orders: int, n_techs: int, seed: int) -> tuple[list[Order], list[Technician]]:
    rng = random.Random(seed)

    def spot(city: int) -> tuple[float, float]:
        _, lng, lat = CITIES[city]
        return lng + rng.gauss(0, SCATTER_DEG), lat + rng.gauss(0, SCATTER_DEG)

    techs = []
    for t in range(n_techs):
        city = rng.randrange(len(CITIES))
        regions = {CITIES[city][0]}
        if rng.random() < 0.2:
            regions.add(CITIES[(city + 1) % len(CITIES)][0])
        capacity = rng.randint(3, 8)
        daily = capacity + rng.randint(0, 4)
        techs.append(Technician(t, frozenset(regions), frozenset(rng.sample(SKILLS,
                                rng.randint(2, 5))), *spot(city), capacity=capacity,
                                load_today=daily - capacity, daily_capacity=daily))
    orders = []
    for o in range(n_orders):
        city = rng.randrange(len(CITIES))
        orders.append(Order(o, CITIES[city][0], frozenset(rng.sample(SKILLS, rng.randint(1, 2))),
                            *spot(city), urgency=rng.choice((0, 0, 0, 1, 2, 3))))
    return orders, techs


def eligibility(orders: list[Order], techs: list[Technician]) -> npt.NDArray[np.bool_]:
    """The hard rules of core.dispatch.assignment.eligible, vectorised with bit masks."""
    names = {s for o in orders for s in o.skills} | {s for t in techs for s in t.skills}
    skill_bit = {s: 1 << n for n, s in enumerate(sorted(names))}
    region_bit = {r: 1 << n for n, r in enumerate(sorted({o.region for o in orders}))}

    def mask(names: frozenset[str], bits: dict[str, int]) -> int:
        return sum(bits.get(name, 0) for name in names)

    o_skill = np.array([mask(o.skills, skill_bit) for o in orders], dtype=np.int64)
    t_skill = np.array([mask(t.skills, skill_bit) for t in techs], dtype=np.int64)
    o_region = np.array([region_bit[o.region] for o in orders], dtype=np.int64)
    t_region = np.array([mask(t.regions, region_bit) for t in techs], dtype=np.int64)
    free = np.array([t.capacity > 0 for t in techs], dtype=bool)
    return (((o_skill[:, None] & ~t_skill[None, :]) == 0)
            & ((o_region[:, None] & t_region[None, :]) != 0) & free[None, :])


def exact(orders: list[Order], techs: list[Technician]) -> tuple[int, int]:
    """The optimum by linear_sum_assignment on one column per free technician slot.

    Returns (total cost, the part of it paid by assigned pairs, without penalties)."""
    from scipy.optimize import linear_sum_assignment

    penalty = np.array([unassigned_penalty(o) for o in orders], dtype=np.float64)
    dist = distances_m(np.array([o.lng for o in orders]), np.array([o.lat for o in orders]),
                       np.array([t.lng for t in techs]), np.array([t.lat for t in techs]))
    loads = np.array([load_cost(t) for t in techs], dtype=np.int64)
    ok = eligibility(orders, techs)
    per_tech = np.where(ok, (dist + loads[None, :]).astype(np.float64), penalty[:, None])
    slots = np.array([max(t.capacity, 0) for t in techs], dtype=np.int64)
    matrix = np.repeat(per_tech, slots, axis=1)
    del per_tech, dist, ok
    short = len(orders) - matrix.shape[1]
    if short > 0:  # surplus orders stay unassigned at their penalty
        matrix = np.hstack([matrix, np.repeat(penalty[:, None], short, axis=1)])
    rows, cols = linear_sum_assignment(matrix)
    chosen = matrix[rows, cols]
    pairs = chosen[chosen < UNASSIGNED_PENALTY]
    return round(float(chosen.sum())), round(float(pairs.sum()))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    orders, techs = instance(args.orders, args.technicians, args.seed)
    started = time.perf_counter()
    result = assign(orders, techs, k=args.k)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    optimum, optimum_assigned = exact(orders, techs)
    optimum_seconds = time.perf_counter() - started
    slots = sum(t.capacity for t in techs)
    ratio_cost = result.cost / optimum if optimum else 1.0
    assigned_cost = sum(a.terms.cost for a in result.assignments)
    ratio_assigned = assigned_cost / optimum_assigned if optimum_assigned else 1.0
    ratio_time = seconds / optimum_seconds if optimum_seconds else 0.0
    no_eligible = sum(1 for u in result.unassigned if u.reason == NO_ELIGIBLE)
    print(f"Batch assignment: {len(orders):,} orders x {len(techs):,} technicians "
          f"({slots:,} free slots, {len(CITIES)} cities, seed {args.seed}), k={args.k} nearest "
          f"eligible ({result.arcs:,} order-technician arcs)\n")
    print_table(["solver", "cost", "assigned", "unassigned", "seconds"], [
        ["ours: min-cost flow (OR-Tools)", result.cost, len(result.assignments),
         len(result.unassigned), seconds],
        ["exact: linear_sum_assignment", optimum, "", "", optimum_seconds]])
    print(f"\nunassigned: {no_eligible} with no eligible technician, "
          f"{len(result.unassigned) - no_eligible} for want of capacity")
    print(f"travel and load cost of the assigned pairs (penalties left out): ours "
          f"{assigned_cost:,}, optimum {optimum_assigned:,}, ratio {ratio_assigned:.6f}")
    print(f"ratio cost ours/optimum: {ratio_cost:.6f} (target <= 1.001); ratio time "
          f"{ratio_time:.4f} (target <= 0.05)")
    emit_json({
        "bench": "assignment", "orders": len(orders), "technicians": len(techs),
        "slots": slots, "k": args.k, "seed": args.seed, "arcs": result.arcs,
        "assigned": len(result.assignments), "unassigned": len(result.unassigned),
        "cost": result.cost, "optimum_cost": optimum, "ratio_cost": ratio_cost,
        "assigned_cost": assigned_cost, "optimum_assigned_cost": optimum_assigned,
        "ratio_assigned_cost": ratio_assigned,
        "excess_cost_ppm": (result.cost - optimum) * 1e6 / optimum if optimum else 0.0,
        "seconds": seconds, "optimum_seconds": optimum_seconds, "ratio_time": ratio_time,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
