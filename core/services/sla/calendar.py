"""The business calendar's use cases: read a year, import a year from its notice, count
business time over the calendar, and load the notices shipped with the release.

A year without a notice is "not yet published": it is counted as ordinary days (Mon-Fri work,
Sat-Sun rest), the answer says so, and the handler logs a WARNING naming the year — never
silently. Imports are audited (who, the clock's now, why; before and after in audit_log, kind
business_calendar) and made from the version seen: Stale (409) when the year changed meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import Clock
from core.contracts.sla import CalendarFile
from core.sla.business_time import BusinessDue, due_after
from core.sla.calendar import (
    DEFAULT_WORKING_DAY,
    BusinessCalendar,
    DayFact,
    DayKind,
    Notice,
    WorkingDay,
    read_notice,
)
from core.sla.errors import CalendarRefused
from core.storage.audited import Audit
from core.storage.db import schema_lock
from core.storage.sla import calendar as stored
from core.storage.sla.calendar import CalendarYearRecord
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "calendar"
SYSTEM_ACTOR = "system"


def not_published(years: Iterable[int]) -> str:
    """The loud words for years counted as ordinary days for want of their notice."""
    named = "、".join(str(y) for y in sorted(years))
    return (f"{named} 年的节假日安排尚未发布，按普通日计算（周一至周五上班，周六日休息） "
            f"(not yet published: {named} counted as ordinary days, Mon-Fri work, Sat-Sun "
            f"rest; import the State Council's notice with `lastmile calendar import FILE`)")


def notice_of(file: CalendarFile, loc: tuple[str | int, ...] = ()) -> Notice:
    """The rule's notice from a file's content; CalendarRefused names the field under `loc`."""
    try:
        return read_notice(file.year, file.source, file.entries())
    except CalendarRefused as refused:
        raise CalendarRefused(refused.message, loc=(*loc, *(refused.loc or ()))) from None


def notice_from_bytes(raw: bytes) -> Notice:
    """A notice from a calendar file's bytes (JSON in the shipped format), or CalendarRefused
    naming the field: the file's shape first, then whether it holds together."""
    try:
        file = CalendarFile.model_validate_json(raw)
    except ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise CalendarRefused(f"日历文件格式有误 (malformed calendar file): {where}: "
                              f"{first['msg']}", loc=tuple(first["loc"])) from None
    return notice_of(file)


@dataclass(frozen=True)
class CalendarYear:
    """A year as read: its record (None: not yet published) and every date's fact."""

    year: int
    record: CalendarYearRecord | None
    days: list[DayFact]

    @property
    def published(self) -> bool:
        return self.record is not None


def business_calendar(session: Session, years: Iterable[int] | None = None) -> BusinessCalendar:
    """The calendar over the held notices (of `years`, or of every published year)."""
    wanted = stored.published_years(session) if years is None else years
    return BusinessCalendar.of(stored.notices(session, wanted))


def handle_read_calendar_year(year: int, session: Session) -> CalendarYear:
    """Every date of `year`; a year without a notice is ordinary days, logged as a WARNING."""
    if not 1 <= year <= 9999:
        raise CalendarRefused(f"没有这一年 (no such year): {year}", loc=("path", "year"))
    calendar = business_calendar(session, [year])
    record = stored.year_record(session, year)
    if record is None:
        log.warning(not_published([year]))
    return CalendarYear(year, record, list(calendar.year(year)))


@dataclass(frozen=True)
class ImportCalendarYear:
    """Make a notice its year's calendar, from the version seen (0: the year is new)."""

    notice: Notice
    version: int
    reason: str
    actor: str


@dataclass(frozen=True)
class Imported:
    record: CalendarYearRecord
    changed: bool  # False: the same notice was already held (no version, no log line)


def handle_import_calendar_year(cmd: ImportCalendarYear, uow: UnitOfWork) -> Imported:
    """Replace the year's dates in one transaction, audited; Stale (409) if it changed
    meanwhile, NoReason (422) unless the reason says something."""
    with uow:
        audit = Audit.of(cmd.actor, uow.clock.now(), cmd.reason)
        record, changed = stored.import_year(uow.session, cmd.notice, cmd.version, audit)
        uow.commit()
    if changed:
        log.info("calendar %d imported by %s at version %d: %s", record.year, cmd.actor,
                 record.version, cmd.reason)
    return Imported(record, changed)


def shipped_notices(folder: Path = SHIPPED) -> list[Notice]:
    """The notices shipped with the release (resources/calendar/cn-YYYY.json), by year."""
    return sorted((notice_from_bytes(path.read_bytes()) for path in folder.glob("cn-*.json")),
                  key=lambda n: n.year)


def seed_shipped_years(engine: Engine, clock: Clock, folder: Path = SHIPPED) -> list[int]:
    """Import each shipped notice whose year is not held yet (never replacing a held year: an
    admin's import stays); the years imported. Safe from processes starting together."""
    with UnitOfWork(engine, clock=clock) as uow, schema_lock(uow.session.connection()):
        held = set(stored.published_years(uow.session))
        fresh = [n for n in shipped_notices(folder) if n.year not in held]
        now = uow.clock.now()
        for notice in fresh:
            audit = Audit.of(SYSTEM_ACTOR, now, f"随版本发布：{notice.source} "
                                                f"(shipped with the release)")
            stored.import_year(uow.session, notice, 0, audit)
        uow.commit()
    if fresh:
        log.info("business calendar: shipped years %s loaded", [n.year for n in fresh])
    return [n.year for n in fresh]


def handle_business_due(start: datetime, hours: timedelta, session: Session,
                        day: WorkingDay = DEFAULT_WORKING_DAY) -> BusinessDue:
    """The deadline `hours` of working time after `start` over the stored calendar; a year
    counted as ordinary for want of its notice is logged as a WARNING."""
    answer = due_after(start, hours, business_calendar(session), day)
    if answer.unpublished_years:
        log.warning(not_published(answer.unpublished_years))
    return answer


def holiday_count(notice: Notice) -> tuple[int, int]:
    """How many holidays and adjusted working days a notice names."""
    holidays = sum(d.kind is DayKind.HOLIDAY for d in notice.days)
    return holidays, len(notice.days) - holidays
