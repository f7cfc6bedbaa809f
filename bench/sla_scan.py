"""The SLA deadline scan over a million open orders, against a bare indexed range query.

Run: python -m bench.sla_scan [--orders 1000000] [--rounds 10] [--postgres URL | --no-postgres]
     [--quick]

Per database (a temp SQLite file; and PostgreSQL: `--postgres URL`, or by default when
127.0.0.1:5432 answers, in a fresh database created and dropped here) bench.sla_data loads the
open orders and their deadline rows (about 1,042 alerts come due each minute at a million). Then:

- floor: the bare range query the scan starts from (pending alerts due by the end of the next
  minute, soonest first, one batch: the (pending, at) index), on a plain connection;
- idle round: one scan round (core.services.sla.deadlines.handle_scan_deadlines, as the server
  runs it every second) at `now`, when nothing is due: what every second costs;
- minute rounds: the clock one minute on each time, each round records what came due (a batch
  of 1,000 at most: recomputing those orders first, then each alert on its order's timeline).

Figures are milliseconds and ratios to the floor; nothing here asserts a time. The generated
rows are checked against the real rule first (exit 1 if a recomputed sample differs).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, text

from bench.common import Timing, emit_json, print_table, ratio, time_calls
from bench.sla_data import NOW, bench_parser, check_sample, on_each_database, prepare
from core.clock import SimulatedClock
from core.services.sla.deadlines import ScanDeadlines, handle_scan_deadlines
from core.storage.db import make_engine
from core.storage.types import UTCDateTime
from core.storage.uow import UnitOfWork

FLOOR = text("SELECT id, order_id, at FROM sla_deadlines WHERE pending = true AND at <= :until "
             "ORDER BY at, id LIMIT :batch").bindparams(bindparam("until", type_=UTCDateTime))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser("sla_scan", __doc__)
    parser.add_argument("--rounds", type=int, default=10, help="minute rounds timed")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.rounds = 20_000, 3
    return args


def scan_at(engine: Engine, minutes: float) -> int:
    """One scan round with the clock `minutes` after `now`; the alerts it recorded."""
    clock = SimulatedClock(NOW + timedelta(minutes=minutes))
    return len(handle_scan_deadlines(ScanDeadlines(), UnitOfWork(engine, clock=clock)))


def _p50(timing: Timing) -> float:
    return round(timing.p50, 2)


def run_one(url: str, orders: int, rounds: int) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        loaded = prepare(engine, orders)
        print(f"  loaded {loaded.orders:,} orders, {loaded.deadline_rows:,} deadline rows "
              f"({loaded.recorded:,} recorded) in {loaded.seconds:.1f} s", flush=True)
        changed = check_sample(engine, orders)
        batch = ScanDeadlines().batch
        until = NOW + timedelta(minutes=1)
        with engine.connect() as conn:
            due = len(conn.execute(FLOOR, {"until": until, "batch": 10 * batch}).all())
            floor = time_calls(lambda: conn.execute(
                FLOOR, {"until": until, "batch": batch}).all(), repeat=30)
        idle_found: list[int] = []
        idle = time_calls(lambda: idle_found.append(scan_at(engine, 0)), repeat=30)
        samples, recorded = [], []
        for minute in range(1, rounds + 1):
            started = time.perf_counter()
            recorded.append(scan_at(engine, minute))
            samples.append((time.perf_counter() - started) * 1000)
        minute_rounds = Timing(tuple(samples))
    finally:
        engine.dispose()
    return {
        "orders": orders, "deadline_rows": loaded.deadline_rows,
        "load_seconds": round(loaded.seconds, 1), "sample_rows_changed": changed,
        "due_next_minute": due,
        "floor_ms": {"p50": _p50(floor), "p95": round(floor.p95, 2)},
        "idle_round_ms": {"p50": _p50(idle), "p95": round(idle.p95, 2),
                          "recorded": sum(idle_found)},
        "minute_round_ms": {"p50": _p50(minute_rounds), "max": round(max(samples), 2),
                            "recorded_per_round": recorded},
        "ratio_idle": round(ratio(idle.p50, floor.p50), 2),
        "ratio_minute": round(ratio(minute_rounds.p50, floor.p50), 2),
        "ms_per_alert": round(minute_rounds.p50 / max(1, min(recorded)), 3),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results = on_each_database("sla-scan", args.orders, args.postgres, args.no_postgres,
                               lambda url: run_one(url, args.orders, args.rounds))
    rows = [[db, r["orders"], r["due_next_minute"], r["floor_ms"]["p50"],
             r["idle_round_ms"]["p50"], r["ratio_idle"], r["minute_round_ms"]["p50"],
             min(r["minute_round_ms"]["recorded_per_round"]), r["ratio_minute"]]
            for db, r in results.items()]
    print_table(["database", "open orders", "due/min", "floor p50", "idle p50", "x idle",
                 "minute p50", "recorded", "x minute"], rows)
    figures = {"bench": "sla_scan", "databases": results}
    emit_json(figures)
    return figures


def ok(figures: dict[str, Any]) -> bool:
    """The generated rows are what the backend writes, and an idle round records nothing."""
    return all(r["sample_rows_changed"] == 0 and r["idle_round_ms"]["recorded"] == 0
               for r in figures["databases"].values())


if __name__ == "__main__":
    raise SystemExit(0 if ok(main()) else 1)
