"""Simulated days end to end, against intake alone, on SQLite and PostgreSQL.

Run: python -m bench.simulate [--orders 10000] [--seed 7] [--postgres URL | --no-postgres] [--quick]

Per database (a temp SQLite file; and PostgreSQL: `--postgres URL`, or by default when
127.0.0.1:5432 answers, in fresh databases created and dropped here) one simulated day of
`--orders` arrivals runs twice on a fresh demo world (core.simulation): once with everyone at
work — intake, dispatch rounds, technicians, the grab pool, the stand-in agent and the centre,
from arrival to completion and the desk checks (`lastmile simulate`) — and once through intake
alone, the same webhooks at the same simulated times with nobody acting on them: the floor.
Printed per database: orders simulated per wall second of the day (setting up the world aside)
for both, their ratio, orders completed in the day and per second, and the wall seconds by
kind of event (where the time goes). The long-term aim — a national day of 1,000,000 orders
within an hour, 278 orders/s — is printed against the end-to-end rate.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from bench.common import emit_json, print_table
from bench.grab_contention import DEFAULT_PG, drop_postgres, fresh_postgres, postgres_answers
from core.simulation.day import Plan
from core.simulation.run import intake_only, simulate

NATIONAL_DAY_PER_S = 1_000_000 / 3600
DONE = ("served", "verified", "in_review", "settleable", "settled", "closed")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=10_000, help="arrivals in the day")
    parser.add_argument("--seed", type=int, default=7, help="the day's seed")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="PostgreSQL server URL (a fresh database is created on it)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders = 20
    return args


def run_one(plan: Plan, url: str | None, floor_url: str | None) -> dict[str, Any]:
    floor = intake_only(plan, database_url=floor_url)
    day = simulate(plan, database_url=url)
    done = sum(n for state, n in day["orders_by_state"].items() if state in DONE)
    per_s = day["orders_per_second"] or 0.0
    return {
        "orders": day["orders"], "completed": done, "day_seconds": day["day_seconds"],
        "orders_per_s": per_s,
        "completed_per_s": done / day["day_seconds"] if day["day_seconds"] else 0.0,
        "intake_orders_per_s": floor["orders_per_second"],
        "intake_day_seconds": floor["day_seconds"],
        "ratio_to_intake": per_s / floor["orders_per_second"]
        if floor["orders_per_second"] else None,
        "national_day_ratio": per_s / NATIONAL_DAY_PER_S,
        "dispatch_rounds": day["dispatch_rounds"],
        "seconds_by_event": day["seconds_by_event"],
        "dispatch_modes": {k: v["share"] for k, v in day["dispatch_modes"].items()},
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    plan = Plan(days=1, orders_per_day=args.orders, seed=args.seed)
    results: dict[str, dict[str, Any]] = {}
    print(f"sqlite: a day of {args.orders:,} orders (seed {args.seed})", flush=True)
    results["sqlite"] = run_one(plan, None, None)
    server = args.postgres or (DEFAULT_PG if not args.no_postgres and postgres_answers()
                               else None)
    if server and not args.no_postgres:
        print(f"postgresql: a day of {args.orders:,} orders (seed {args.seed})", flush=True)
        url, floor_url = fresh_postgres(server), fresh_postgres(server)
        try:
            results["postgresql"] = run_one(plan, url, floor_url)
        finally:
            drop_postgres(url)
            drop_postgres(floor_url)
    rows = [[db, r["orders"], f"{r['intake_orders_per_s']:,.1f}", f"{r['orders_per_s']:,.1f}",
             f"{r['ratio_to_intake']:.3f}" if r["ratio_to_intake"] else "",
             r["completed"], f"{r['completed_per_s']:,.1f}", f"{r['day_seconds']:.1f}",
             f"{r['national_day_ratio']:.3f}"] for db, r in results.items()]
    print()
    print_table(["database", "orders", "intake/s", "end to end/s", "× intake", "completed",
                 "completed/s", "wall s", "× national"], rows)
    for db, r in results.items():
        spent = sorted(r["seconds_by_event"].items(), key=lambda kv: -kv[1])
        print(f"\n{db}: wall seconds by event: "
              + ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in spent))
    figures = {"bench": "simulate", "orders": args.orders, "seed": args.seed,
               "national_day_per_s": NATIONAL_DAY_PER_S, "results": results}
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
