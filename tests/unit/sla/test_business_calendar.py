"""The business calendar's rule: what a date is, a notice that does not hold together, and a
day's working hours."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.sla.calendar import (
    BusinessCalendar,
    DayKind,
    FactKind,
    NoticeDay,
    WorkingDay,
    read_notice,
)
from core.sla.errors import CalendarRefused, WorkingDayInvalid

SOURCE = "国务院办公厅关于2027年部分节假日安排的通知"


def day(on: str, kind: str = "holiday", name: str = "元旦") -> dict[str, Any]:
    return {"date": on, "kind": kind, "name": name}


def test_a_notices_dates_and_the_ordinary_days_around_them() -> None:
    calendar = BusinessCalendar([NoticeDay(date(2026, 2, 14), DayKind.WORKDAY, "春节"),
                                 NoticeDay(date(2026, 2, 16), DayKind.HOLIDAY, "春节")], [2026])

    worked_saturday = calendar.fact(date(2026, 2, 14))
    holiday_monday = calendar.fact(date(2026, 2, 16))
    ordinary_saturday = calendar.fact(date(2026, 3, 7))

    assert (worked_saturday.kind, worked_saturday.workday, worked_saturday.name) == (
        FactKind.ADJUSTED_WORKDAY, True, "春节")
    assert (holiday_monday.kind, holiday_monday.workday) == (FactKind.HOLIDAY, False)
    assert (ordinary_saturday.kind, ordinary_saturday.workday, ordinary_saturday.name) == (
        FactKind.REST, False, None)
    assert calendar.fact(date(2026, 3, 9)).kind is FactKind.WORKDAY
    assert all(f.published for f in (worked_saturday, holiday_monday, ordinary_saturday))


def test_a_year_not_yet_published_is_ordinary_days_flagged() -> None:
    calendar = BusinessCalendar([], [2026])

    new_year = calendar.fact(date(2027, 1, 1))  # a Friday

    assert (new_year.kind, new_year.workday, new_year.published) == (
        FactKind.WORKDAY, True, False)
    assert [f.kind for f in calendar.year(2027)][:3] == [
        FactKind.WORKDAY, FactKind.REST, FactKind.REST]
    assert len(list(calendar.year(2028))) == 366
    assert calendar.unpublished_between(date(2025, 12, 1), date(2027, 1, 1)) == {2025, 2027}


def test_a_notice_is_read_in_date_order() -> None:
    notice = read_notice(2027, f" {SOURCE} ", [day("2027-01-02"), day("2027-01-01"),
                                               day("2027-01-03", "workday")])

    assert notice.source == SOURCE
    assert [(d.on.day, d.kind) for d in notice.days] == [
        (1, DayKind.HOLIDAY), (2, DayKind.HOLIDAY), (3, DayKind.WORKDAY)]


@pytest.mark.parametrize(("entries", "loc", "words"), [
    ([day("2027-01-01"), day("2027-01-01")], ("days", 1, "date"), "日期重复"),
    ([day("2026-12-31")], ("days", 0, "date"), "不属于 2027 年"),
    ([day("2027-02-30")], ("days", 0, "date"), "没有这一天"),
    ([day("2027/01/01")], ("days", 0, "date"), "YYYY-MM-DD"),
    ([day("2027-01-01", "vacation")], ("days", 0, "kind"), "未知类型"),
    ([day("2027-01-01", name="  ")], ("days", 0, "name"), "假日名称"),
    ([day("2027-01-01", name="元" * 21)], ("days", 0, "name"), "假日名称"),
    # 4 Jan 2027 is a Monday: a weekday is a working day already.
    ([day("2027-01-01"), day("2027-01-04", "workday")], ("days", 1, "kind"), "周六或周日"),
    ([day("2027-01-01"), day("2027-01-03", "workday", "春节")], ("days", 1, "name"),
     "不在通知中"),
    ([day("2027-01-03", "workday")], ("days",), "没有假日"),
    ([], ("days",), "没有假日"),
])
def test_a_notice_that_does_not_hold_together_is_refused_naming_the_field(
        entries: list[dict[str, Any]], loc: tuple[str | int, ...], words: str) -> None:
    with pytest.raises(CalendarRefused) as refused:
        read_notice(2027, SOURCE, entries)

    assert refused.value.loc == loc and words in refused.value.message
    assert refused.value.status == 422


def test_a_year_out_of_range_is_refused() -> None:
    with pytest.raises(CalendarRefused) as refused:
        read_notice(1999, SOURCE, [day("1999-01-01")])

    assert refused.value.loc == ("year",)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("09:00-18:00", 9 * 3600, 18 * 3600), ("08:30 - 20:00", 30600, 72000),
    ("00:00-24:00", 0, 86400)])
def test_working_hours_are_read_and_written_back(text: str, start: int, end: int) -> None:
    working_day = WorkingDay.parse(text)

    assert (working_day.start, working_day.end, working_day.zone) == (start, end,
                                                                      "Asia/Shanghai")
    assert WorkingDay.from_dict(working_day.as_dict()) == working_day


@pytest.mark.parametrize("text", ["18:00-09:00", "09:00-09:00", "9-18", "09:00-24:30",
                                  "09:60-18:00", "25:00-26:00", "09:00"])
def test_working_hours_that_are_not_a_days_span_are_refused(text: str) -> None:
    with pytest.raises(WorkingDayInvalid):
        WorkingDay.parse(text)


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(WorkingDayInvalid):
        WorkingDay(zone="Mars/Olympus")
