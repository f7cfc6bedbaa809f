"""Is the backend up and can it reach its database?

Health never waits on the request pool or the worker threads: a busy backend still says at
once that it is alive. Each check opens a fresh connection of its own (so a database that went
away is noticed, not hidden behind a kept connection) in a thread of its own; callers that
arrive while a check runs share its answer.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from core.server.problems import PROBLEM_RESPONSES, ProblemError
from core.storage.db import make_engine
from core.storage.orders.feed import max_seq

router = APIRouter(prefix="/v1", tags=["health"])
CHECK_SECONDS = 5.0  # a database that takes longer than this to answer counts as unavailable


class HealthOut(BaseModel):
    status: str = "ok"
    database: str = "ok"
    feed_seq: int


class HealthProbe:
    """One database check at a time, outside the request pool and thread limiter."""

    def __init__(self, engine: Engine) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self._engine = make_engine(url, poolclass=NullPool)
        self._threads = anyio.CapacityLimiter(1)
        self._running: asyncio.Future[int] | None = None

    def _read(self) -> int:
        with Session(self._engine) as session:
            return max_seq(session)

    async def feed_seq(self) -> int:
        """The feed's newest seq, read now; SQLAlchemy's errors propagate (503 by problems)."""
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(
                anyio.to_thread.run_sync(self._read, limiter=self._threads))
            # Read the outcome even when every caller gave up waiting (no "never retrieved").
            self._running.add_done_callback(lambda f: f.cancelled() or f.exception())
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), CHECK_SECONDS)
        except TimeoutError:
            raise ProblemError(503, f"数据库{CHECK_SECONDS:.0f}秒内没有应答 (the database did "
                                    f"not answer within {CHECK_SECONDS:.0f} s)",
                               headers={"Retry-After": "5"}) from None


async def get_probe(request: Request) -> HealthProbe:
    # async: a sync dependency would need a worker thread, which is what health must not wait for
    probe: HealthProbe | None = getattr(request.app.state, "health_probe", None)
    if probe is None:
        probe = request.app.state.health_probe = HealthProbe(request.app.state.engine)
    return probe


@router.get("/health", response_model=HealthOut, responses=PROBLEM_RESPONSES)
async def health(probe: Annotated[HealthProbe, Depends(get_probe)]) -> HealthOut:
    """No login needed; 503 (problem) when the database cannot be read."""
    return HealthOut(feed_seq=await probe.feed_seq())
