"""SLA's wire schemas: the business calendar as files and as the console reads it.

`CalendarFile` is the shipped format (resources/calendar/cn-YYYY.json), read by
`lastmile calendar import FILE` and sent inside `CalendarPut`: only its shape is checked here;
whether it holds together (a date twice, a date of another year, an unknown kind, a weekday
made a working day) is the rule's (core.sla.calendar.read_notice), so file and HTTP refuse alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from core.contracts.fields import Reason, Strict

MAX_NOTICE_DAYS = 366


class CalendarDayIn(Strict):
    """A date the notice names: "holiday" (放假) or "workday" (调休上班), with its holiday."""

    date: str = Field(max_length=32, examples=["2026-02-14"])
    kind: str = Field(max_length=32, examples=["workday"])
    name: str = Field(max_length=100, examples=["春节"])


class CalendarFile(Strict):
    """A year's calendar as the State Council published it."""

    year: int
    source: str = Field(min_length=1, max_length=200,
                        examples=["国务院办公厅关于2026年部分节假日安排的通知"])
    issued: str | None = Field(default=None, max_length=32, examples=["2025-11-04"])
    days: list[CalendarDayIn] = Field(max_length=MAX_NOTICE_DAYS)

    def entries(self) -> list[dict[str, Any]]:
        return [d.model_dump() for d in self.days]


class CalendarPut(Strict):
    """Import a year from its notice: `version` the year's version seen (0: a new year)."""

    notice: CalendarFile
    version: int = Field(ge=0)
    reason: Reason


class CalendarDayOut(BaseModel):
    """One date: a working day or not; `name` for holidays and adjusted working days."""

    date: date
    workday: bool
    kind: str  # holiday, adjusted_workday, workday (Mon-Fri), rest (Sat-Sun)
    name: str | None = None


class CalendarYearOut(BaseModel):
    """Every date of a year. Not published: ordinary days only, and `warning` says so."""

    year: int
    published: bool
    source: str | None = None
    version: int = 0
    imported_at: datetime | None = None
    imported_by: str | None = None
    warning: str | None = None
    days: list[CalendarDayOut]
