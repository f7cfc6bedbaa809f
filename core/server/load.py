"""How much work one backend process takes at once, and a polite 503 for the rest.

A sync route keeps its read session's connection until FastAPI has validated the response,
which needs a worker thread; a thread that waits for a connection blocks one. If the pool can
run dry, finished requests wait for threads that wait for connections they hold, and the
process stalls until the pool's time-out. So the limits are derived from the pool, never
chosen apart from it:

    pool connections >= admitted requests   (one read session each, held across threads)
                      + 2 x worker threads   (a unit of work, a login check, a stream read,
                                              an intake session: only while a thread runs)
                      + BACKGROUND           (feed tailer, dispatcher, poller)

With that, taking a connection never waits, every admitted request runs to its end, and a
request beyond the admitted ones waits briefly for a slot (no thread, no connection), then
gets 503 with Retry-After before it touched anything. Health and the change stream are not
admitted through the gate: health never waits on the pool (core.server.health), and a stream
holds neither a thread nor a connection between its reads.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread

from core.contracts import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

BACKGROUND = 6  # connections the process's own loops may hold at once
DEFAULT_ADMITTED = 16  # when the pool has no bound (NullPool)
WAIT_ENV = "LASTMILE_QUEUE_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 3.0  # well under a console's 10 s time-out
WAITING_PER_SLOT = 32  # beyond this many waiters per slot, refuse at once
# Paths that skip the gate (exact, or a prefix ending in "/").
UNGATED = ("/v1/health", "/v1/changes/stream")


@dataclass(frozen=True)
class Limits:
    admitted: int  # requests running at once
    threads: int  # anyio's worker threads (sync routes, dependencies, serialisation)
    wait_seconds: float  # how long a request beyond `admitted` may wait for a slot
    waiting: int  # how many may wait; the next one is refused at once

    @classmethod
    def for_pool(cls, connections: int | None, wait_seconds: float | None = None) -> Limits:
        """The limits under which `connections` pooled connections are never waited for."""
        if connections is None:
            admitted = DEFAULT_ADMITTED
        else:
            admitted = max(1, (connections - BACKGROUND) // 3)
        wait = wait_from_env() if wait_seconds is None else wait_seconds
        return cls(admitted=admitted, threads=admitted, wait_seconds=wait,
                   waiting=admitted * WAITING_PER_SLOT)

    @property
    def retry_after(self) -> int:
        """Seconds a refused client should wait (Retry-After)."""
        return max(1, math.ceil(self.wait_seconds))

    def connections_needed(self) -> int:
        return self.admitted + 2 * self.threads + BACKGROUND


def wait_from_env() -> float:
    raw = os.environ.get(WAIT_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_WAIT_SECONDS
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def size_worker_threads(limits: Limits) -> None:
    """Give the running event loop's default thread limiter `limits.threads` tokens."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = limits.threads


def _busy_body(limits: Limits) -> bytes:
    problem = Problem(
        title="Server busy", status=503,
        detail=f"服务器繁忙，请{limits.retry_after}秒后重试 (the server is at its limit of "
               f"{limits.admitted} requests at once; retry after {limits.retry_after} s)")
    return json.dumps(problem.model_dump(exclude_none=True), ensure_ascii=False).encode()


class LoadGate:
    """ASGI middleware: at most `limits.admitted` requests inside, a short wait, then 503."""

    def __init__(self, app: Asgi, limits: Limits) -> None:
        self.app = app
        self.limits = limits
        self._slots = anyio.Semaphore(limits.admitted)
        self._waiting = 0
        self._body = _busy_body(limits)
        self.refused = 0  # since start; the load test and the bench read it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _ungated(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        if not await self._enter():
            self.refused += 1
            await self._refuse(send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    async def _enter(self) -> bool:
        try:
            self._slots.acquire_nowait()
            return True
        except anyio.WouldBlock:
            pass
        if self._waiting >= self.limits.waiting:
            return False
        self._waiting += 1
        try:
            with anyio.move_on_after(self.limits.wait_seconds):
                await self._slots.acquire()
                return True
            return False
        finally:
            self._waiting -= 1

    async def _refuse(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(self._body)).encode()),
            (b"retry-after", str(self.limits.retry_after).encode()),
        ]})
        await send({"type": "http.response.body", "body": self._body})


def _ungated(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in UNGATED)
