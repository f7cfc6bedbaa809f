"""Run the backend for the CLI: migrate, set up, serve, and run companions beside the server.

This is the server's composition root for `lastmile serve`: it builds the app with the clock
it is given (core.clock: the wall clock, or a ScaledClock for `lastmile demo --speed N`). What a
deployment adds — the demo's seed and simulator — plugs in from outside as `setup` (run on the
migrated engine before serving) and `companions` (tasks started once the server listens), so
nothing here imports the demo.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.server.app import FeedAwareServer, create_app
from core.server.dispatch.dispatcher import interval_from_env, run_dispatcher
from core.server.intake.poller import POLL_SECONDS, run_poller
from core.server.outbox import run_outbox
from core.server.sla_scan import run_deadline_scan
from core.services.sla.calendar import seed_shipped_years
from core.storage.db import database_url as default_database_url
from core.storage.db import make_engine, migrate

log = logging.getLogger(__name__)
Setup = Callable[[Engine, Clock], None]
Companion = Callable[[FastAPI, str, asyncio.Event], Coroutine[Any, Any, None]]
# However fast the clock runs, a dispatch round at most this often (real seconds).
MIN_DISPATCH_SECONDS = 0.5


def prepare(database_url: str | None, setup: Setup | None = None,
            clock: Clock = WALL_CLOCK) -> tuple[str, FastAPI]:
    """Migrate, load the shipped calendar years not yet held (and run `setup`, e.g. the demo's
    seed); return the URL and the app."""
    url = database_url or default_database_url()
    engine = make_engine(url)
    migrate(engine)
    seed_shipped_years(engine, clock)
    if setup is not None:
        setup(engine, clock)
    return url, create_app(engine, clock=clock)


def dispatch_interval(speed: float) -> float:
    """Real seconds between dispatch rounds: LASTMILE_DISPATCH_SECONDS of the clock's time
    (0 or less: no dispatcher), so a sped-up demo dispatches as often in its own time."""
    seconds = interval_from_env()
    return seconds if seconds <= 0 else max(seconds / speed, MIN_DISPATCH_SECONDS)


async def _serve(server: FeedAwareServer, app: FastAPI, base_url: str,
                 companions: Sequence[Companion]) -> None:
    serving = asyncio.create_task(server.serve())
    stop = asyncio.Event()
    clock = app.state.clock
    # The poller takes pull-style sources (ERP folders, HTTP endpoints) in beside the server.
    helpers = [asyncio.create_task(run_poller(
        app.state.engine, stop, on_commit=app.state.feed.poke, clock=clock,
        interval=float(os.environ.get("LASTMILE_POLL_SECONDS", POLL_SECONDS))))]
    # What the providers did not take at once: customers' SMS (completion codes), AXB numbers.
    helpers.append(asyncio.create_task(run_outbox(
        app.state.engine, stop, app.state.sms, app.state.axb, clock=clock)))
    # SLA warnings and breaches on their orders' timelines, every second.
    helpers.append(asyncio.create_task(run_deadline_scan(
        app.state.engine, stop, clock=clock, on_recorded=app.state.feed.poke)))
    # Central dispatch, grab expiry and acceptance timeouts (LASTMILE_DISPATCH_SECONDS).
    helpers.append(asyncio.create_task(run_dispatcher(
        app.state.engine, stop, feed=app.state.feed, on_commit=app.state.feed.poke,
        clock=clock, interval=dispatch_interval(getattr(clock, "speed", 1.0)))))
    if companions:
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        helpers.extend(asyncio.create_task(c(app, base_url, stop)) for c in companions)
    await asyncio.wait({serving}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    for task in helpers:
        task.cancel()
    await asyncio.gather(*helpers, return_exceptions=True)
    await serving


def run_backend(
    *, host: str, port: int, database_url: str | None, setup: Setup | None = None,
    companions: Sequence[Companion] = (), clock: Clock = WALL_CLOCK,
) -> int:
    """Serve until interrupted; companions (the demo's simulator) act through the HTTP API
    like any client, on the same clock."""
    url, app = prepare(database_url, setup, clock)
    log.info("database: %s", url.split("@")[-1])  # never log a password in the URL
    speed = getattr(clock, "speed", 1.0)
    if speed != 1.0:
        log.info("the clock runs %g times as fast as the wall clock", speed)
    # Every request at INFO would drown the simulator's story in the log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    config = uvicorn.Config(app, host=host, port=port, timeout_graceful_shutdown=5,
                            log_level=os.environ.get("LASTMILE_LOG_LEVEL", "info"),
                            access_log=False)
    server = FeedAwareServer(config, app.state.feed)
    asyncio.run(_serve(server, app, f"http://{host}:{port}", companions))
    return 0
