"""A technician books a visit (the demo's and the simulation's one way of doing it).

He has a window in mind (core.demo.crew). An honest technician first calls the customer through
the order's virtual number (AXB) — the simulated provider records the call and pushes it to the
backend, signed, as a real provider would — and when nobody answers he records the failed
attempt and tries again later; a fraudster often books without a real call (core.demo.field).
Then he looks at his free windows that day and books the one he had in mind, or the free one
nearest to it, on the booking route, which judges the call behind it.

Where it goes through is a `Line`: the HTTP API with the technician's own login (the demo,
`ApiLine`) or the service layer's handlers (the headless simulation's HandlerLine).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from core.demo.acting import Performer, StepReport
from core.demo.api import ApiError, ApiSession
from core.demo.clock import SHANGHAI
from core.demo.field import BOOKING, Phones
from core.fieldwork.appointments import ContactReason
from core.services.fieldwork.axb import SimulatedAxb

logger = logging.getLogger("core.demo.simulator")
Window = tuple[datetime, datetime]
# A call ends this long before the booking is made (he hangs up, then opens the app).
AFTER_CALL = timedelta(minutes=1)


@dataclass(frozen=True)
class Binding:
    """The order's virtual number as the technician's app knows it: none, pending or bound
    (with the provider's binding id, which the simulated provider places calls on)."""

    status: str
    binding_id: str = ""


class Line(Protocol):
    """Where a technician's booking goes through."""

    async def binding(self, order_id: int) -> Binding: ...

    async def call(self, binding_id: str, started: datetime, seconds: int, connected: bool,
                   now: datetime) -> None: ...

    async def missed(self, order_id: int, reason: ContactReason) -> bool: ...

    async def free_windows(self, technician_id: int, day: date,
                           order_id: int) -> list[Window]: ...

    async def book(self, order_id: int, version: int, window: Window, reason: str,
                   reason_code: str | None) -> bool: ...


class Booking(Enum):
    BOOKED = "booked"
    NOT_TAKEN = "not_taken"  # the backend refused it or the order changed meanwhile
    UNREACHED = "unreached"  # nobody answered: a contact attempt instead
    WAITING = "waiting"  # the virtual number is not bound yet: he calls later
    NO_WINDOW = "no_window"  # nothing free that day: another day next time


def fit(drawn: Window, free: Sequence[Window]) -> Window | None:
    """The window he had in mind if it is free, else the free one of the same length that
    starts nearest to it (the earlier on a tie); None when the day has none."""
    length = drawn[1] - drawn[0]
    same = [w for w in free if w[1] - w[0] == length]
    if drawn in same:
        return drawn
    return min(same, key=lambda w: (abs(w[0] - drawn[0]), w[0]), default=None)


async def book_visit(line: Line, phones: Phones, order_id: int, version: int,
                     technician_id: int, drawn: Window, reason: str,
                     reason_code: str | None, now: datetime) -> Booking:
    """Call (or not), then book a free window near `drawn`; what came of it. The truth
    (phones.truth) records a booking made, faked or not."""
    dial = phones.before_booking(technician_id)
    if dial.seconds is not None:
        number = await line.binding(order_id)
        if number.status == "pending":
            return Booking.WAITING  # no number to dial yet: the provider binds it shortly
        if number.status == "bound":
            started = now - AFTER_CALL - timedelta(seconds=dial.seconds)
            await line.call(number.binding_id, started, dial.seconds, dial.connected, now)
        # No number at all (no customer phone, or the provider refused it): he cannot call
        # through it; an honest technician books all the same.
    if dial.unreached is not None:
        await line.missed(order_id, dial.unreached)
        return Booking.UNREACHED
    day = drawn[0].astimezone(SHANGHAI).date()
    window = fit(drawn, await line.free_windows(technician_id, day, order_id))
    if window is None:
        return Booking.NO_WINDOW
    if not await line.book(order_id, version, window, reason, reason_code):
        return Booking.NOT_TAKEN
    phones.truth.record(order_id, dial.faked, BOOKING)
    return Booking.BOOKED


class ApiLine:
    """One order's booking over HTTP with the technician's login; the calls go through the
    simulated provider the backend uses (`axb`: its push, signed with the provider's secret,
    reaches POST /v1/axb/call-records). Without one, no call can be placed."""

    def __init__(self, session: ApiSession, order: dict[str, Any], performer: Performer,
                 report: StepReport, axb: SimulatedAxb | None) -> None:
        self._session, self._order, self._performer = session, order, performer
        self._report, self._axb = report, axb

    async def binding(self, order_id: int) -> Binding:
        try:
            shown = await self._session.virtual_number(order_id)
        except ApiError as exc:
            logger.info("%s: no virtual number for order %s: %s", self._session.username,
                        order_id, exc)
            return Binding("none")
        if shown["status"] != "bound":
            return Binding(shown["status"])
        found = self._binding_of(shown["virtual_number"])
        return Binding("bound", found) if found else Binding("none")

    def _binding_of(self, number: str) -> str:
        """The provider's binding behind the number he dials (only the simulated provider is
        ours to place calls on)."""
        if self._axb is None:
            return ""
        return next((b for b, (_, n) in list(self._axb.bindings.items()) if n == number), "")

    async def call(self, binding_id: str, started: datetime, seconds: int, connected: bool,
                   now: datetime) -> None:
        axb = self._axb
        assert axb is not None  # a bound binding was found on it
        axb.call(binding_id, "technician", started, seconds, connected)
        loop = asyncio.get_running_loop()
        session = self._session

        def send(body: bytes, headers: dict[str, str]) -> int:
            # The provider's push is synchronous; it waits here, in a worker thread, while the
            # event loop sends it.
            return asyncio.run_coroutine_threadsafe(session.push_calls(body, headers),
                                                    loop).result(timeout=60)

        delivered = await asyncio.to_thread(axb.push, send, now)
        if not delivered:
            logger.warning("call records not taken yet; the provider pushes them again")

    async def missed(self, order_id: int, reason: ContactReason) -> bool:
        try:
            await self._session.contact_attempt(order_id, reason.value)
        except ApiError as exc:
            logger.info("%s: contact attempt on order %s not taken: %s",
                        self._session.username, order_id, exc)
            return False
        self._report.actions["contact_attempt"] += 1
        return True

    async def free_windows(self, technician_id: int, day: date, order_id: int) -> list[Window]:
        try:
            return await self._session.free_windows(technician_id, day, order_id)
        except ApiError as exc:
            logger.info("%s: free windows of %s not read: %s", self._session.username, day, exc)
            return []

    async def book(self, order_id: int, version: int, window: Window, reason: str,
                   reason_code: str | None) -> bool:
        order = self._order | {"id": order_id, "version": version}
        done = await self._performer.book(self._session, order, window[0], window[1],
                                          self._report, reason, reason_code)
        return done is not None
