"""The shipped notices (resources/calendar, from the State Council's text) checked date by date
against two independent libraries: chinese-calendar 1.11.0 and holidays 0.108 (test oracles,
not sources)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from core.services.sla.calendar import shipped_notices
from core.sla.calendar import BusinessCalendar, DayKind

NOTICES = {n.year: n for n in shipped_notices()}
CALENDAR = BusinessCalendar.of(NOTICES.values())
# Our names (the notice's words) -> chinese-calendar's Holiday values.
ORACLE_NAMES = {
    "元旦": {"New Year's Day"}, "春节": {"Spring Festival"}, "清明节": {"Tomb-sweeping Day"},
    "劳动节": {"Labour Day"}, "端午节": {"Dragon Boat Festival"},
    "中秋节": {"Mid-autumn Festival"}, "国庆节": {"National Day"},
    "国庆节、中秋节": {"National Day", "Mid-autumn Festival"},  # 2025: one run of eight days
}


def _dates(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def test_2025_and_2026_ship() -> None:
    assert sorted(NOTICES) == [2025, 2026]
    assert {n.year: len(n.days) for n in NOTICES.values()} == {2025: 33, 2026: 39}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_date_is_a_working_day_exactly_when_both_oracles_say_so(year: int) -> None:
    china = holidays.China(years=year)

    ours = {d: CALENDAR.is_workday(d) for d in _dates(year)}

    assert ours == {d: chinese_calendar.is_workday(d) for d in _dates(year)}
    assert ours == {d: china.is_working_day(d) for d in _dates(year)}


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_named_date_carries_the_oracles_holiday(year: int) -> None:
    for day in NOTICES[year].days:
        on_holiday, name = chinese_calendar.get_holiday_detail(day.on)
        assert on_holiday is (day.kind is DayKind.HOLIDAY), day
        assert name in ORACLE_NAMES[day.name], day


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_and_substituted_day_of_the_holidays_library_is_named(
        year: int) -> None:
    china = holidays.China(years=year)
    named = {d.on: d.kind for d in NOTICES[year].days}

    assert all(named.get(on) is DayKind.HOLIDAY for on in china)
    # holidays lists "Day off (substituted from MM/DD/YYYY)": the date worked instead.
    worked = {date(int(n[-5:-1]), int(n[-11:-9]), int(n[-8:-6]))
              for n in china.values() if "substituted from" in n}
    assert worked == {on for on, kind in named.items() if kind is DayKind.WORKDAY}
