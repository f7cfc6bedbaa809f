"""The business calendar: which dates are working days in mainland China, and a day's hours.

A date is one of three things. A **holiday** (放假) named in the State Council's notice for its
year: every day of a holiday's run, weekends inside it included. An **adjusted working day**
(调休上班): a Saturday or Sunday the notice makes a working day, named after the holiday it pays
for. Otherwise an **ordinary** day: Monday to Friday work, Saturday and Sunday rest.

A year whose notice we do not hold is *not yet published*: its days count as ordinary days, and
every answer that touched it says so (`DayFact.published`, the `unpublished_years` of
core.sla.business_time's answers) so the caller can warn loudly; nothing here guesses a holiday.

`WorkingDay` is the working hours of a region's day (09:00-18:00 Asia/Shanghai by default), the
shape SLA stores per region (`as_dict` / `from_dict`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.sla.errors import CalendarRefused, WorkingDayInvalid

BEIJING_TIME = "Asia/Shanghai"
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DAY_NAME = 20
WEEKDAYS_ZH = "一二三四五六日"
DAY_SECONDS = 24 * 3600
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{2}):(\d{2})")


class DayKind(StrEnum):
    """What a notice says of a date."""

    HOLIDAY = "holiday"  # 放假
    WORKDAY = "workday"  # 调休上班: a weekend day worked


class FactKind(StrEnum):
    """What a date is, for whoever counts working time."""

    HOLIDAY = "holiday"
    ADJUSTED_WORKDAY = "adjusted_workday"
    WORKDAY = "workday"  # an ordinary Monday to Friday
    REST = "rest"  # an ordinary Saturday or Sunday


@dataclass(frozen=True)
class NoticeDay:
    """One date a notice names: a holiday, or a weekend day worked, with its holiday's name."""

    on: date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class Notice:
    """A year's calendar as published: its source and the dates it names, in date order."""

    year: int
    source: str
    days: tuple[NoticeDay, ...]


@dataclass(frozen=True)
class DayFact:
    """What one date is: a working day or not, and why."""

    on: date
    kind: FactKind
    name: str | None  # the holiday, or the holiday an adjusted working day pays for
    published: bool  # False: the year's notice is not held, the date counted as ordinary

    @property
    def workday(self) -> bool:
        return self.kind in (FactKind.WORKDAY, FactKind.ADJUSTED_WORKDAY)


def _weekend(on: date) -> bool:
    return on.weekday() >= 5


class BusinessCalendar:
    """Per-date facts over the years whose notices we hold; other years are ordinary."""

    def __init__(self, days: Iterable[NoticeDay] = (), published: Iterable[int] = ()) -> None:
        self.published = frozenset(published)
        self._days = {day.on: day for day in days}
        strays = {day.year for day in self._days} - self.published
        if strays:
            raise ValueError(f"days of years not published: {sorted(strays)}")

    @classmethod
    def of(cls, notices: Iterable[Notice]) -> BusinessCalendar:
        held = list(notices)
        return cls((day for notice in held for day in notice.days), (n.year for n in held))

    def fact(self, on: date) -> DayFact:
        named = self._days.get(on)
        if named is not None:
            kind = FactKind.HOLIDAY if named.kind is DayKind.HOLIDAY else FactKind.ADJUSTED_WORKDAY
            return DayFact(on, kind, named.name, True)
        kind = FactKind.REST if _weekend(on) else FactKind.WORKDAY
        return DayFact(on, kind, None, on.year in self.published)

    def is_workday(self, on: date) -> bool:
        named = self._days.get(on)
        if named is not None:
            return named.kind is DayKind.WORKDAY
        return not _weekend(on)

    def year(self, year: int) -> Iterator[DayFact]:
        """Every date of a year, in order."""
        on = date(year, 1, 1)
        while on.year == year:
            yield self.fact(on)
            on += timedelta(days=1)

    def unpublished_between(self, first: date, last: date) -> frozenset[int]:
        """The years from `first` to `last` (inclusive) counted as ordinary for want of data."""
        return frozenset(range(first.year, last.year + 1)) - self.published


def read_notice(year: int, source: str,
                entries: Sequence[Mapping[str, Any]]) -> Notice:
    """A notice from its file's entries ({"date", "kind", "name"}), or CalendarRefused naming
    the field at fault: a date twice, a date of another year, an unknown kind, a weekday made
    an adjusted working day, an adjusted working day paying for a holiday the notice lacks."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarRefused(f"年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间 (the year must lie "
                              f"within {MIN_YEAR}-{MAX_YEAR}): {year}", loc=("year",))
    days: list[NoticeDay] = []
    first_at: dict[date, int] = {}
    for index, entry in enumerate(entries):
        day = _entry(year, index, entry)
        if day.on in first_at:
            raise CalendarRefused(
                f"日期重复：{day.on} 已是第 {first_at[day.on]} 项 (date given twice: {day.on} "
                f"is also item {first_at[day.on]})", loc=("days", index, "date"))
        first_at[day.on] = index
        days.append(day)
    holidays = {d.name for d in days if d.kind is DayKind.HOLIDAY}
    if not holidays:
        raise CalendarRefused("通知中没有假日 (the notice names no holiday)", loc=("days",))
    for index, day in enumerate(days):
        if day.kind is DayKind.WORKDAY and day.name not in holidays:
            raise CalendarRefused(
                f"调休上班日所补的假日「{day.name}」不在通知中 (the adjusted working day pays for "
                f"a holiday the notice does not name: {day.name})", loc=("days", index, "name"))
    return Notice(year, source.strip(), tuple(sorted(days, key=lambda d: d.on)))


def _entry(year: int, index: int, entry: Mapping[str, Any]) -> NoticeDay:
    raw_date, raw_kind, raw_name = entry.get("date"), entry.get("kind"), entry.get("name")
    if not isinstance(raw_date, str) or not _ISO_DATE.fullmatch(raw_date):
        raise CalendarRefused(f"不是 YYYY-MM-DD 格式的日期 (not a date as YYYY-MM-DD): "
                              f"{raw_date!r}", loc=("days", index, "date"))
    try:
        on = date.fromisoformat(raw_date)
    except ValueError:
        raise CalendarRefused(f"没有这一天 (no such date): {raw_date}",
                              loc=("days", index, "date")) from None
    if on.year != year:
        raise CalendarRefused(f"{on} 不属于 {year} 年 ({on} is not in {year})",
                              loc=("days", index, "date"))
    if raw_kind not in tuple(DayKind):
        raise CalendarRefused(f"未知类型 {raw_kind!r}，应为 holiday（放假）或 workday（调休上班） "
                              f"(unknown kind {raw_kind!r}: holiday or workday)",
                              loc=("days", index, "kind"))
    kind = DayKind(raw_kind)
    name = raw_name.strip() if isinstance(raw_name, str) else ""
    if not name or len(name) > MAX_DAY_NAME:
        raise CalendarRefused(f"须有假日名称，最多 {MAX_DAY_NAME} 字 (a holiday's name of 1 to "
                              f"{MAX_DAY_NAME} characters is required)",
                              loc=("days", index, "name"))
    if kind is DayKind.WORKDAY and not _weekend(on):
        raise CalendarRefused(
            f"调休上班日须是周六或周日：{on} 是周{WEEKDAYS_ZH[on.weekday()]} (an adjusted "
            f"working day must be a Saturday or Sunday: {on} is a {on:%A})",
            loc=("days", index, "kind"))
    return NoticeDay(on, kind, name)


@dataclass(frozen=True)
class WorkingDay:
    """A working day's hours in a time zone: from `start` to `end`, seconds after midnight
    (end may be 24:00). One span a day; a region may have its own (SLA stores them)."""

    start: int = 9 * 3600
    end: int = 18 * 3600
    zone: str = BEIJING_TIME

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= DAY_SECONDS:
            raise WorkingDayInvalid(f"工作时间须在同一天内且开始早于结束 (working hours must "
                                    f"start before they end, within one day): {self}")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise WorkingDayInvalid(f"未知时区 (unknown time zone): {self.zone!r}") from None

    @classmethod
    def parse(cls, text: str, zone: str = BEIJING_TIME) -> WorkingDay:
        """"09:00-18:00" (HH:MM-HH:MM, end up to 24:00) in `zone`."""
        parts = text.strip().split("-")
        spans = [_CLOCK.fullmatch(p.strip()) for p in parts] if len(parts) == 2 else []
        if len(spans) != 2 or not all(spans):
            raise WorkingDayInvalid(f"工作时间须写作 HH:MM-HH:MM (working hours read "
                                    f"HH:MM-HH:MM, e.g. 09:00-18:00): {text!r}")
        seconds = []
        for found in spans:
            assert found is not None
            hours, minutes = int(found[1]), int(found[2])
            if minutes > 59 or hours > 24 or (hours == 24 and minutes):
                raise WorkingDayInvalid(f"没有这个时刻 (no such time of day): {found[0]}")
            seconds.append(hours * 3600 + minutes * 60)
        return cls(seconds[0], seconds[1], zone)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> WorkingDay:
        return cls.parse(f"{value['start']}-{value['end']}", value.get("zone", BEIJING_TIME))

    def as_dict(self) -> dict[str, str]:
        start, end = str(self).split("-")
        return {"start": start, "end": end, "zone": self.zone}

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def window(self, on: date) -> tuple[datetime, datetime]:
        """The working span of a date, as aware datetimes in the day's zone."""
        midnight = datetime.combine(on, time(), tzinfo=self.tz)
        return (midnight + timedelta(seconds=self.start), midnight + timedelta(seconds=self.end))


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


DEFAULT_WORKING_DAY = WorkingDay()
