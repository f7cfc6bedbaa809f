"""The intake poller's schedule: one round of pull-style sources (core.services.intake.polling)
every `interval` seconds in a worker thread (`asyncio.to_thread`), so the server's event loop
never waits on a folder, an HTTP source or the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.services.intake.polling import PollSources, handle_poll
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0
# A folder of ERP exports polled beside the configured sources (the demo drops files there).
ERP_INBOX_ENV = "LASTMILE_ERP_INBOX"


async def run_poller(engine: Engine, stop: asyncio.Event, *,
                     on_commit: Callable[[], None] | None = None,
                     interval: float = POLL_SECONDS, clock: Clock = WALL_CLOCK) -> None:
    """Poll every `interval` seconds until `stop` is set."""
    while not stop.is_set():
        cmd = PollSources(erp_inbox=os.environ.get(ERP_INBOX_ENV))
        uow = UnitOfWork(engine, on_commit=on_commit, clock=clock)
        try:
            await asyncio.to_thread(handle_poll, cmd, uow)
        except Exception:  # the poller must outlive a bad round (the database may be away)
            log.exception("intake poll round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
