"""Finished runs and their outcomes (core.sla.step_runs.closed_runs / outcome_of): a stop
closes a run once, a pause still on at the stop ends there, on time up to the deadline itself,
and the time over in the limit's clock (not counting the pause)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.sla.calendar import BusinessCalendar
from core.sla.limit_types import Clock, Due, Step, StepLimit
from core.sla.limits import effective_limits
from core.sla.step_runs import ClosedRun, Happening, all_runs, closed_runs, outcome_of

BJ = ZoneInfo("Asia/Shanghai")
LIMITS = effective_limits("110105", "install", {})
NOBODY = BusinessCalendar()
ON_SITE = StepLimit(Due(minutes=60), start=("accept",), stop=("check_in",),
                    pause=("customer_postpone",), resume=("appoint",))


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BJ)


def h(word: str, at: datetime) -> Happening:
    return Happening(word, at)


def test_accepting_closes_the_accept_run_and_a_new_assignment_runs_again() -> None:
    limits = {Step.ACCEPT: LIMITS.steps[Step.ACCEPT]}
    running, closed = all_runs([h("open_dispatch", t(10)), h("accept", t(10, 10)),
                                h("assign", t(11))], limits)

    assert closed == [ClosedRun(Step.ACCEPT, 1, t(10), t(10, 10))]
    assert [(r.step, r.run) for r in running] == [(Step.ACCEPT, 2)]


def test_a_pause_still_on_at_the_stop_ends_there() -> None:
    closed = closed_runs([h("accept", t(10)), h("customer_postpone", t(10, 20)),
                          h("check_in", t(12))], {Step.ON_SITE: ON_SITE})

    assert closed == [ClosedRun(Step.ON_SITE, 1, t(10), t(12), ((t(10, 20), t(12)),))]


def test_a_run_stopped_at_its_deadline_is_on_time_and_a_second_later_is_over() -> None:
    limits = LIMITS.__class__(LIMITS.county, LIMITS.service_type,
                              {**LIMITS.steps, Step.ON_SITE: ON_SITE}, LIMITS.working_day,
                              (), LIMITS.sources)
    on_time = outcome_of(ClosedRun(Step.ON_SITE, 1, t(10), t(11)), limits, NOBODY, None)
    late = outcome_of(ClosedRun(Step.ON_SITE, 1, t(10), t(11) + timedelta(seconds=1)),
                      limits, NOBODY, None)

    assert on_time is not None and late is not None
    assert (on_time.due, on_time.on_time, on_time.over) == (t(11), True, timedelta(0))
    assert (late.on_time, late.over, late.clock) == (False, timedelta(seconds=1), Clock.NATURAL)


def test_the_time_over_does_not_count_a_pause_after_the_deadline() -> None:
    limits = LIMITS.__class__(LIMITS.county, LIMITS.service_type,
                              {**LIMITS.steps, Step.ON_SITE: ON_SITE}, LIMITS.working_day,
                              (), LIMITS.sources)
    run = ClosedRun(Step.ON_SITE, 1, t(10), t(13), ((t(11, 30), t(12, 30)),))

    found = outcome_of(run, limits, NOBODY, None, due=t(11))

    assert found is not None
    assert (found.due, found.over) == (t(11), timedelta(hours=1))


def test_an_end_of_day_limit_without_an_agreed_day_has_no_outcome() -> None:
    complete = LIMITS.steps[Step.COMPLETE]
    assert complete.due.minutes is None  # the shipped limit: 23:59:59 of the agreed day
    run = ClosedRun(Step.COMPLETE, 1, t(10), t(12))

    assert outcome_of(run, LIMITS, NOBODY, None) is None
    assert outcome_of(run, LIMITS, NOBODY, t(12).date()) is not None
