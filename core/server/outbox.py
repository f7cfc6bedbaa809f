"""The SMS outbox's schedule: every `interval` seconds, what providers have not taken yet is
sent again (core.services.fieldwork.sms.handle_send_pending) in a worker thread, so the
server's event loop never waits on a provider or the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.services.fieldwork.sms import SendPendingSms, SmsProvider, handle_send_pending
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
OUTBOX_SECONDS = 20.0


async def run_outbox(engine: Engine, stop: asyncio.Event, provider: SmsProvider, *,
                     interval: float = OUTBOX_SECONDS, clock: Clock = WALL_CLOCK) -> None:
    """Send what is due until `stop` is set."""
    while not stop.is_set():
        uow = UnitOfWork(engine, clock=clock)
        try:
            await asyncio.to_thread(handle_send_pending, SendPendingSms(provider), uow)
        except Exception:  # the loop must outlive a bad round (the database may be away)
            log.exception("sending the SMS outbox failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
