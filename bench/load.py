"""Load: N simultaneous readers and writers against a running backend, on SQLite and PostgreSQL.

Run: python -m bench.load [--clients 500] [--rounds 3] [--postgres URL | --no-postgres] [--quick]

Per database (a temp SQLite file; and PostgreSQL: `--postgres URL`, or by default when
127.0.0.1:5432 answers, in a fresh database created and dropped here) the backend runs as in
production (`lastmile serve`, uvicorn in a child process on a free loopback port) on the demo
world. N clients on pre-opened keep-alive connections are released together (an asyncio.Event),
`--rounds` times: half read (an order's detail, a page of the queue), half write (freeze or
unfreeze one of 50 orders with the version read before the round, so some lose with 409).
While each round runs, a prober asks GET /v1/health one request after another.

Printed per database: answers by status (every request must be answered: 200, 409 or 503 with
Retry-After; no time-out, no connection error), throughput (answers per second of the round),
p50/p99 latency of all answers and of the 200s, health's p99 during the load and its time right
after it; the floor is N simultaneous GET /v1/health on the same connections measured just
before, in the same run. Afterwards the database must hold exactly as many freezes and
unfreezes as were answered 200 (nothing written behind a refusal). Exit 1 when a request went
unanswered or the writes do not match.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import Timing, emit_json, percentile, print_table, ratio
from bench.databases import sqlite_url
from bench.grab_contention import (
    DEFAULT_PG,
    drop_postgres,
    fresh_postgres,
    postgres_answers,
    together,
)
from bench.propagation import Backend
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.storage.db import make_engine, migrate
from core.storage.tables import OrderEventRecord, OrderRecord

WRITE_TARGETS = 50
ANSWERED = {200, 409, 503}
CLIENT_TIMEOUT = 120.0  # far beyond any answer the backend should give; a time-out is a defect


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="simultaneous clients")
    parser.add_argument("--rounds", type=int, default=3, help="bursts per database")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="PostgreSQL server to use (a fresh database is created and dropped)"
                             "; default: 127.0.0.1:5432 when it answers")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quick", action="store_true", help="40 clients, 1 round (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.rounds = 40, 1
    return args


def seed(url: str) -> list[int]:
    """The demo world; the ids of the open orders the writers work on."""
    engine = make_engine(url)
    try:
        migrate(engine)
        seed_demo(engine, build(seed=7, orders=max(WRITE_TARGETS * 2, 120)))
        with Session(engine) as session:
            ids = session.scalars(select(OrderRecord.id).where(
                OrderRecord.state.not_in(["closed", "cancelled", "frozen"]))
                .order_by(OrderRecord.id).limit(WRITE_TARGETS)).all()
        return list(ids)
    finally:
        engine.dispose()


def writes_stored(url: str, ids: list[int]) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(OrderEventRecord).where(
                OrderEventRecord.order_id.in_(ids),
                OrderEventRecord.kind.in_(["freeze", "unfreeze"]))) or 0
    finally:
        engine.dispose()


async def health_prober(http: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    """GET /v1/health one after another until `stop`; each round trip in ms."""
    samples: list[float] = []
    while not stop.is_set() and len(samples) < 100_000:
        t0 = time.perf_counter()
        r = await http.get("/v1/health")
        if r.status_code == 200:
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


async def one_round(http: httpx.AsyncClient, n: int, headers: dict[str, str],
                    ids: list[int]) -> dict[str, Any]:
    versions: dict[int, dict[str, Any]] = {}
    for order_id in ids:  # what each writer sends: the version and state it last saw
        versions[order_id] = (await http.get(f"/v1/orders/{order_id}", headers=headers)).json()

    def call(i: int) -> Any:
        if i % 2:
            if i % 4 == 1:
                return http.get(f"/v1/orders/{ids[i % len(ids)]}", headers=headers)
            return http.get("/v1/orders", params={"limit": 50, "open": "true"}, headers=headers)
        order = versions[ids[(i // 2) % len(ids)]]
        action = "unfreeze" if order["state"] == "frozen" else "freeze"
        return http.post(f"/v1/orders/{order['id']}/actions", headers=headers, json={
            "action": action, "version": order["version"], "reason": "压测 (load bench)"})

    stop = asyncio.Event()
    prober = asyncio.create_task(health_prober(http, stop))
    t0 = time.perf_counter()
    answers = await together(n, call)
    elapsed = time.perf_counter() - t0
    stop.set()
    during = await prober
    t1 = time.perf_counter()
    after = (await http.get("/v1/health")).status_code
    after_ms = (time.perf_counter() - t1) * 1000
    statuses = Counter(status for status, _ in answers)
    writes_ok = sum(1 for i, (status, _) in enumerate(answers) if i % 2 == 0 and status == 200)
    return {"answers": answers, "statuses": statuses, "elapsed_s": elapsed,
            "health_during_ms": during, "health_after_ms": after_ms,
            "health_after_status": after, "writes_ok": writes_ok}


async def load(base_url: str, n: int, rounds: int, ids: list[int]) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=n + 1, max_keepalive_connections=n + 1)
    async with httpx.AsyncClient(base_url=base_url, limits=limits,
                                 timeout=CLIENT_TIMEOUT) as http:
        login = await http.post("/v1/auth/login", json={"username": "agent", "password": "demo"})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        # A first round opens the N keep-alive connections the floor and the load reuse.
        await together(n, lambda i: http.get("/v1/health"))
        floor = await together(n, lambda i: http.get("/v1/health"))
        done = [await one_round(http, n, headers, ids) for _ in range(rounds)]
    all_ms = [ms for r in done for _, ms in r["answers"]]
    ok_ms = [ms for r in done for status, ms in r["answers"] if status == 200]
    during = [ms for r in done for ms in r["health_during_ms"]]
    floor_t = Timing(tuple(ms for status, ms in floor if status == 200))
    statuses: Counter[int | str] = Counter()
    for r in done:
        statuses.update(r["statuses"])
    answered = sum(v for k, v in statuses.items() if k in ANSWERED)
    seconds = sum(r["elapsed_s"] for r in done)
    return {
        "clients": n, "rounds": rounds,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "unanswered": sum(v for k, v in statuses.items() if k not in ANSWERED),
        "throughput_per_s": answered / seconds if seconds else 0.0,
        "ok_per_s": len(ok_ms) / seconds if seconds else 0.0,
        "all": {"p50_ms": percentile(all_ms, 50), "p99_ms": percentile(all_ms, 99)},
        "ok": {"p50_ms": percentile(ok_ms, 50) if ok_ms else 0.0,
               "p99_ms": percentile(ok_ms, 99) if ok_ms else 0.0},
        "health_during": {"p99_ms": percentile(during, 99) if during else 0.0,
                          "samples": len(during)},
        "health_after_ms": max(r["health_after_ms"] for r in done),
        "health_after_ok": all(r["health_after_status"] == 200 for r in done),
        "health_floor": {"p50_ms": floor_t.p50, "p99_ms": percentile(floor_t.samples, 99)},
        "ratio_p99": ratio(percentile(all_ms, 99), percentile(floor_t.samples, 99)),
        "ratio_health_during_p99": ratio(percentile(during, 99) if during else 0.0,
                                         percentile(floor_t.samples, 99)),
        "writes_ok": sum(r["writes_ok"] for r in done),
    }


def run_one(url: str, clients: int, rounds: int, folder: Path) -> dict[str, Any]:
    ids = seed(url)
    before = writes_stored(url, ids)
    backend = Backend(url, folder / f"backend-{uuid.uuid4().hex[:6]}.log")
    try:
        asyncio.run(backend.ready())
        figures = asyncio.run(load(backend.url, clients, rounds, ids))
    finally:
        backend.stop()
    figures["writes_stored"] = writes_stored(url, ids) - before
    return figures


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="lastmile-load-") as folder:
        print(f"sqlite: {args.clients} simultaneous clients x {args.rounds} rounds")
        results["sqlite"] = run_one(sqlite_url(Path(folder)), args.clients, args.rounds,
                                    Path(folder))
        server = args.postgres or (DEFAULT_PG if not args.no_postgres and postgres_answers()
                                   else None)
        if server and not args.no_postgres:
            url = fresh_postgres(server)
            print(f"postgresql: {args.clients} simultaneous clients x {args.rounds} rounds")
            try:
                results["postgresql"] = run_one(url, args.clients, args.rounds, Path(folder))
            finally:
                drop_postgres(url)
    rows = [[db, r["statuses"].get("200", 0), r["statuses"].get("409", 0),
             r["statuses"].get("503", 0), r["unanswered"], r["throughput_per_s"],
             r["all"]["p99_ms"], r["health_floor"]["p99_ms"], r["ratio_p99"],
             r["health_during"]["p99_ms"], r["health_after_ms"]]
            for db, r in results.items()]
    print_table(["database", "200", "409", "503", "unanswered", "answers/s", "p99 ms",
                 "floor p99", "x p99", "health p99 in load", "health after ms"], rows)
    figures = {"bench": "load", "clients": args.clients, "rounds": args.rounds,
               "transport": "uvicorn subprocess, HTTP on 127.0.0.1", "databases": results}
    emit_json(figures)
    return figures


def ok(figures: dict[str, Any]) -> bool:
    return all(r["unanswered"] == 0 and r["health_after_ok"]
               and r["writes_stored"] == r["writes_ok"]
               for r in figures["databases"].values())


if __name__ == "__main__":
    raise SystemExit(0 if ok(main()) else 1)
