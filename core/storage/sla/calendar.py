"""The business calendar's tables and queries.

`calendar_years` says which years are published (their notice is held): the source, the
version (raised by each import that changes something), who imported it, when and why.
`calendar_days` holds the dates each notice names: a holiday or an adjusted working day, with
its name; every other date of a published year is ordinary. An import replaces a year's days
in the caller's transaction, from the version seen, and logs before and after in audit_log
(kind business_calendar; core.storage.audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.sla.calendar import DayKind, Notice, NoticeDay
from core.storage.tables import AuditLogRecord, Base
from core.storage.types import UTCDateTime

if TYPE_CHECKING:
    from core.storage.audited import Audit, AuditLog

# core.storage.audited imports core.storage.tables, which imports this package at its end: the
# audited helpers are imported when first used, not while the tables are being defined.
LOG_KIND = "business_calendar"


@cache
def calendar_audit_log() -> AuditLog[AuditLogRecord, Any]:
    from core.storage.audited import AuditLog

    return AuditLog.shared(LOG_KIND)


class CalendarYearRecord(Base):
    """A published year: whose notice, which version, imported by whom, when and why."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class CalendarDayRecord(Base):
    """A date a notice names: a holiday, or a weekend day worked (调休上班), with its name."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(20))


def year_record(session: Session, year: int) -> CalendarYearRecord | None:
    return session.get(CalendarYearRecord, year)


def published_years(session: Session) -> list[int]:
    return list(session.scalars(select(CalendarYearRecord.year).order_by(CalendarYearRecord.year)))


def notices(session: Session, years: Iterable[int]) -> list[Notice]:
    """The held notices among `years` (a year without one is simply absent)."""
    wanted = sorted(set(years))
    records = session.scalars(select(CalendarYearRecord)
                              .where(CalendarYearRecord.year.in_(wanted))).all()
    days: dict[int, list[NoticeDay]] = {r.year: [] for r in records}
    for row in session.scalars(select(CalendarDayRecord)
                               .where(CalendarDayRecord.year.in_(list(days)))
                               .order_by(CalendarDayRecord.day)):
        days[row.year].append(NoticeDay(row.day, DayKind(row.kind), row.name))
    return [Notice(r.year, r.source, tuple(days[r.year]))
            for r in sorted(records, key=lambda r: r.year)]


def _content(notice: Notice) -> dict[str, Any]:
    return {"source": notice.source,
            "days": [[d.on.isoformat(), d.kind.value, d.name] for d in notice.days]}


def import_year(session: Session, notice: Notice, version: int,
                audit: Audit) -> tuple[CalendarYearRecord, bool]:
    """Make `notice` the year's calendar, from the version seen (0: the year is new); whether
    anything changed. Stale (409 with the current version) when the year changed meanwhile;
    the same content again changes nothing (no version, no log line)."""
    from core.storage.audited import Named, lock

    record = lock(session, CalendarYearRecord, CalendarYearRecord.year == notice.year)
    if record is None:
        record = CalendarYearRecord(year=notice.year, source=notice.source, version=0,
                                    imported_at=audit.at, imported_by=audit.actor,
                                    reason=audit.reason)
        session.add(record)
        before: dict[str, Any] = {}
    else:
        (held,) = notices(session, [notice.year])
        before = _content(held)

    def write(values: dict[str, Any]) -> None:
        session.execute(delete(CalendarDayRecord).where(CalendarDayRecord.year == notice.year))
        record.source = values["source"]
        record.imported_at, record.imported_by, record.reason = audit.at, audit.actor, audit.reason
        session.flush()  # the year's row exists before its days point at it
        session.add_all(CalendarDayRecord(day=d.on, year=notice.year, kind=d.kind.value,
                                          name=d.name) for d in notice.days)

    changed = calendar_audit_log().change(
        session, notice.year, record, seen=version,
        name=Named(f"{notice.year} 年的日历", f"the calendar of {notice.year}"),
        before=before, after=_content(notice), audit=audit, write=write)
    return record, changed


def calendar_log(session: Session, year: int | None = None,
                 limit: int = 100) -> list[AuditLogRecord]:
    """Imports of one year, or of every year, newest first."""
    return calendar_audit_log().entries(session, year, limit)
