"""GET /v1/orders latency on a large database, against the bare SQL of the same page.

Run: python -m bench.queue_endpoint [--orders 1000000] [--database-url URL] [--quick]

The API is called in-process through httpx.ASGITransport (the real FastAPI app: routing, auth,
validation, the repository, serialisation; no sockets). The floor is the very SELECT the
repository issued for that request (captured from the engine), run again on a raw DB-API
connection of the same engine: the difference is what the app adds on top of the database.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event, func, select, text

from bench.common import Stopwatch, Timing, emit_json, print_table, ratio, time_calls
from bench.databases import counts, ensure_postgres_database, is_postgres_url, sqlite_url
from bench.orders_data import bulk_load
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.storage.db import is_postgres, make_engine, migrate
from core.storage.orders.queue import encode_cursor
from core.storage.tables import OrderRecord as O

TERMINAL = ("closed", "cancelled")
COST = re.compile(r"\s*\(cost=[^)]*\)")


@dataclass(frozen=True)
class QueueRequest:
    name: str
    params: dict[str, str]


@dataclass
class Captured:
    statement: str = ""
    parameters: Any = None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue_endpoint", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders to generate")
    parser.add_argument("--database-url", help="an empty database to fill, or one this "
                        "benchmark filled before (reused as is); default: SQLite in a temp dir")
    parser.add_argument("--repeat", type=int, default=40, help="timed calls per request")
    parser.add_argument("--budget", type=float, default=8.0,
                        help="seconds per request and side before fewer calls are taken")
    parser.add_argument("--limit", type=int, default=100, help="page size")
    parser.add_argument("--no-analyze", action="store_true",
                        help="skip ANALYZE after loading (SQLite then plans without statistics)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.repeat, args.budget = 3000, 5, 1.0
    return args


def prepare(engine: Engine, orders: int, analyze: bool) -> dict[str, Any]:
    """Fill an empty database (people via the demo seed, orders by bulk load) or reuse it."""
    migrate(engine)
    users, existing = counts(engine)
    if existing:
        print(f"reusing the {existing:,} orders already in the database")
        return {"orders": existing, "reused": True}
    if users:
        raise SystemExit("the database has users but no orders: give an empty one")
    with Stopwatch() as seeding:
        seed_demo(engine, build(orders=0))
    print(f"loading {orders:,} orders ...", flush=True)
    step = max(orders // 10, 1)

    def progress(done: int) -> None:
        if done % step < 20_000:
            print(f"  {done:,} rows", flush=True)

    report = bulk_load(engine, orders, analyze=analyze, progress=progress)
    load = {"orders": orders, "reused": False, "seed_s": seeding.seconds,
            "generate_s": report.generate_s, "insert_s": report.insert_s,
            "index_s": report.index_s, "analyze_s": report.analyze_s}
    print(f"loaded in {report.generate_s + report.insert_s + report.index_s:.1f} s "
          f"(generate {report.generate_s:.1f}, insert {report.insert_s:.1f}, "
          f"indexes {report.index_s:.1f}, analyze {report.analyze_s:.1f})")
    return load


def queue_requests(engine: Engine, limit: int) -> list[QueueRequest]:
    """Realistic queue requests, their arguments picked from the data."""
    with engine.connect() as conn:
        total = conn.scalar(select(text("count(*)")).select_from(O)) or 0
        # The busiest county: the longest list a county filter has to page through.
        county = conn.scalar(select(O.county_adcode).group_by(O.county_adcode)
                             .order_by(text("count(*) DESC")).limit(1)) or ""
        # Somebody phones about an order they placed recently: look them up by name. Chinese
        # names have two or three characters; trigram indexes only help from three on.
        names = {}
        for length in (3, 2):
            names[length] = conn.scalar(
                select(O.customer_name)
                .where(O.state.not_in(TERMINAL), func.length(O.customer_name) == length)
                .order_by(O.created_at.desc(), O.id.desc()).offset(50).limit(1)
            ) or "王"
        deep = conn.execute(select(O.created_at, O.id).order_by(O.created_at.desc(),
                                                                O.id.desc())
                            .offset(total // 2).limit(1)).one()
    city_code = county[:4] + "00"
    base = {"open": "true", "limit": str(limit)}
    return [
        QueueRequest("first_page", {**base}),
        QueueRequest("state", {**base, "state": "dispatching"}),
        QueueRequest("county", {**base, "county": county}),
        QueueRequest("city", {**base, "city": city_code}),
        QueueRequest("service_platform", {**base, "service_type": "repair", "platform": "jd"}),
        QueueRequest("q_name", {**base, "q": names[3]}),
        QueueRequest("q_short_name", {**base, "q": names[2]}),
        QueueRequest("deep_page", {**base, "cursor": encode_cursor(
            "created_at", "desc", [deep.created_at, deep.id])}),
        QueueRequest("state_changed", {**base, "sort": "state_changed_at"}),
    ]


def capture_queue_sql(engine: Engine, sink: Captured) -> None:
    """Remember the queue SELECT each request issues (not the auth or feed-position reads)."""

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM orders" in statement and "LIMIT" in statement:
            sink.statement, sink.parameters = statement, parameters

    event.listen(engine, "before_cursor_execute", before)


def explain(engine: Engine, statement: str, parameters: Any) -> tuple[list[str], str]:
    """The plan lines and how the orders table is read.

    "range": an index range (bounded); "walk": the whole index in sort order, stopping once the
    page is full (fast when the filter matches often, a full scan when it matches rarely);
    "FULL": the table without an index. "+sort" means the page is sorted after reading.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if is_postgres(engine):
            cursor.execute("EXPLAIN " + statement, parameters)
            lines = [COST.sub("", r[0]).rstrip() for r in cursor.fetchall()]
            access, sort = _postgres_access(lines)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            lines = [r[3] for r in cursor.fetchall()]
            orders = [ln for ln in lines if ln.split()[1:2] == ["orders"]]
            access = ("range" if any(ln.startswith("SEARCH") for ln in orders)
                      else "walk" if any("INDEX" in ln for ln in orders) else "FULL")
            sort = any("TEMP B-TREE" in ln for ln in lines)
        raw.rollback()
    finally:
        raw.close()
    return lines, access + ("+sort" if sort else "")


def _postgres_access(lines: list[str]) -> tuple[str, bool]:
    """How PostgreSQL reads orders: the scan node on it and whether an index condition bounds it."""
    sort = any(ln.strip().removeprefix("->").strip().startswith(("Sort", "Incremental Sort"))
               for ln in lines)
    for n, line in enumerate(lines):
        if " on orders" not in line:
            continue
        if "Seq Scan" in line:
            return "FULL", sort
        depth = len(line) - len(line.lstrip())
        body = []
        for below in lines[n + 1:]:
            if len(below) - len(below.lstrip()) <= depth:
                break
            body.append(below)
        bounded = any("Index Cond" in b or "Recheck Cond" in b for b in body)
        return ("range" if bounded else "walk"), sort
    return "?", sort


def floor_timing(engine: Engine, sql: Captured, repeat: int, budget: float) -> Timing:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()

        def run() -> None:
            cursor.execute(sql.statement, sql.parameters)
            cursor.fetchall()

        run()  # warm the page cache and the statement cache
        timing = time_calls(run, repeat=repeat, budget_s=budget)
        raw.rollback()
    finally:
        raw.close()
    return timing


async def endpoint_timings(
    engine: Engine, requests: list[QueueRequest], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    sql = Captured()
    capture_queue_sql(engine, sql)
    app = create_app(engine)
    transport = httpx.ASGITransport(app=app)
    results: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        login = await http.post("/v1/auth/login", json={"username": "agent", "password": "demo"})
        login.raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for request in requests:
            response = await http.get("/v1/orders", params=request.params)
            response.raise_for_status()
            rows = len(response.json()["rows"])
            captured = Captured(sql.statement, sql.parameters)
            samples: list[float] = []
            started = time.perf_counter()
            for n in range(args.repeat):
                t0 = time.perf_counter()
                (await http.get("/v1/orders", params=request.params)).raise_for_status()
                samples.append((time.perf_counter() - t0) * 1000)
                if n >= 4 and time.perf_counter() - started > args.budget:
                    break
            floor = floor_timing(engine, captured, args.repeat, args.budget)
            plan, access = explain(engine, captured.statement, captured.parameters)
            api = Timing(tuple(samples))
            results[request.name] = {
                "params": {k: v for k, v in request.params.items() if k != "cursor"},
                "rows": rows, "calls": len(samples), "p50_ms": api.p50, "p95_ms": api.p95,
                "floor_p50_ms": floor.p50, "floor_p95_ms": floor.p95,
                "ratio_p50": ratio(api.p50, floor.p50), "ratio_p95": ratio(api.p95, floor.p95),
                "access": access, "plan": plan,
            }
            print(f"  {request.name}: p50 {api.p50:.2f} ms, floor {floor.p50:.2f} ms", flush=True)
    return results


def report(results: dict[str, dict[str, Any]]) -> None:
    print("\nGET /v1/orders (ms; floor = the same SELECT on a raw connection)")
    print_table(
        ["request", "rows", "p50", "p95", "floor p50", "floor p95", "x p50", "x p95",
         "orders read"],
        [[name, r["rows"], r["p50_ms"], r["p95_ms"], r["floor_p50_ms"], r["floor_p95_ms"],
          r["ratio_p50"], r["ratio_p95"], r["access"]]
         for name, r in results.items()],
    )
    print("\nquery plans")
    for name, r in results.items():
        print(f"  {name}: " + " | ".join(r["plan"]))


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lastmile-bench-") as folder:
        url = args.database_url or sqlite_url(Path(folder))
        if is_postgres_url(url):
            ensure_postgres_database(url)
        engine = make_engine(url)
        try:
            load = prepare(engine, args.orders, analyze=not args.no_analyze)
            requests = queue_requests(engine, args.limit)
            print(f"measuring {len(requests)} requests, up to {args.repeat} calls each")
            results = asyncio.run(endpoint_timings(engine, requests, args))
        finally:
            engine.dispose()
    report(results)
    figures = {
        "bench": "queue_endpoint", "backend": "postgresql" if is_postgres_url(url) else "sqlite",
        "transport": "httpx.ASGITransport", "limit": args.limit, "load": load,
        "requests": results,
    }
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
