"""Business time over the shipped calendar: chosen cases (Spring Festival 2026, adjusted
Saturdays, year ends, 17:59:59, zero hours) and properties against a minute-by-minute count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.services.sla.calendar import shipped_notices
from core.sla.business_time import due_after, working_time_between
from core.sla.calendar import BusinessCalendar, WorkingDay
from core.sla.errors import BusinessTimeInvalid

BEIJING = ZoneInfo("Asia/Shanghai")
CALENDAR = BusinessCalendar.of(shipped_notices())
H = timedelta(hours=1)
S = timedelta(seconds=1)


def bj(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
       micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=BEIJING)


@pytest.mark.parametrize(("start", "hours", "due"), [
    # Friday 13 Feb 2026, a second before closing: Saturday the 14th is worked (调休).
    (bj(2026, 2, 13, 17, 59, 59), H, bj(2026, 2, 14, 9, 59, 59)),
    # The adjusted Saturday's last hours, then nine days of Spring Festival (15-23 Feb).
    (bj(2026, 2, 14, 17, 0), 2 * H, bj(2026, 2, 24, 10, 0)),
    (bj(2026, 2, 14, 18, 0), S, bj(2026, 2, 24, 9, 0, 1)),
    # Zero hours: inside working time the start itself; after closing the next working start.
    (bj(2026, 2, 13, 17, 59, 59), timedelta(0), bj(2026, 2, 13, 17, 59, 59)),
    (bj(2026, 2, 13, 18, 0), timedelta(0), bj(2026, 2, 14, 9, 0)),
    (bj(2026, 2, 15, 12, 0), timedelta(0), bj(2026, 2, 24, 9, 0)),
    # Time used up exactly at closing is due at closing, not the next morning.
    (bj(2026, 2, 13, 17, 59, 59), S, bj(2026, 2, 13, 18, 0)),
    (bj(2026, 3, 2, 9, 0), 9 * H, bj(2026, 3, 2, 18, 0)),
    # Before opening counts from opening; a whole working day is nine hours.
    (bj(2026, 3, 2, 7, 30), 10 * H, bj(2026, 3, 3, 10, 0)),
    # An ordinary weekend.
    (bj(2026, 3, 6, 17, 0), 2 * H, bj(2026, 3, 9, 10, 0)),
    (bj(2026, 3, 7, 10, 0), H, bj(2026, 3, 9, 10, 0)),
    # Year end 2025 -> New Year 2026: 1-3 Jan off, Sunday the 4th worked.
    (bj(2025, 12, 31, 17, 0), 2 * H, bj(2026, 1, 4, 10, 0)),
    # Spring Festival 2025 (28 Jan - 4 Feb), Sunday 26 Jan and Saturday 8 Feb worked.
    (bj(2025, 1, 24, 17, 0), 2 * H, bj(2025, 1, 26, 10, 0)),
    (bj(2025, 1, 27, 17, 0), 2 * H, bj(2025, 2, 5, 10, 0)),
    (bj(2025, 2, 7, 17, 30), H, bj(2025, 2, 8, 9, 30)),
    # National Day and Mid-Autumn 2025: 1-8 Oct off, Sunday 28 Sep and Saturday 11 Oct worked.
    (bj(2025, 9, 26, 17, 0), 2 * H, bj(2025, 9, 28, 10, 0)),
    (bj(2025, 9, 30, 17, 0), 2 * H, bj(2025, 10, 9, 10, 0)),
    # A long limit across the Spring Festival: 72 working hours = 8 working days.
    (bj(2026, 2, 10, 9, 0), 72 * H, bj(2026, 2, 26, 18, 0)),
])
def test_the_deadline_over_the_calendar(start: datetime, hours: timedelta, due: datetime) -> None:
    answer = due_after(start, hours, CALENDAR)

    assert answer.due == due and answer.due.tzinfo is start.tzinfo
    assert answer.unpublished_years == frozenset()
    assert working_time_between(start, answer.due, CALENDAR).time == hours


def test_the_answer_is_in_the_zone_of_the_start() -> None:
    start = datetime(2026, 2, 13, 9, 59, 59, tzinfo=UTC)  # 17:59:59 in Beijing

    due = due_after(start, H, CALENDAR).due

    assert due == datetime(2026, 2, 14, 1, 59, 59, tzinfo=UTC) and due.tzinfo is UTC
    assert due.isoformat() == "2026-02-14T01:59:59+00:00"


def test_a_year_not_yet_published_counts_as_ordinary_days_and_says_so() -> None:
    # 1 Jan 2027 is a Friday; its notice is not held, so it counts as a working day.
    answer = due_after(bj(2026, 12, 31, 17, 0), 2 * H, CALENDAR)

    assert answer.due == bj(2027, 1, 1, 10, 0)
    assert answer.unpublished_years == frozenset({2027})
    assert working_time_between(bj(2024, 12, 31, 17), bj(2025, 1, 2, 10),
                                CALENDAR).unpublished_years == frozenset({2024})


def test_other_working_hours_of_a_region() -> None:
    day = WorkingDay.parse("08:30-20:00")

    assert due_after(bj(2026, 2, 13, 19, 0), 2 * H, CALENDAR, day).due == bj(2026, 2, 14, 9, 30)
    around_the_clock = WorkingDay.parse("00:00-24:00")
    assert due_after(bj(2026, 2, 14, 23, 0), 2 * H, CALENDAR, around_the_clock).due == \
        bj(2026, 2, 24, 1, 0)


def test_time_left_is_exact_and_negative_past_the_deadline() -> None:
    due = bj(2026, 2, 24, 10, 0)

    left = working_time_between(bj(2026, 2, 13, 17, 59, 59, 250000), due, CALENDAR).time
    past = working_time_between(bj(2026, 2, 24, 11, 30), due, CALENDAR).time

    assert left == timedelta(hours=10, seconds=1, microseconds=-250000)
    assert past == -timedelta(minutes=90)


@pytest.mark.parametrize(("start", "hours"), [
    (datetime(2026, 2, 13, 17, 0), H),  # naive
    (bj(2026, 2, 13, 17, 0), -S),
])
def test_questions_without_an_answer_are_refused(start: datetime, hours: timedelta) -> None:
    with pytest.raises(BusinessTimeInvalid):
        due_after(start, hours, CALENDAR)


def minute_count_due(start: datetime, minutes: int, calendar: BusinessCalendar,
                     day: WorkingDay) -> datetime:
    """The oracle: walk minute by minute, counting the minutes that lie in working time."""
    at = start.astimezone(BEIJING)
    while True:
        local = at.astimezone(BEIJING)
        seconds = local.hour * 3600 + local.minute * 60
        working = calendar.is_workday(local.date()) and day.start <= seconds < day.end
        if working and minutes == 0:
            return at
        if working:
            minutes -= 1
            if minutes == 0:
                return at + timedelta(minutes=1)
        at += timedelta(minutes=1)


minutes_of_2025_2026 = st.integers(0, (date(2027, 1, 31) - date(2024, 12, 1)).days * 1440)
zones = st.sampled_from([BEIJING, UTC, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Berlin")])
working_days = st.tuples(st.integers(0, 47), st.integers(1, 48)).filter(
    lambda t: t[0] < t[1]).map(lambda t: WorkingDay(t[0] * 1800, t[1] * 1800))


def _start(minute: int, zone: object) -> datetime:
    return (datetime(2024, 12, 1, tzinfo=BEIJING) + timedelta(minutes=minute)).astimezone(
        zone)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(minute=minutes_of_2025_2026, hours_in_minutes=st.integers(0, 40 * 60), zone=zones,
       day=working_days)
def test_the_deadline_matches_a_minute_by_minute_count(minute: int, hours_in_minutes: int,
                                                       zone: object, day: WorkingDay) -> None:
    start = _start(minute, zone)

    due = due_after(start, timedelta(minutes=hours_in_minutes), CALENDAR, day).due

    assert due == minute_count_due(start, hours_in_minutes, CALENDAR, day)


@settings(max_examples=300, deadline=None)
@given(minute=minutes_of_2025_2026, second=st.integers(0, 59),
       hours=st.integers(0, 400 * 3600).map(lambda s: timedelta(seconds=s)),
       more=st.integers(1, 100 * 3600).map(lambda s: timedelta(seconds=s)), zone=zones,
       day=working_days)
def test_working_time_inverts_the_deadline_and_deadlines_add_up(
        minute: int, second: int, hours: timedelta, more: timedelta, zone: object,
        day: WorkingDay) -> None:
    start = _start(minute, zone) + timedelta(seconds=second)

    due = due_after(start, hours, CALENDAR, day)
    later = due_after(due.due, more, CALENDAR, day).due

    assert due.due >= start and due.due.tzinfo is start.tzinfo
    assert working_time_between(start, due.due, CALENDAR, day).time == hours
    assert working_time_between(due.due, start, CALENDAR, day).time == -hours
    assert later == due_after(start, hours + more, CALENDAR, day).due
    # The last instant worked before a deadline of more than zero hours is working time.
    last = (later - timedelta(microseconds=1)).astimezone(BEIJING)
    seconds = last.hour * 3600 + last.minute * 60 + last.second
    assert CALENDAR.is_workday(last.date()) and day.start <= seconds < day.end
    first, final = start.astimezone(BEIJING).year, due.due.astimezone(BEIJING).year
    assert due.unpublished_years == set(range(first, final + 1)) - {2025, 2026}
