"""How a demo technician books a visit: the call before it (honest or not), the window he takes,
and the truth the simulation counts flags against."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from core.demo.acting import Performer
from core.demo.booking import Binding, Booking, Window, book_visit, fit
from core.demo.clock import SHANGHAI
from core.demo.crew import Crew
from core.demo.field import (
    BOOKING,
    CHECK_IN,
    FAKE_BOOKING_SHARE,
    UNREACHED_SHARE,
    Phones,
    Truth,
)
from core.fieldwork.appointments import MIN_TALK_S, ContactReason

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


def _at(hour: int, length: int = 2) -> Window:
    start = datetime(2026, 3, 3, hour, tzinfo=SHANGHAI)
    return start, start + timedelta(hours=length)


def test_the_window_in_mind_is_taken_when_free_else_the_nearest_free_one() -> None:
    free = [_at(9), _at(10), _at(14), _at(15), _at(9, 4)]

    assert fit(_at(10), free) == _at(10)
    assert fit(_at(12), free) == _at(10)  # two hours either side: the earlier
    assert fit(_at(13), free) == _at(14)
    assert fit(_at(13), [_at(9, 4)]) is None  # only a half-day part left: not a window
    assert fit(_at(13), []) is None


def _technicians(phones: Phones, fraudster: bool, n: int = 400) -> list[int]:
    return [t for t in range(1, n) if phones.is_fraudster(t) is fraudster]


def test_an_honest_technician_talks_before_he_books_or_records_why_he_could_not() -> None:
    phones = Phones(seed=3, fraud_share=0.2)
    honest = _technicians(phones, fraudster=False)

    dials = [phones.before_booking(honest[i % len(honest)]) for i in range(2000)]

    assert not any(d.faked for d in dials)
    talked = [d for d in dials if d.unreached is None]
    assert all(d.connected and d.seconds is not None and d.seconds >= MIN_TALK_S
               for d in talked)
    unreached = [d for d in dials if d.unreached is not None]
    assert len(unreached) / len(dials) == pytest.approx(UNREACHED_SHARE, abs=0.03)
    assert not any(d.connected for d in unreached)
    assert {d.unreached for d in unreached} == {ContactReason.NO_ANSWER, ContactReason.LINE_BUSY,
                                                ContactReason.PHONE_OFF}


def test_a_fraudster_often_books_without_a_real_call() -> None:
    phones = Phones(seed=3, fraud_share=0.2)
    fraudsters = _technicians(phones, fraudster=True)

    dials = [phones.before_booking(fraudsters[i % len(fraudsters)]) for i in range(2000)]

    faked = [d for d in dials if d.faked]
    assert len(faked) / len(dials) == pytest.approx(FAKE_BOOKING_SHARE, abs=0.03)
    kinds = Counter("none" if d.seconds is None else "hang-up" for d in faked)
    assert kinds["none"] and kinds["hang-up"]
    # Whatever he does, a faked booking has no connected call long enough to agree a time.
    assert not any(d.connected and (d.seconds or 0) >= MIN_TALK_S for d in faked)
    assert all(d.connected and (d.seconds or 0) >= MIN_TALK_S for d in dials if not d.faked
               and d.unreached is None)


def test_one_faked_step_makes_the_order_fraudulent_whatever_comes_after() -> None:
    truth = Truth()
    truth.record(1, False, BOOKING)  # an honest booking
    truth.record(1, True, CHECK_IN)  # then a check-in from home
    truth.record(2, True, BOOKING)  # a booking without a call
    truth.record(2, False, CHECK_IN)  # then an honest check-in

    assert truth.faked == {1, 2} and truth.honest == set()
    assert truth.faked_steps == {CHECK_IN: {1}, BOOKING: {2}}
    truth.record(3, False, BOOKING)
    assert truth.honest == {3}


def test_a_reschedule_carries_the_customers_request_as_its_reason_code() -> None:
    crew = Crew(random.Random(5), Performer())
    moves = [crew.next_move(1, 1, "appointed", NOW) for _ in range(2000)]
    reschedules = [m for m in moves if m is not None and m.action == "appoint"]
    first = [m for m in (crew.next_move(1, 1, "accepted", NOW) for _ in range(200))
             if m is not None and m.action == "appoint"]

    assert reschedules and all(m.fields["reason_code"] == "customer_request"
                               for m in reschedules)
    assert first and all("reason_code" not in m.fields for m in first)


class _Line:
    """A line that records what the technician did; the number as given."""

    def __init__(self, status: str, free: list[Window], books: bool = True) -> None:
        self.status, self.free, self.books = status, free, books
        self.calls: list[tuple[str, datetime, int, bool]] = []
        self.missed_reasons: list[ContactReason] = []
        self.booked: list[Window] = []

    async def binding(self, order_id: int) -> Binding:
        return Binding(self.status, "b-1" if self.status == "bound" else "")

    async def call(self, binding_id: str, started: datetime, seconds: int, connected: bool,
                   now: datetime) -> None:
        self.calls.append((binding_id, started, seconds, connected))

    async def missed(self, order_id: int, reason: ContactReason) -> bool:
        self.missed_reasons.append(reason)
        return True

    async def free_windows(self, technician_id: int, day: date, order_id: int) -> list[Window]:
        return self.free

    async def book(self, order_id: int, version: int, window: Window, reason: str,
                   reason_code: str | None) -> bool:
        if self.books:
            self.booked.append(window)
        return self.books


async def _book(line: _Line, phones: Phones, technician_id: int) -> Booking:
    return await book_visit(line, phones, 7, 3, technician_id, _at(10), "约好了", None, NOW)


async def test_an_honest_booking_follows_the_call_it_was_agreed_on() -> None:
    phones = Phones(seed=3, fraud_share=0.0)
    outcomes = []
    for _ in range(20):
        line = _Line("bound", [_at(11)])
        outcomes.append(await _book(line, phones, 1))
        if outcomes[-1] is Booking.BOOKED:
            ((binding, started, seconds, connected),) = line.calls
            assert (binding, connected) == ("b-1", True) and seconds >= MIN_TALK_S
            assert started + timedelta(seconds=seconds) < NOW  # the call ended before booking
            assert line.booked == [_at(11)]  # the nearest free window
        else:
            assert outcomes[-1] is Booking.UNREACHED
            assert line.missed_reasons and not line.booked
    assert Booking.BOOKED in outcomes
    assert phones.truth.honest == {7} and not phones.truth.faked


async def test_nothing_is_booked_while_the_number_is_pending_or_the_day_is_full() -> None:
    phones = Phones(seed=3, fraud_share=0.0)
    waiting = _Line("pending", [_at(10)])
    full = _Line("bound", [])

    assert await _book(waiting, phones, 1) is Booking.WAITING  # no number to dial yet
    while (outcome := await _book(full, phones, 1)) is Booking.UNREACHED:
        pass
    assert outcome is Booking.NO_WINDOW
    assert not waiting.calls and not waiting.booked and not full.booked
    assert not phones.truth.honest  # nothing booked, nothing to count


async def test_a_refused_booking_is_not_counted_in_the_truth() -> None:
    phones = Phones(seed=3, fraud_share=1.0)

    outcome = await _book(_Line("bound", [_at(10)], books=False), phones, 1)

    assert outcome is Booking.NOT_TAKEN
    assert not phones.truth.faked and not phones.truth.honest
