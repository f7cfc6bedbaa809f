"""A burst of simultaneous requests: every one is answered (200, 409 or 503 with Retry-After),
nothing is written behind a refusal, and health answers at once afterwards.

The backend is a real uvicorn on a loopback socket in this process (as `lastmile serve` runs it),
so requests queue in the server as they would in production, not in a test client.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from api_tokens import token_login
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.demo.seed import seed_demo
from core.server.app import create_app
from core.server.load import LoadGate
from core.storage.db import make_engine, migrate
from core.storage.tables import OrderEventRecord

BURST = 300
ANSWERED = {200, 409, 503}
# A client gives up after this long: under the stall of issue 9 requests waited minutes.
CLIENT_TIMEOUT = 60.0


@asynccontextmanager
async def serving(engine: Engine) -> AsyncIterator[tuple[str, LoadGate]]:
    """uvicorn on 127.0.0.1 (a free port) in this event loop; its base URL and its load gate."""
    app = create_app(engine, poll_seconds=0.05)
    sock = socket.socket()
    # As asyncio does for a server it binds itself; without it each answer waits ~40 ms for
    # the client's delayed ACK (Nagle).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           backlog=2048, timeout_graceful_shutdown=5))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0)  # yield to the server's start-up; no fixed pause
    gate = app.middleware_stack
    while not isinstance(gate, LoadGate):
        gate = gate.app  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", gate
    finally:
        server.should_exit = True
        await task
        sock.close()


def seeded(url: str, make_dataset: Callable[..., object], **pool: int) -> Engine:
    engine = make_engine(url, **pool)
    migrate(engine)
    seed_demo(engine, make_dataset(orders=5))  # type: ignore[arg-type]
    return engine


def events(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(OrderEventRecord)) or 0


async def burst(base_url: str, headers: dict[str, str]) -> list[httpx.Response]:
    """BURST requests at once: two thirds read an order, one third try the same audit."""
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
    async with httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT,
                                 limits=limits) as http:
        go = asyncio.Event()

        async def one(i: int) -> httpx.Response:
            await go.wait()
            if i % 3:
                return await http.get(f"/v1/orders/{1 + i % 5}", headers=headers)
            return await http.post("/v1/orders/1/actions", headers=headers,
                                   json={"action": "audit", "version": 1})

        tasks = [asyncio.create_task(one(i)) for i in range(BURST)]
        await asyncio.sleep(0)  # every task waits on the event before any is sent
        go.set()
        return await asyncio.gather(*tasks)


def check_answers(answers: list[httpx.Response], writes_before: int,
                  engine: Engine) -> Counter[int]:
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= ANSWERED, statuses
    for r in answers:
        if r.status_code == 503:
            assert int(r.headers["retry-after"]) >= 1
            assert r.headers["content-type"].startswith("application/problem+json")
    audits = [r for i, r in enumerate(answers) if i % 3 == 0]
    # One audit can win; a refused or stale one wrote nothing (audit records one event).
    assert sum(r.status_code == 200 for r in audits) <= 1
    assert events(engine) - writes_before == sum(r.status_code == 200 for r in audits)
    return statuses


async def health_now(base_url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=5.0) as http:
        return await http.get("/v1/health")


async def test_a_burst_is_answered_in_full_and_health_answers_at_once_after(
    database_url: str, make_dataset: Callable[..., object]
) -> None:
    engine = seeded(database_url, make_dataset)
    try:
        headers = token_login(engine)("admin")
        writes_before = events(engine)
        async with serving(engine) as (base_url, _):
            answers = await burst(base_url, headers)
            health = await health_now(base_url)
            again = await burst(base_url, headers)
        statuses = check_answers(answers, writes_before, engine)
        assert statuses[200] > 0
        assert health.status_code == 200
        assert {r.status_code for r in again} <= ANSWERED
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        engine.dispose()


async def test_beyond_a_small_pool_the_rest_is_refused_at_once_with_retry_after(
    sqlite_url: str, make_dataset: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 9 connections admit one request at a time; the others wait 0.1 s for it, then 503.
    monkeypatch.setenv("LASTMILE_QUEUE_WAIT_SECONDS", "0.1")
    engine = seeded(sqlite_url, make_dataset, pool_size=5, max_overflow=4)
    try:
        headers = token_login(engine)("admin")
        writes_before = events(engine)
        async with serving(engine) as (base_url, gate):
            answers = await burst(base_url, headers)
            health = await health_now(base_url)
        statuses = check_answers(answers, writes_before, engine)
        assert gate.limits.admitted == 1 and gate.limits.connections_needed() <= 9
        assert statuses[503] == gate.refused > 0 and statuses[200] > 0
        assert health.status_code == 200
    finally:
        engine.dispose()
