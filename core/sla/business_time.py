"""Business time: deadlines counted in working hours over the business calendar, and back.

The clock runs only inside a working day's hours (core.sla.calendar.WorkingDay) on the
calendar's working days. `due_after(start, hours, ...)` is the instant at which `hours` of
working time have run since `start`; a start outside working time waits for the next working
start (with zero hours the deadline is that start). Time used up exactly at a day's end is due
at that end (18:00:00), not at the next morning. `working_time_between(a, b, ...)` is the
working time in [a, b) — negative when b is before a (a deadline already past) — so
`working_time_between(start, due_after(start, h).due) == h` exactly.

Arithmetic is on UTC instants in whole microseconds (timedelta): no floats, no rounding. Times
in and out are timezone-aware; the answer is in the zone the start was given in. Each answer
names the years it counted as ordinary for want of their notice (`unpublished_years`): the
caller warns about them loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.sla.calendar import DEFAULT_WORKING_DAY, BusinessCalendar, WorkingDay
from core.sla.errors import BusinessTimeInvalid

# Beyond this a deadline is a mistake, not a plan (and the day-by-day walk stays short).
MAX_SPAN_DAYS = 3660
ONE_DAY = timedelta(days=1)
ZERO = timedelta(0)


@dataclass(frozen=True)
class BusinessDue:
    """A deadline, and the years it counted as ordinary because their notice is not held."""

    due: datetime
    unpublished_years: frozenset[int]


@dataclass(frozen=True)
class WorkingTime:
    """Working time between two instants, and the years counted as ordinary for want of data."""

    time: timedelta
    unpublished_years: frozenset[int]


def _aware(at: datetime, name: str) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise BusinessTimeInvalid(f"{name} 须带时区 ({name} must carry a time zone): "
                                  f"{at.isoformat()}")


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def due_after(start: datetime, hours: timedelta, calendar: BusinessCalendar,
              day: WorkingDay = DEFAULT_WORKING_DAY) -> BusinessDue:
    """The instant `hours` of working time after `start` (in start's zone)."""
    _aware(start, "start")
    if hours < ZERO:
        raise BusinessTimeInvalid(f"工作时长不能为负 (working hours cannot be negative): {hours}")
    begun = _utc(start)
    first = on = start.astimezone(day.tz).date()
    remaining = hours
    for _ in range(MAX_SPAN_DAYS):
        if calendar.is_workday(on):
            opens, closes = (_utc(t) for t in day.window(on))
            begin = max(begun, opens)
            if begin < closes:
                if remaining <= closes - begin:
                    due = begin + remaining
                    return BusinessDue(due.astimezone(start.tzinfo),
                                       calendar.unpublished_between(first, on))
                remaining -= closes - begin
        on += ONE_DAY
    raise BusinessTimeInvalid(f"期限超出 {MAX_SPAN_DAYS} 天 (the deadline lies more than "
                              f"{MAX_SPAN_DAYS} days ahead): {hours}")


def working_time_between(a: datetime, b: datetime, calendar: BusinessCalendar,
                         day: WorkingDay = DEFAULT_WORKING_DAY) -> WorkingTime:
    """The working time in [a, b); negative when b is before a (the time past a deadline)."""
    _aware(a, "a")
    _aware(b, "b")
    if b < a:
        after = working_time_between(b, a, calendar, day)
        return WorkingTime(-after.time, after.unpublished_years)
    lo, hi = _utc(a), _utc(b)
    first: date = a.astimezone(day.tz).date()
    last: date = b.astimezone(day.tz).date()
    total, on = ZERO, first
    while on <= last:
        if calendar.is_workday(on):
            opens, closes = (_utc(t) for t in day.window(on))
            span = min(hi, closes) - max(lo, opens)
            if span > ZERO:
                total += span
        on += ONE_DAY
    return WorkingTime(total, calendar.unpublished_between(first, last))
