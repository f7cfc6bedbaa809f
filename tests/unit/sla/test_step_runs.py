"""Which steps run and their alert times (core.sla.step_runs): starts, stops, a new run after a
stop, a pause that stands the clock still, and the exact time left."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.sla.calendar import DEFAULT_WORKING_DAY, BusinessCalendar
from core.sla.limit_types import Clock, Due, Level, Step, StepLimit, Suspension
from core.sla.limits import effective_limits
from core.sla.step_runs import Happening, StepRun, alert_times, open_runs, time_left

BJ = ZoneInfo("Asia/Shanghai")
LIMITS = effective_limits("110105", "install", {})
NOBODY = BusinessCalendar()


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BJ)


def h(word: str, at: datetime) -> Happening:
    return Happening(word, at)


def test_dispatch_opened_starts_accept_and_later_assignments_do_not_restart_it() -> None:
    runs = open_runs([h("created", t(9)), h("open_dispatch", t(10)), h("assign", t(10, 5))],
                     dict(LIMITS.steps))

    assert runs == [StepRun(Step.ACCEPT, 1, t(10))]


def test_accepting_stops_accept_and_starts_contact_appointment_and_on_site() -> None:
    runs = open_runs([h("open_dispatch", t(10)), h("accept", t(10, 10))], dict(LIMITS.steps))

    assert {(r.step, r.started_at) for r in runs} == {
        (Step.FIRST_CONTACT, t(10, 10)), (Step.APPOINTMENT, t(10, 10)),
        (Step.ON_SITE, t(10, 10))}


def test_a_step_that_starts_again_after_it_stopped_is_a_new_run() -> None:
    limits = {Step.ACCEPT: LIMITS.steps[Step.ACCEPT]}
    runs = open_runs([h("open_dispatch", t(10)), h("accept", t(10, 10)),
                      h("assign", t(11))], limits)

    assert runs == [StepRun(Step.ACCEPT, 2, t(11))]


def test_a_paused_step_has_no_alert_times_until_it_resumes() -> None:
    limit = StepLimit(Due(minutes=60), start=("accept",), stop=("check_in",),
                      pause=("customer_postpone",), resume=("appoint",))
    paused = open_runs([h("accept", t(10)), h("customer_postpone", t(10, 20))],
                       {Step.ON_SITE: limit})
    resumed = open_runs([h("accept", t(10)), h("customer_postpone", t(10, 20)),
                         h("appoint", t(12, 20))], {Step.ON_SITE: limit})
    steps = {**LIMITS.steps, Step.ON_SITE: limit}
    limits = LIMITS.__class__(LIMITS.county, LIMITS.service_type, steps, LIMITS.working_day,
                              (), LIMITS.sources)

    assert paused[0].paused_since == t(10, 20)
    assert alert_times(paused, limits, NOBODY, None) == []
    found = alert_times(resumed, limits, NOBODY, None)
    assert [(a.level, a.at) for a in found] == [
        (Level.NOTICE, t(12, 30)), (Level.WARNING, t(12, 45)), (Level.SEVERE, t(13))]


def test_the_accept_steps_alerts_fall_at_half_three_quarters_and_the_deadline() -> None:
    runs = open_runs([h("open_dispatch", t(10))], dict(LIMITS.steps))

    found = alert_times(runs, LIMITS, NOBODY, None)

    assert [(a.step, a.run, a.level, a.at, a.due) for a in found] == [
        (Step.ACCEPT, 1, Level.NOTICE, t(10, 15), t(10, 30)),
        (Step.ACCEPT, 1, Level.WARNING, t(10, 22) + timedelta(seconds=30), t(10, 30)),
        (Step.ACCEPT, 1, Level.SEVERE, t(10, 30), t(10, 30))]


def test_the_platforms_own_deadline_stands_beside_ours_when_its_limit_has_one() -> None:
    runs = open_runs([h("open_dispatch", t(10)), h("accept", t(10, 10))], dict(LIMITS.steps))
    accept = open_runs([h("open_dispatch", t(10))], dict(LIMITS.steps))

    found = {a.step: a.platform_due for a in alert_times(runs, LIMITS, NOBODY, None)}

    assert {a.platform_due for a in alert_times(accept, LIMITS, NOBODY, None)} == {t(16)}
    assert found == {Step.FIRST_CONTACT: t(10, 10, day=3), Step.APPOINTMENT: None,
                     Step.ON_SITE: None}
    done = alert_times([StepRun(Step.COMPLETE, 1, t(10))], LIMITS, NOBODY, t(9, day=4).date())
    assert {a.platform_due for a in done} == {datetime(2026, 3, 4, 23, 59, 59, tzinfo=BJ)}


def test_completion_is_due_at_the_end_of_the_agreed_day_and_needs_one() -> None:
    runs = [StepRun(Step.COMPLETE, 1, t(10))]

    assert alert_times(runs, LIMITS, NOBODY, None) == []
    due = alert_times(runs, LIMITS, NOBODY, t(9, day=4).date())[-1]
    assert due.at == datetime(2026, 3, 4, 23, 59, 59, tzinfo=BJ)


def test_time_left_is_exact_and_negative_past_the_deadline() -> None:
    hours = DEFAULT_WORKING_DAY
    assert time_left(t(10, 15), t(10, 30), Clock.NATURAL, NOBODY, hours) == timedelta(
        minutes=15)
    assert time_left(t(10, 31), t(10, 30), Clock.NATURAL, NOBODY, hours) == timedelta(
        minutes=-1)
    # business time: Friday 17:00 to Monday 10:00 is two working hours
    assert time_left(t(17, day=6), t(10, day=9), Clock.BUSINESS, NOBODY, hours) == timedelta(
        hours=2)


def test_time_left_stands_still_over_suspensions_and_pauses() -> None:
    stop = Suspension("春节", t(11), t(12))
    assert time_left(t(10), t(13), Clock.NATURAL, NOBODY, DEFAULT_WORKING_DAY,
                     paused=[(t(10), t(10, 30))], suspensions=[stop]) == timedelta(
        minutes=90)
