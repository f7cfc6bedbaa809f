"""Day routes on the Solomon VRPTW instances: our pyvrp planner's distance against the best known.

Run: python -m bench.routes --instance FILE [--seconds S] [--seed N] [--quick]

The instance is read with vrplib (the LKH-3 files say FLOOR_2D, which vrplib does not know: it is
read as EUC_2D without computed weights). The planner gets integer distances and travel times of
Euclidean x SCALE (10 for these files), truncated, and windows and service times x SCALE; the
fleet is the instance's VEHICLES. The cost is that total over SCALE: every arc truncated to one
decimal, the DIMACS convention under which best_known.csv's distances were computed (C101's
optimum, 827.3, is 828.94 in unrounded Euclidean distance, printed for information).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from vrplib.parse import parse_vrplib

from bench.common import emit_json
from core.dispatch.routes import Base, Plan, Problem, Visit, plan_routes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "vrptw"
QUICK_INSTANCE = DATA / "solomon100" / "R101.100.20.vrptw"  # feasible within 1 s
EPS = 1e-6


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.routes", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--instance", type=Path, help="a VRPTW instance file (Solomon, LKH-3 text)")
    parser.add_argument("--seconds", type=float, default=10.0, help="solver time limit")
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--quick", action="store_true",
                        help=f"1 second on {QUICK_INSTANCE.name} (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.instance, args.seconds = args.instance or QUICK_INSTANCE, 1.0
    if args.instance is None:
        parser.error("--instance is required (or --quick)")
    return args


def read_instance(path: Path) -> dict[str, Any]:
    text = path.read_text().replace("FLOOR_2D", "EUC_2D")
    data: dict[str, Any] = parse_vrplib(text, compute_edge_weights=False)
    return data


def best_known(path: Path, name: str) -> float | None:
    sol = path.with_suffix(".sol")
    if sol.exists():
        for line in sol.read_text().splitlines():
            if line.lower().startswith("cost"):
                return float(line.split()[1])
    table = path.parent.parent / "best_known.csv"
    if table.exists():
        with table.open() as f:
            for row in csv.DictReader(f):
                if row["instance"] == name:
                    return float(row["best_known_distance"])
    return None


def to_problem(inst: dict[str, Any], scale: int) -> tuple[Problem, np.ndarray]:
    coords = np.asarray(inst["node_coord"], dtype=float)
    exact = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2))
    scaled = np.floor(exact * scale + EPS).astype(np.int64)
    n = len(coords)
    service = np.broadcast_to(np.asarray(inst.get("service_time", 0)), (n,)).copy()
    service[0] = 0  # the depot
    windows = np.asarray(inst["time_window"])
    visits = [Visit(str(k), int(windows[k, 0]) * scale, int(windows[k, 1]) * scale,
                    round(float(service[k]) * scale), (coords[k, 0], coords[k, 1]),
                    int(inst["demand"][k]))
              for k in range(1, n)]
    base = Base(int(windows[0, 0]) * scale, int(windows[0, 1]) * scale,
                (coords[0, 0], coords[0, 1]))
    problem = Problem(base, visits, vehicles=int(inst.get("vehicles", n - 1)),
                      capacity=int(inst["capacity"]), distances=scaled.tolist(),
                      durations=scaled.tolist())
    return problem, exact


def euclidean_cost(plan: Plan, exact: np.ndarray) -> float:
    """Total unrounded Euclidean distance of the routes (for information only)."""
    total = 0.0
    for route in plan.routes:
        path = [0, *(int(stop.visit_id) for stop in route.stops), 0]
        total += sum(float(exact[a, b]) for a, b in itertools.pairwise(path))
    return total


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    path: Path = args.instance
    inst = read_instance(path)
    name = str(inst.get("name", path.stem.split(".")[0]))
    scale = int(inst.get("scale", 10))
    problem, exact = to_problem(inst, scale)
    started = time.perf_counter()
    with warnings.catch_warnings():  # pyvrp warns while its penalties are still growing
        warnings.simplefilter("ignore")
        plan = plan_routes(problem, seconds=args.seconds, seed=args.seed)
    seconds = time.perf_counter() - started
    cost = plan.distance / scale  # arcs truncated to 1/scale: the DIMACS convention
    known = best_known(path, name)
    gap = cost / known - 1 if known else None
    used = sum(1 for r in plan.routes if r.stops)
    print(f"Day routes: {name}, {len(problem.visits)} visits, fleet {problem.vehicles}, "
          f"{args.seconds:g} s limit, seed {args.seed}")
    print(f"cost {cost:.1f} (arcs truncated to 1/{scale}; unrounded Euclidean "
          f"{euclidean_cost(plan, exact):.2f}), {used} vehicles, feasible {plan.feasible}, "
          f"unvisited {len(plan.unvisited)}")
    if known:
        print(f"best known {known:.1f}: gap {100 * (gap or 0):.2f} % (target <= 1 %)")
    emit_json({
        "bench": "routes", "instance": name, "cost": cost, "vehicles": used,
        "feasible": plan.feasible, "unvisited": len(plan.unvisited), "best_known": known,
        "gap": gap, "seconds": round(seconds, 2), "time_limit": args.seconds,
        "seed": args.seed, "scale": scale,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
