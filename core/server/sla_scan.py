"""The SLA deadline scan on a schedule: every `interval` seconds (1 s by default) the
warnings and breaches whose time has come are recorded on their orders' timelines
(core.services.sla.deadlines.handle_scan_deadlines), then urged (the urge round,
core.services.sla.urging.handle_urge_round), in a worker thread, on the server's injected
clock; the change feed is poked when something was recorded or urged."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.services.sla.deadlines import ScanDeadlines, handle_scan_deadlines
from core.services.sla.urging import UrgeRound, handle_urge_round
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SCAN_SECONDS = 1.0


def scan_round(engine: Engine, clock: Clock, on_recorded: Callable[[], None] | None) -> int:
    """One round; a failing round is logged and the next one runs (the database may be away,
    or another scanner holds the rows: each alert is recorded, and urged, once either way)."""
    found, urged = 0, 0
    try:
        found = len(handle_scan_deadlines(ScanDeadlines(), UnitOfWork(engine, clock=clock)))
        urged = len(handle_urge_round(UrgeRound(), UnitOfWork(engine, clock=clock)))
    except Exception:
        log.exception("the SLA deadline scan or its urge round failed")
    if (found or urged) and on_recorded is not None:
        on_recorded()
    return found


async def run_deadline_scan(engine: Engine, stop: asyncio.Event, *,
                            interval: float = SCAN_SECONDS, clock: Clock = WALL_CLOCK,
                            on_recorded: Callable[[], None] | None = None) -> None:
    """Scan until `stop` is set."""
    while not stop.is_set():
        await asyncio.to_thread(scan_round, engine, clock, on_recorded)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
