"""Grab contention: N technicians claim one order at the same moment through the HTTP API.

Run: python -m bench.grab_contention [--claims 500] [--postgres URL | --no-postgres] [--quick]

Per database (a temp SQLite file; and PostgreSQL: `--postgres URL`, or by default when
127.0.0.1:5432 answers, in a fresh database created and dropped here) the backend runs as in
production (`lastmile serve`, uvicorn in a child process). One order is offered in the grab pool
and N eligible technicians are seeded straight into the database (one cheap argon2 hash shared by
all, so logging them in costs little); each logs in over HTTP. Then all N claims are released
together (an asyncio.Event over pre-opened keep-alive connections) and each is timed. The
floor is N simultaneous GET /v1/health on the same connections, measured just before. Exactly one
claim must win (exit 1 otherwise); the database is checked afterwards too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from bench.common import Timing, emit_json, percentile, print_table, ratio
from bench.databases import ensure_postgres_database, sqlite_url
from bench.propagation import Backend
from core.dispatch.policy import RegionPolicy
from core.orders.lifecycle import Role, ServiceType
from core.orders.model import Actor, ServiceOrder
from core.storage.db import make_engine, migrate
from core.storage.grab.pool import open_offer
from core.storage.tables import (
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    TechnicianRecord,
    UserRecord,
)
from core.storage.uow import UnitOfWork

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "grab-bench"
ACTOR = Actor("bench", Role.ADMIN)
RETRIED = [0]  # requests sent again after the server closed an idle keep-alive connection


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.grab_contention",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=500, help="simultaneous claimants")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="PostgreSQL server to use (a fresh database is created and dropped)"
                             "; default: 127.0.0.1:5432 when it answers")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quick", action="store_true", help="50 claimants (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.claims = 50
    return args


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def seed(url: str, claimants: int) -> tuple[list[str], int]:
    """A migrated database with one order offered in the pool and the claimants: their user
    names and the order's id."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        migrate(engine)
        # Cheap parameters: the server verifies with whatever the hash says, so N logins take
        # milliseconds instead of N x 80 ms; the claims, not the logins, are measured.
        hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
        names = [f"grab{i:04d}" for i in range(claimants)]
        with Session(engine) as session:
            techs = [TechnicianRecord(
                key=name, username=name, name=f"抢单师傅{i:04d}", phone=f"1370{i:07d}",
                skills=["aircon"], county_adcode="110105", service_point_id=None,
                home_lng=116.45 + (i % 50) * 1e-3, home_lat=39.92 + (i // 50) * 1e-3,
                daily_capacity=5, active=True, rating=4.5, qualifications=[],
            ) for i, name in enumerate(names)]
            session.add_all(techs)
            session.flush()
            session.add_all(UserRecord(username=t.key, display_name=t.name,
                                       role=Role.TECHNICIAN.value, technician_id=t.id,
                                       password_hash=hashed) for t in techs)
            session.commit()
        order = ServiceOrder.receive(
            ACTOR, now, order_no="GRAB000000001", platform="own", platform_order_id="GRAB-1",
            customer_name="顾客", customer_phone="13800000000", address="朝阳路1号",
            province="北京市", city="北京市", county_adcode="110105", county_name="朝阳区",
            lng=116.45, lat=39.92, service_type=ServiceType.INSTALL, skills=["aircon"])
        with UnitOfWork(engine) as uow:
            uow.orders.add(order)
            uow.commit()
        with UnitOfWork(engine) as uow:
            loaded = uow.orders.get(order.id or 0)
            assert loaded is not None
            for action, args in (("audit", {}), ("place", {}), ("classify", {}),
                                 ("open_dispatch", {"mode": "grab"})):
                loaded.perform(action, ACTOR, now, "", **args)
            uow.orders.save(loaded)
            open_offer(uow.session, loaded, RegionPolicy(), now, 60)
            uow.commit()
        return names, loaded.id or 0
    finally:
        engine.dispose()


async def together(n: int, call: Callable[[int], Awaitable[httpx.Response]]
                   ) -> list[tuple[int | str, float]]:
    """Run call(i) for every i, released at one instant; (status, ms) each.

    A request that got no answer at all counts as its error's name, not as a status.
    """
    go = asyncio.Event()

    async def one(i: int) -> tuple[int | str, float]:
        await go.wait()
        t0 = time.perf_counter()
        status: int | str = "none"
        for _ in range(3):
            try:
                status = (await call(i)).status_code
                break
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                # uvicorn closes keep-alive connections idle for 5 s; under this load a pooled
                # one can idle that long and be closed just as it is reused, before the server
                # read the request (a reset is a ReadError). Sent again (the time counts from
                # the first send); the stored attempts show whether the first one arrived.
                RETRIED[0] += 1
                status = type(exc).__name__
            except httpx.TransportError as exc:
                status = type(exc).__name__
                break
        return status, (time.perf_counter() - t0) * 1000

    tasks = [asyncio.create_task(one(i)) for i in range(n)]
    await asyncio.sleep(0.05)  # every task is parked on the event
    go.set()
    return await asyncio.gather(*tasks)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) the process has used so far; None where /proc cannot tell."""
    if pid is None:
        return None
    try:
        # Fields after the command name in parentheses: utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _per_request_ms(before: float | None, after: float | None, n: int) -> float | None:
    return None if before is None or after is None else round((after - before) * 1000 / n, 3)


async def contend(base_url: str, names: list[str], order_id: int,
                  backend_pid: int | None = None) -> dict[str, Any]:
    n = len(names)
    # Keep-alive connections, opened before the measured rounds: 500 simultaneous TCP
    # connects overflow the listen queue here and stall for seconds, measuring the kernel.
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120.0) as http:
        gate = asyncio.Semaphore(32)

        async def login(name: str) -> str:
            async with gate:
                r: httpx.Response | None = None
                for _ in range(50):
                    try:
                        r = await http.post("/v1/auth/login",
                                            json={"username": name, "password": PASSWORD})
                    except (httpx.RemoteProtocolError, httpx.ReadError):
                        # A keep-alive connection the server closed as it was reused.
                        continue
                    # Logins are set-up, not measured: a write that waited out SQLite's busy
                    # timeout on a loaded machine (503), or a sign-in past the backend's cap on
                    # concurrent password checks (429), is tried again when the server says.
                    if r.status_code not in (429, 503):
                        break
                    await asyncio.sleep(min(float(r.headers.get("retry-after", "0.2")), 1.0))
                if r is None:
                    raise RuntimeError(f"{name} could not sign in: every connection was reset")
                r.raise_for_status()
                return str(r.json()["access_token"])

        tokens = await asyncio.gather(*(login(name) for name in names))
        # A first round opens the N keep-alive connections the floor and the claims reuse.
        await together(n, lambda i: http.get("/v1/health"))
        RETRIED[0] = 0
        cpu = [cpu_seconds(backend_pid)]
        floor = await together(n, lambda i: http.get("/v1/health"))
        cpu.append(cpu_seconds(backend_pid))
        claims = await together(n, lambda i: http.post(
            f"/v1/grab/offers/{order_id}/claim",
            headers={"Authorization": f"Bearer {tokens[i]}"}))
        cpu.append(cpu_seconds(backend_pid))
    statuses = Counter(status for status, _ in claims)
    claim_t = Timing(tuple(ms for _, ms in claims))
    floor_t = Timing(tuple(ms for status, ms in floor if status == 200))
    return {
        "claims": n,
        "winners": statuses.get(200, 0),
        "refusals": {str(k): v for k, v in sorted(statuses.items(), key=str) if k != 200},
        "claim": {"p50_ms": claim_t.p50, "p99_ms": _p99(claim_t), "max_ms": max(claim_t.samples)},
        "health_floor": {"p50_ms": floor_t.p50, "p99_ms": _p99(floor_t),
                         "failed": sum(status != 200 for status, _ in floor)},
        "resent_after_idle_close": RETRIED[0],
        "ratio_p50": ratio(claim_t.p50, floor_t.p50),
        "ratio_p99": ratio(_p99(claim_t), _p99(floor_t)),
        # The backend's CPU per request in each round: unlike latency, hardly moved by what
        # else the machine runs at the time (a claim's cost, not its wait).
        "backend_cpu_ms": {"health": _per_request_ms(cpu[0], cpu[1], n),
                           "claim": _per_request_ms(cpu[1], cpu[2], n)},
    }


def _p99(t: Timing) -> float:
    return percentile(t.samples, 99)


def stored_outcome(url: str) -> dict[str, Any]:
    """What the database says afterwards: one claimed offer, one claim event, every attempt."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            offer = session.scalars(select(GrabOfferRecord)).one()
            order = session.get(OrderRecord, offer.order_id)
            claims = session.scalar(select(func.count()).select_from(OrderEventRecord).where(
                OrderEventRecord.order_id == offer.order_id, OrderEventRecord.kind == "claim"))
            return {"offer_status": offer.status, "claim_attempts": offer.claim_attempts,
                    "order_state": order.state if order else None, "claim_events": claims,
                    "claimed_by_holds_order": bool(order and order.technician_id
                                                   == offer.claimed_by)}
    finally:
        engine.dispose()


def run_one(url: str, claimants: int, folder: Path) -> dict[str, Any]:
    names, order_id = seed(url, claimants)
    backend = Backend(url, folder / f"backend-{uuid.uuid4().hex[:6]}.log")
    try:
        asyncio.run(backend.ready())
        # Backend (bench.propagation) has no public pid yet; asked of its owner.
        figures = asyncio.run(contend(backend.url, names, order_id, backend._proc.pid))
    finally:
        backend.stop()
    figures["stored"] = stored_outcome(url)
    return figures


def fresh_postgres(server_url: str) -> str:
    name = f"lastmile_grab_{uuid.uuid4().hex[:10]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    ensure_postgres_database(url)
    return url


def drop_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="lastmile-grab-") as folder:
        print(f"sqlite: {args.claims} simultaneous claims")
        results["sqlite"] = run_one(sqlite_url(Path(folder)), args.claims, Path(folder))
        server = args.postgres or (DEFAULT_PG if not args.no_postgres and postgres_answers()
                                   else None)
        if server and not args.no_postgres:
            url = fresh_postgres(server)
            print(f"postgresql: {args.claims} simultaneous claims")
            try:
                results["postgresql"] = run_one(url, args.claims, Path(folder))
            finally:
                drop_postgres(url)
    rows = [[db, r["winners"], sum(r["refusals"].values()), r["refusals"].get("503", 0),
             r["claim"]["p50_ms"], r["claim"]["p99_ms"], r["health_floor"]["p50_ms"],
             r["health_floor"]["p99_ms"], r["ratio_p50"], r["ratio_p99"],
             r["backend_cpu_ms"]["health"], r["backend_cpu_ms"]["claim"]]
            for db, r in results.items()]
    print_table(["database", "winners", "refused", "503", "claim p50", "claim p99", "floor p50",
                 "floor p99", "x p50", "x p99", "cpu/health", "cpu/claim"], rows)
    figures = {"bench": "grab_contention", "claims": args.claims,
               "transport": "uvicorn subprocess, HTTP on 127.0.0.1", "databases": results}
    emit_json(figures)
    return figures


def ok(figures: dict[str, Any]) -> bool:
    return all(r["winners"] == 1 and r["stored"]["claim_events"] == 1
               for r in figures["databases"].values())


if __name__ == "__main__":
    raise SystemExit(0 if ok(main()) else 1)
