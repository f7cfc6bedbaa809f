"""The composition root: `create_app(engine)`; `core.server.launch` runs it for the CLI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

import uvicorn
from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.server import auth, fieldwork, grab, health, load, problems, sla, text_guard
from core.server.dispatch import day_routes, desk, policies
from core.server.intake import inbox, reviews, settings
from core.server.limits import BodyLimit
from core.server.orders import actions, changes, queue
from core.server.people import directory, technicians, users
from core.server.tailer import FeedTailer
from core.services.fieldwork.axb import AxbProvider, SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms, SmsProvider
from core.storage.db import pool_capacity

log = logging.getLogger(__name__)


def create_app(engine: Engine, *, poll_seconds: float | None = None,
               clock: Clock = WALL_CLOCK, sms: SmsProvider | None = None,
               axb: AxbProvider | None = None) -> FastAPI:
    """The API on an already migrated database; one feed tailer runs while the app is up.

    `clock` is the time every route, handler and background loop reads (core.clock); `sms` the
    provider that sends customers their completion codes, `axb` the virtual-number provider
    (the simulated ones unless given; a simulated AXB's push secret is random, so nobody
    outside can push call records to it).
    """
    feed = FeedTailer(engine) if poll_seconds is None else FeedTailer(engine, poll_seconds)

    # Requests admitted at once and worker threads, sized to the pool (core.server.load).
    limits = load.Limits.for_pool(pool_capacity(engine))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        load.size_worker_threads(limits)
        await feed.start()
        try:
            yield
        finally:
            await feed.stop()

    app = FastAPI(
        title="Lastmile dispatch API",
        version="1",
        summary="Orders from intake to settlement, and the change feed consoles follow.",
        lifespan=lifespan,
        # Every query and path parameter obeys the text rule (core.text) before any route runs.
        dependencies=[Depends(text_guard.refuse_control_text)],
    )
    app.state.engine = engine
    app.state.clock = clock
    app.state.sms = sms if sms is not None else SimulatedSms()
    app.state.axb = axb if axb is not None else SimulatedAxb()
    app.state.feed = feed
    app.state.limits = limits
    app.state.health_probe = health.HealthProbe(engine)
    problems.install(app)
    # The intake routers with fixed paths go before intake's `POST /v1/intake/{platform}`.
    for module in (auth, health, queue, actions, directory, technicians, changes,
                   reviews, settings, inbox, policies, grab, desk, day_routes, users, fieldwork,
                   sla):
        app.include_router(module.router)
    # A body over its route's limit is refused (413) before anything reads it.
    app.add_middleware(BodyLimit)
    # Outermost: a request beyond the limits is refused before anything reads its body.
    app.add_middleware(load.LoadGate, limits=limits)
    return app


class FeedAwareServer(uvicorn.Server):
    """Ends open change streams when asked to stop; uvicorn otherwise waits for them."""

    def __init__(self, config: uvicorn.Config, feed: FeedTailer) -> None:
        super().__init__(config)
        self._feed = feed

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Streams end when the tailer stops: marking it stopped and poking every subscriber
        # lets uvicorn's graceful shutdown find no open responses to wait for.
        self._feed.stopped = True
        self._feed.release_subscribers()
        super().handle_exit(sig, frame)
