"""Which steps of an order are running, and their alert times (deadlines on every open order).

A step runs from the first of its limit's start events until the first of its stop events; it
stands still from a pause event until a resume event. A step that stops and starts again (a
refused order assigned anew) begins a new run, numbered from 1, so each run warns and breaches
once (the key order/step/run/level). A step paused now has no alert times: its clock stands
still, and the resume (an order change) sets them again.

`alert_times` gives each running step's 预警 / 警告 / 严重 instants by core.sla.limits.deadline_for,
and beside them the platform's own deadline for the step when its limit has one;
`closed_runs` gives the runs that stopped (for the on-time record of each finished run).
`time_left` is the exact time of the limit's clock from an instant to the deadline (negative
past it), standing still over pauses and suspensions as the deadline did. Pure: no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.sla.business_time import working_time_between
from core.sla.calendar import BusinessCalendar, WorkingDay
from core.sla.errors import BusinessTimeInvalid
from core.sla.limit_types import Clock, Level, Step, StepLimit, Suspension
from core.sla.limits import EffectiveLimits, deadline_for

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class Happening:
    """A lifecycle event word (core.sla.limit_types.EVENTS) and when it happened."""

    word: str
    at: datetime


@dataclass(frozen=True)
class StepRun:
    """One run of a step that has started and not stopped."""

    step: Step
    run: int
    started_at: datetime
    paused: tuple[Window, ...] = ()
    paused_since: datetime | None = None  # paused now: its clock stands still


@dataclass(frozen=True)
class AlertTime:
    """When a running step reaches `level` (严重: `due`, the deadline itself)."""

    step: Step
    run: int
    level: Level
    at: datetime
    due: datetime
    started_at: datetime
    clock: Clock
    platform_due: datetime | None = None  # the platform's deadline (its limit beside ours)


@dataclass(frozen=True)
class ClosedRun:
    """One run of a step that started and stopped (a pause still on at the stop ends there)."""

    step: Step
    run: int
    started_at: datetime
    stopped_at: datetime
    paused: tuple[Window, ...] = ()


def all_runs(happenings: Iterable[Happening],
             limits: dict[Step, StepLimit]) -> tuple[list[StepRun], list[ClosedRun]]:
    """The runs still running and the runs that stopped, after `happenings`."""
    ordered = sorted(happenings, key=lambda h: h.at)  # stable: same instant keeps its order
    running: list[StepRun] = []
    closed: list[ClosedRun] = []
    for step, limit in limits.items():
        run, started, pause_from = 0, None, None
        paused: list[Window] = []
        for h in ordered:
            if started is None:
                if h.word in limit.start:
                    run, started, paused, pause_from = run + 1, h.at, [], None
            elif h.word in limit.stop:
                if pause_from is not None:
                    paused.append((pause_from, h.at))
                closed.append(ClosedRun(step, run, started, h.at, tuple(paused)))
                started = None
            elif pause_from is None and h.word in limit.pause:
                pause_from = h.at
            elif pause_from is not None and h.word in limit.resume:
                paused.append((pause_from, h.at))
                pause_from = None
        if started is not None:
            running.append(StepRun(step, run, started, tuple(paused), pause_from))
    return running, closed


def open_runs(happenings: Iterable[Happening],
              limits: dict[Step, StepLimit]) -> list[StepRun]:
    """The steps running after `happenings` (in the order they happened)."""
    return all_runs(happenings, limits)[0]


def closed_runs(happenings: Iterable[Happening],
                limits: dict[Step, StepLimit]) -> list[ClosedRun]:
    """The runs that stopped within `happenings`, each once (step, run)."""
    return all_runs(happenings, limits)[1]


def alert_times(runs: Sequence[StepRun], limits: EffectiveLimits,
                calendar: BusinessCalendar, agreed: date | None) -> list[AlertTime]:
    """Each running (not paused) step's alert instants under our limit. An end-of-day limit
    without an agreed day has none yet (the appointment sets it)."""
    out: list[AlertTime] = []
    for r in runs:
        if r.paused_since is not None:
            continue
        limit = limits.steps[r.step]
        try:
            found = deadline_for(r.step, r.started_at, limit, calendar, limits.working_day,
                                 agreed=agreed, paused=r.paused,
                                 suspensions=limits.suspensions)
        except BusinessTimeInvalid:
            continue
        platform = _platform_due(r, limits, calendar, agreed)
        out.extend(AlertTime(r.step, r.run, level, at, found.due, r.started_at, limit.clock,
                             platform) for level, at in found.alerts)
    return out


def _platform_due(run: StepRun, limits: EffectiveLimits, calendar: BusinessCalendar,
                  agreed: date | None) -> datetime | None:
    """The platform's deadline for a running step, counted as its limit says (its clock, the
    same pauses and suspensions); None without one or when it cannot be counted yet."""
    platform = limits.steps[run.step].platform
    if platform is None:
        return None
    try:
        return deadline_for(run.step, run.started_at, platform, calendar, limits.working_day,
                            agreed=agreed, paused=run.paused,
                            suspensions=limits.suspensions).due
    except BusinessTimeInvalid:
        return None


def _overlap(a: datetime, b: datetime, windows: Iterable[Window]) -> list[Window]:
    return [(max(a, s), min(b, e)) for s, e in windows if min(b, e) > max(a, s)]


def _merged(windows: Iterable[Window]) -> list[Window]:
    out: list[Window] = []
    for begin, end in sorted(windows):
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((begin, end))
    return out


def time_left(at: datetime, due: datetime, clock: Clock, calendar: BusinessCalendar,
              hours: WorkingDay, paused: Iterable[Window] = (),
              suspensions: Iterable[Suspension] = ()) -> timedelta:
    """The limit's clock from `at` to `due`, not counting pauses and suspensions between
    (negative when `at` is past `due`: the time over). Exact, never rounded."""
    if at > due:
        return -time_left(due, at, clock, calendar, hours, paused, suspensions)
    windows = _merged([*paused, *((s.start, s.end) for s in suspensions)])

    def span(a: datetime, b: datetime) -> timedelta:
        if clock is Clock.NATURAL:
            return b - a
        return working_time_between(a, b, calendar, hours).time

    total = span(at, due)
    for s, e in _overlap(at, due, windows):
        total -= span(s, e)
    return total


@dataclass(frozen=True)
class RunOutcome:
    """How a finished run ended against its deadline: on time, or the time over (the limit's
    clock from the deadline to the stop, not counting pauses and suspensions)."""

    due: datetime
    clock: Clock
    on_time: bool
    over: timedelta


def outcome_of(run: ClosedRun, limits: EffectiveLimits, calendar: BusinessCalendar,
               agreed: date | None, due: datetime | None = None) -> RunOutcome | None:
    """The outcome of a finished run against `due` (the deadline its alerts had) or, without
    one, its deadline under our limit now; None when it had none (an end-of-day limit without
    an agreed day, or a calendar that cannot count it)."""
    limit = limits.steps.get(run.step)
    if limit is None:
        return None
    if due is None:
        try:
            due = deadline_for(run.step, run.started_at, limit, calendar, limits.working_day,
                               agreed=agreed, paused=run.paused,
                               suspensions=limits.suspensions).due
        except BusinessTimeInvalid:
            return None
    if run.stopped_at <= due:
        return RunOutcome(due, limit.clock, True, timedelta(0))
    over = -time_left(run.stopped_at, due, limit.clock, calendar, limits.working_day,
                      run.paused, limits.suspensions)
    return RunOutcome(due, limit.clock, False, over)
