"""The business calendar over HTTP: a year for the console, and an admin's import of a year.

GET /v1/calendar/{year}: every date of the year (any signed-in desk role); a year without a
notice answers its ordinary days with `published: false` and a warning. PUT /v1/calendar/{year}
(admin): the year's notice, the version seen (0: a new year) and why; 409 when stale.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from core.contracts.sla import CalendarDayOut, CalendarPut, CalendarYearOut
from core.errors import Invalid
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, DeskUser, Uow, allow
from core.server.problems import PROBLEM_RESPONSES
from core.services.sla.calendar import (
    CalendarYear,
    ImportCalendarYear,
    handle_import_calendar_year,
    handle_read_calendar_year,
    not_published,
    notice_of,
)
from core.sla.calendar import MAX_YEAR, MIN_YEAR

router = APIRouter(prefix="/v1", tags=["business calendar"])
Admin = Annotated[CurrentUser, Depends(allow(Role.ADMIN))]
Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="e.g. 2026")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def year_out(read: CalendarYear) -> CalendarYearOut:
    record = read.record
    return CalendarYearOut(
        year=read.year, published=record is not None,
        source=record.source if record else None, version=record.version if record else 0,
        imported_at=record.imported_at if record else None,
        imported_by=record.imported_by if record else None,
        warning=None if record else not_published([read.year]),
        days=[CalendarDayOut(date=d.on, workday=d.workday, kind=d.kind.value, name=d.name)
              for d in read.days])


@router.get("/calendar/{year}", response_model=CalendarYearOut, responses=PROBLEM_RESPONSES)
def get_year(year: Year, session: DbSession, _user: DeskUser) -> CalendarYearOut:
    """Every date of the year: working day or not, and the holiday's name where there is one."""
    return year_out(handle_read_calendar_year(year, session))


@router.put("/calendar/{year}", response_model=CalendarYearOut, responses=CONFLICT)
def put_year(year: Year, body: CalendarPut, user: Admin, uow: Uow,
             session: DbSession) -> CalendarYearOut:
    """Import the year's notice (replacing the held one from the version seen), audited."""
    if body.notice.year != year:
        raise Invalid(f"文件是 {body.notice.year} 年的，路径是 {year} 年 (the notice is for "
                      f"{body.notice.year}, the path says {year})",
                      loc=("body", "notice", "year"))
    notice = notice_of(body.notice, loc=("body", "notice"))
    handle_import_calendar_year(
        ImportCalendarYear(notice, body.version, body.reason, user.username), uow)
    return year_out(handle_read_calendar_year(year, session))
