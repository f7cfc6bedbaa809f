"""The SLA board's first paint over a million open orders, against a bare count of its rows.

Run: python -m bench.sla_board [--orders 1000000] [--postgres URL | --no-postgres] [--quick]

Per database (a temp SQLite file; and PostgreSQL: `--postgres URL`, or by default when
127.0.0.1:5432 answers, in a fresh database created and dropped here) bench.sla_data loads the
open orders and their deadline rows: half the orders have a recorded 预警, a quarter a 警告,
half of them assigned to a technician. The first paint is what GET /v1/sla/board and the first
page of GET /v1/sla/alerts serve (core.services.sla.board.handle_board: counts by region, step,
service point and technician, aggregated in SQL; handle_open_alerts: the 200 soonest due, as
the console asks), each in its own session as the server would. The floor is the bare count of
the rows any board must count (open, recorded alerts), on a plain connection.

Figures are milliseconds and ratios to the floor; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bench.common import emit_json, print_table, ratio, time_calls
from bench.sla_data import NOW, bench_parser, on_each_database, prepare
from core.services.sla.board import Board, BoardFilter, handle_board
from core.services.sla.deadlines import AlertFilter, OpenAlert, handle_open_alerts
from core.storage.db import make_engine

FLOOR = text("SELECT count(*) FROM sla_deadlines WHERE open = true AND pending = false")
FIRST_PAGE = 200  # console.presenters.sla.board.ALERT_LIMIT


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser("sla_board", __doc__)
    parser.add_argument("--repeat", type=int, default=15, help="timed calls per measure")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.repeat = 20_000, 5
    return args


def board(engine: Engine) -> Board:
    with Session(engine) as session:
        return handle_board(BoardFilter(), session, NOW)


def first_page(engine: Engine) -> list[OpenAlert]:
    with Session(engine) as session:
        return handle_open_alerts(AlertFilter(limit=FIRST_PAGE), session, NOW)


def run_one(url: str, orders: int, repeat: int) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        loaded = prepare(engine, orders)
        print(f"  loaded {loaded.orders:,} orders, {loaded.deadline_rows:,} deadline rows "
              f"({loaded.recorded:,} recorded) in {loaded.seconds:.1f} s", flush=True)
        with engine.connect() as conn:
            counted = conn.scalar(FLOOR) or 0
            floor = time_calls(lambda: conn.scalar(FLOOR), repeat=repeat)
        shown = board(engine)
        counts = time_calls(lambda: board(engine), repeat=repeat)
        page = time_calls(lambda: first_page(engine), repeat=repeat)
        listed = len(first_page(engine))
    finally:
        engine.dispose()
    paint = counts.p50 + page.p50
    return {
        "orders": orders, "deadline_rows": loaded.deadline_rows,
        "open_recorded_rows": int(counted), "load_seconds": round(loaded.seconds, 1),
        "board_total": _total(shown), "listed": listed,
        "floor_ms": {"p50": round(floor.p50, 2), "p95": round(floor.p95, 2)},
        "board_ms": {"p50": round(counts.p50, 2), "p95": round(counts.p95, 2)},
        "first_page_ms": {"p50": round(page.p50, 2), "p95": round(page.p95, 2)},
        "first_paint_ms": round(paint, 2),
        "ratio_board": round(ratio(counts.p50, floor.p50), 2),
        "ratio_first_paint": round(ratio(paint, floor.p50), 2),
    }


def _total(shown: Board) -> int:
    """Runs with an open alert, as the board's total counts them."""
    return sum(shown.total.counts.values())


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results = on_each_database("sla-board", args.orders, args.postgres, args.no_postgres,
                               lambda url: run_one(url, args.orders, args.repeat))
    rows = [[db, r["orders"], r["open_recorded_rows"], r["floor_ms"]["p50"],
             r["board_ms"]["p50"], r["ratio_board"], r["first_page_ms"]["p50"],
             r["first_paint_ms"], r["ratio_first_paint"]] for db, r in results.items()]
    print_table(["database", "open orders", "alert rows", "floor p50", "board p50", "x board",
                 "page p50", "first paint", "x paint"], rows)
    figures = {"bench": "sla_board", "first_page": FIRST_PAGE, "databases": results}
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
