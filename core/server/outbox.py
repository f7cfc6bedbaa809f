"""The providers' outboxes on a schedule: every `interval` seconds, what the SMS provider has not
taken yet is sent again (core.services.fieldwork.sms.handle_send_pending) and the AXB virtual
numbers due are bound or released (core.services.fieldwork.axb_bindings.handle_axb_round), and
the review periods that ran out end (core.services.fieldwork.review_period
.handle_end_review_periods: settleable by the backend), in a worker thread, so the server's
event loop never waits on a provider or the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.services.fieldwork.axb import AxbProvider
from core.services.fieldwork.axb_bindings import AxbRound, handle_axb_round
from core.services.fieldwork.review_period import EndReviewPeriods, handle_end_review_periods
from core.services.fieldwork.sms import SendPendingSms, SmsProvider, handle_send_pending
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
OUTBOX_SECONDS = 20.0


def outbox_round(engine: Engine, sms: SmsProvider, axb: AxbProvider, clock: Clock) -> None:
    """One round over both outboxes and the review periods; one failing does not keep the
    others from running."""
    for name, run in (
            ("SMS", lambda: handle_send_pending(SendPendingSms(sms),
                                                UnitOfWork(engine, clock=clock))),
            ("AXB", lambda: handle_axb_round(AxbRound(axb), UnitOfWork(engine, clock=clock))),
            ("review period", lambda: handle_end_review_periods(
                EndReviewPeriods(), UnitOfWork(engine, clock=clock)))):
        try:
            run()
        except Exception:  # the loop must outlive a bad round (the database may be away)
            log.exception("the %s outbox round failed", name)


async def run_outbox(engine: Engine, stop: asyncio.Event, sms: SmsProvider, axb: AxbProvider,
                     *, interval: float = OUTBOX_SECONDS, clock: Clock = WALL_CLOCK) -> None:
    """Run the outboxes until `stop` is set."""
    while not stop.is_set():
        await asyncio.to_thread(outbox_round, engine, sms, axb, clock)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
