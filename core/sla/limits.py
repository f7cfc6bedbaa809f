"""SLA time limits: the built-in limits per step, a county's effective limits for a service
type (inherited along core.geo.scopes, nearest wins per field), and the deadline of a step.

Inheritance runs region first, then service type: a county's own 'any' entry beats its
province's 'install' entry, since a remote county is slower for every type. Each field
(`accept.due`, `accept.clock`, ..., `working_day`, `suspensions`) comes from the nearest link
of county/type, county/any, city/type, city/any, ... default/any that sets it, else built in.

`deadline_for` counts a limit from the step's start in natural or business time
(core.sla.business_time), stands still while paused (the customer postpones) and over the
platform's suspensions (Spring Festival), and gives the alert times: 预警 and 警告 at the warn
shares, 严重 at the deadline. An end-of-day limit is due at 23:59:59 of the agreed day (plus
days) and does not move for pauses: a new agreed day moves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from core.errors import Invalid
from core.geo.scopes import nearest_wins, scope_chain
from core.sla.business_time import due_after, working_time_between
from core.sla.calendar import DEFAULT_WORKING_DAY, BusinessCalendar, WorkingDay
from core.sla.errors import BusinessTimeInvalid, LimitRefused
from core.sla.limit_body import (
    SERVICE_TYPES,
    STEP_FIELDS,
    read_step_field,
    read_suspensions,
    read_working_day,
)
from core.sla.limit_types import (
    ANY_TYPE,
    Clock,
    Due,
    Level,
    PlatformLimit,
    Step,
    StepLimit,
    Suspension,
)

_POSTPONE = ("customer_postpone",)
BUILT_IN: dict[Step, StepLimit] = {
    Step.ACCEPT: StepLimit(
        Due(minutes=30), start=("open_dispatch", "assign", "claim"), stop=("accept",),
        platform=PlatformLimit(Due(minutes=6 * 60),
                               rule="天猫服务中心监控：工人信息 6 小时内回传")),
    Step.FIRST_CONTACT: StepLimit(
        Due(minutes=24 * 60), start=("goods_signed", "accept"),
        stop=("contact_attempt", "appoint"),
        platform=PlatformLimit(Due(minutes=24 * 60), rule="天猫：签收后 24 小时内联系客户")),
    Step.APPOINTMENT: StepLimit(Due(minutes=24 * 60), start=("accept",), stop=("appoint",)),
    Step.ON_SITE: StepLimit(Due(minutes=72 * 60), start=("accept",), stop=("check_in",),
                            pause=_POSTPONE, resume=("appoint",)),
    Step.COMPLETE: StepLimit(
        Due(end_of_day=0), start=("appoint",), stop=("complete",),
        platform=PlatformLimit(Due(end_of_day=0),
                               rule="天猫家装安装规范（2023）：约定日 23:59:59 前完成安装")),
    Step.VERIFY: StepLimit(Due(minutes=8 * 60), clock=Clock.BUSINESS, start=("complete",),
                           stop=("verify",)),
    Step.REVIEW: StepLimit(Due(minutes=7 * 24 * 60), start=("start_review",),
                           stop=("pass_review",)),
}
FIELD_NAMES = (*(f"{s.value}.{f}" for s in Step for f in STEP_FIELDS), "working_day",
               "suspensions")
Link = tuple[str, str]  # (scope, service type)


@dataclass(frozen=True)
class EffectiveLimits:
    """A county's limits for one service type, and where each field comes from: the link
    (scope, service type) that sets it, or None when it is built in."""

    county: str
    service_type: str
    steps: Mapping[Step, StepLimit]
    working_day: WorkingDay
    suspensions: tuple[Suspension, ...]
    sources: Mapping[str, Link | None]


def check_service_type(service_type: str, loc: tuple[str, ...] = ("query", "service_type"),
                       ) -> str:
    if service_type not in SERVICE_TYPES:
        raise Invalid(f"'{service_type}' 不是服务类型 (not a service type; use "
                      f"{', '.join(SERVICE_TYPES)})", loc=loc)
    return service_type


def _links(scope_body: Mapping[str, Any], scope: str) -> dict[Link, dict[str, Any]]:
    """One scope's stored body as flat fields per link."""
    out: dict[Link, dict[str, Any]] = {(scope, ANY_TYPE): {}}
    steps = scope_body.get("steps") if isinstance(scope_body.get("steps"), Mapping) else {}
    for step, by_type in (steps or {}).items():
        for kind, entry in (by_type.items() if isinstance(by_type, Mapping) else ()):
            for name, value in (entry.items() if isinstance(entry, Mapping) else ()):
                out.setdefault((scope, kind), {})[f"{step}.{name}"] = value
    for name in ("working_day", "suspensions"):
        if name in scope_body:
            out[(scope, ANY_TYPE)][name] = scope_body[name]
    return out


def _read(name: str, value: Any) -> Any:
    if name == "working_day":
        return read_working_day(name, value)
    if name == "suspensions":
        return read_suspensions(name, value)
    step, _, field = name.partition(".")
    try:
        return read_step_field(Step(step), field, f"steps.{step}.{field}", value)
    except ValueError:
        raise LimitRefused(name, "未知的环节 (unknown step)") from None


def effective_limits(county_adcode: str, service_type: str,
                     bodies: Mapping[str, Mapping[str, Any]]) -> EffectiveLimits:
    """Merge the scopes' stored bodies for a county and service type (nearest wins, per field)."""
    kinds = list(dict.fromkeys([check_service_type(service_type), ANY_TYPE]))
    chain = [(scope, kind) for scope in scope_chain(county_adcode) for kind in kinds]
    flat: dict[Link, dict[str, Any]] = {}
    for scope in scope_chain(county_adcode):
        flat.update(_links(bodies.get(scope) or {}, scope))
    values, found = nearest_wins(chain, flat, _read)
    steps = {}
    for step in Step:
        own = {f: values[f"{step.value}.{f}"] for f in STEP_FIELDS if f"{step.value}.{f}" in values}
        steps[step] = replace(BUILT_IN[step], **own)
    sources: dict[str, Link | None] = dict.fromkeys(FIELD_NAMES)
    sources.update(found)
    return EffectiveLimits(county_adcode, service_type, steps,
                           values.get("working_day", DEFAULT_WORKING_DAY),
                           values.get("suspensions", ()), sources)


# -- deadlines ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """When a step is due, its alerts in time order (the last, 严重, is the deadline itself),
    and the years counted as ordinary days for want of their notice."""

    due: datetime
    alerts: tuple[tuple[Level, datetime], ...]
    unpublished_years: frozenset[int]


class _Clock:
    def __init__(self, clock: Clock, calendar: BusinessCalendar, hours: WorkingDay) -> None:
        self.clock, self.calendar, self.hours = clock, calendar, hours
        self.years: set[int] = set()

    def after(self, start: datetime, amount: timedelta) -> datetime:
        if self.clock is Clock.NATURAL:
            return start + amount
        found = due_after(start, amount, self.calendar, self.hours)
        self.years |= found.unpublished_years
        return found.due

    def between(self, a: datetime, b: datetime) -> timedelta:
        if self.clock is Clock.NATURAL:
            return b - a
        found = working_time_between(a, b, self.calendar, self.hours)
        self.years |= found.unpublished_years
        return found.time

    def run(self, start: datetime, amount: timedelta,
            windows: Sequence[tuple[datetime, datetime]]) -> datetime:
        """`amount` of this clock after `start`, standing still inside `windows`."""
        cursor, remaining = start, amount
        for begin, end in windows:
            if end <= cursor:
                continue
            due = self.after(cursor, remaining)
            if begin >= due:
                return due
            remaining -= self.between(cursor, max(begin, cursor))
            cursor = end
        return self.after(cursor, remaining)


def _merged(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(windows):
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((begin, end))
    return out


def _end_of_day(due: Due, agreed: date | None, clock: _Clock) -> datetime:
    if agreed is None:
        raise BusinessTimeInvalid("按约定日截止的时限需要约定日 (an end-of-day limit needs the "
                                  "agreed day)", loc=("agreed",))
    days = due.end_of_day or 0
    if clock.clock is Clock.NATURAL:
        return datetime.combine(agreed + timedelta(days=days), time(23, 59, 59),
                                tzinfo=clock.hours.tz)
    day = agreed
    while days:
        day += timedelta(days=1)
        days -= clock.calendar.is_workday(day)
    clock.years |= clock.calendar.unpublished_between(agreed, day)
    return clock.hours.window(day)[1]


def deadline_for(step: Step, started_at: datetime, limit: StepLimit | PlatformLimit,
                 calendar: BusinessCalendar, hours: WorkingDay = DEFAULT_WORKING_DAY, *,
                 agreed: date | None = None,
                 paused: Iterable[tuple[datetime, datetime]] = (),
                 suspensions: Iterable[Suspension] = ()) -> Deadline:
    """When `step`, started at `started_at`, is due under `limit` (ours, or the platform's:
    then the only alert is its breach, 严重)."""
    if started_at.utcoffset() is None:
        raise BusinessTimeInvalid(f"开始时间须带时区 (the start must carry a time zone): "
                                  f"{started_at.isoformat()}", loc=("started_at",))
    clock = _Clock(limit.clock, calendar, hours)
    shares = limit.warn_percent if isinstance(limit, StepLimit) else ()
    if limit.due.minutes is None:
        due = _end_of_day(limit.due, agreed, clock)
        total = clock.between(started_at, due)
        warns = [clock.after(started_at, max(total, timedelta(0)) * p // 100) for p in shares]
    else:
        windows = _merged([*paused, *((s.start, s.end) for s in suspensions)])
        amount = timedelta(minutes=limit.due.minutes)
        due = clock.run(started_at, amount, windows)
        warns = [clock.run(started_at, amount * p // 100, windows) for p in shares]
    levels = (Level.NOTICE, Level.WARNING)
    alerts = (*zip(levels, warns, strict=False), (Level.SEVERE, due))
    return Deadline(due, tuple(alerts), frozenset(clock.years))
