"""The business calendar in the database (SQLite and PostgreSQL): the shipped years seeded once,
an import replacing a year in one transaction from the version seen, audited, and migration
0020 down and up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from migration_steps import migrate_to
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.services.sla.calendar import (
    ImportCalendarYear,
    business_calendar,
    handle_import_calendar_year,
    handle_read_calendar_year,
    seed_shipped_years,
    shipped_notices,
)
from core.sla.calendar import DayKind, Notice, NoticeDay
from core.storage.audited import NoReason, Stale
from core.storage.sla.calendar import CalendarDayRecord, calendar_log, year_record
from core.storage.uow import UnitOfWork

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NEXT_YEAR = Notice(2027, "国务院办公厅关于2027年部分节假日安排的通知", (
    NoticeDay(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
    NoticeDay(date(2027, 1, 2), DayKind.HOLIDAY, "元旦"),
    NoticeDay(date(2027, 1, 3), DayKind.HOLIDAY, "元旦")))


def _import(engine: Engine, notice: Notice, version: int = 0, reason: str = "国务院通知已发布",
            actor: str = "admin", at: datetime = AT) -> bool:
    uow = UnitOfWork(engine, clock=SimulatedClock(at))
    return handle_import_calendar_year(ImportCalendarYear(notice, version, reason, actor),
                                       uow).changed


def test_the_shipped_years_are_seeded_once(engine: Engine) -> None:
    clock = SimulatedClock(AT)

    first = seed_shipped_years(engine, clock)
    again = seed_shipped_years(engine, clock)

    assert (first, again) == ([2025, 2026], [])
    with Session(engine) as session:
        record = year_record(session, 2026)
        assert record is not None
        assert (record.version, record.imported_by, record.imported_at) == (1, "system", AT)
        assert business_calendar(session).published == {2025, 2026}
        assert [e.subject for e in calendar_log(session)] == ["2026", "2025"]


def test_an_import_adds_next_year_and_the_calendar_counts_it(engine: Engine) -> None:
    seed_shipped_years(engine, SimulatedClock(AT))

    assert _import(engine, NEXT_YEAR)

    with Session(engine) as session:
        read = handle_read_calendar_year(2027, session)
        calendar = business_calendar(session)
        (entry,) = calendar_log(session, 2027)
    assert read.record is not None and read.record.version == 1
    assert [f.name for f in read.days[:4]] == ["元旦", "元旦", "元旦", None]
    assert not calendar.is_workday(date(2027, 1, 1))
    assert (entry.actor, entry.reason, entry.at, entry.before) == ("admin", "国务院通知已发布",
                                                                   AT, {})
    assert entry.after["days"][0] == ["2027-01-01", "holiday", "元旦"]


def test_importing_a_held_year_replaces_it_whole_from_the_version_seen(engine: Engine) -> None:
    _import(engine, NEXT_YEAR)
    corrected = Notice(2027, NEXT_YEAR.source, (
        NoticeDay(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        NoticeDay(date(2027, 2, 6), DayKind.HOLIDAY, "春节"),
        NoticeDay(date(2027, 2, 20), DayKind.WORKDAY, "春节")))
    later = AT + timedelta(days=1)

    assert _import(engine, corrected, version=1, reason="更正", actor="admin2", at=later)

    with Session(engine) as session:
        record = year_record(session, 2027)
        days = session.scalars(select(CalendarDayRecord.day).order_by(CalendarDayRecord.day))
        newest = calendar_log(session, 2027)[0]
        assert record is not None
        assert (record.version, record.imported_by, record.imported_at, record.reason) == (
            2, "admin2", later, "更正")
        assert list(days) == [date(2027, 1, 1), date(2027, 2, 6), date(2027, 2, 20)]
    assert len(newest.before["days"]) == 3 and newest.after["days"][-1][1] == "workday"


def test_a_stale_import_changes_nothing(engine: Engine) -> None:
    _import(engine, NEXT_YEAR)
    _import(engine, Notice(2027, NEXT_YEAR.source, NEXT_YEAR.days[:1]), version=1)

    with pytest.raises(Stale) as stale:
        _import(engine, Notice(2027, NEXT_YEAR.source, NEXT_YEAR.days[:2]), version=1)
    with pytest.raises(Stale):
        _import(engine, NEXT_YEAR)  # "new" (0), but the year is held

    assert stale.value.current_version == 2 and stale.value.status == 409
    with Session(engine) as session:
        assert len(handle_read_calendar_year(2027, session).days) == 365
        assert len(calendar_log(session, 2027)) == 2
        assert [d.day for d in session.scalars(select(CalendarDayRecord))] == [date(2027, 1, 1)]


def test_the_same_notice_again_is_no_change_and_a_reason_is_required(engine: Engine) -> None:
    _import(engine, NEXT_YEAR)

    assert not _import(engine, NEXT_YEAR, version=1)
    with pytest.raises(NoReason):
        _import(engine, NEXT_YEAR, version=1, reason="  ")

    with Session(engine) as session:
        record = year_record(session, 2027)
        assert record is not None and record.version == 1
        assert len(calendar_log(session, 2027)) == 1


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.fresh_schema  # goes down and up the migrations
def test_0020_down_and_up(engine: Engine) -> None:
    seed_shipped_years(engine, SimulatedClock(AT))

    migrate_to(engine, "0019", down=True)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert not {"calendar_years", "calendar_days"} & tables
    migrate_to(engine, "head")

    assert seed_shipped_years(engine, SimulatedClock(AT)) == [n.year for n in shipped_notices()]
