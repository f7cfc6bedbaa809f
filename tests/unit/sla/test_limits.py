"""SLA time limits, the rule: what a scope may set (each refusal names the field), inheritance
along county -> city -> province -> default with service type 'any' as the fallback, and the
deadline of a step in natural and business time, paused and suspended."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.errors import Invalid
from core.sla.business_time import due_after
from core.sla.calendar import BusinessCalendar, DayKind, Notice, NoticeDay, WorkingDay
from core.sla.errors import BusinessTimeInvalid, LimitRefused
from core.sla.limit_body import normalise, parse_body
from core.sla.limit_types import Clock, Due, Level, PlatformLimit, Step, StepLimit, Suspension
from core.sla.limits import BUILT_IN, deadline_for, effective_limits

BJ = ZoneInfo("Asia/Shanghai")
CHAOYANG, BEIJING_CITY, BEIJING = "110105", "110100", "110000"
SPRING_2026 = Notice(2026, "通知", tuple(
    NoticeDay(date(2026, 2, d), DayKind.HOLIDAY, "春节") for d in range(15, 24)))
CALENDAR = BusinessCalendar.of([SPRING_2026])


def _steps(step: str, kind: str = "any", **fields: Any) -> dict[str, Any]:
    return {"steps": {step: {kind: fields}}}


# -- what a scope may set -------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    (_steps("accept", due={"minutes": 2}), "steps.accept.any.due.minutes"),  # under the floor
    (_steps("review", due={"minutes": 600}), "steps.review.any.due.minutes"),
    (_steps("accept", due={"minutes": 0}), "steps.accept.any.due.minutes"),
    (_steps("accept", due={"end_of_day": 0}), "steps.accept.any.due.end_of_day"),
    (_steps("complete", due={"end_of_day": 31}), "steps.complete.any.due.end_of_day"),
    (_steps("complete", due={"minutes": 60, "end_of_day": 0}), "steps.complete.any.due"),
    (_steps("accept", clock="wall"), "steps.accept.any.clock"),
    (_steps("accept", warn_percent=[75, 50]), "steps.accept.any.warn_percent"),
    (_steps("accept", warn_percent=[50]), "steps.accept.any.warn_percent"),
    (_steps("accept", warn_percent=[0, 50]), "steps.accept.any.warn_percent"),
    (_steps("accept", start=["teleport"]), "steps.accept.any.start"),
    (_steps("accept", start=[]), "steps.accept.any.start"),
    (_steps("accept", start=["accept"], stop=["accept"]), "steps.accept.any.stop"),
    (_steps("on_site", pause=["customer_postpone"], resume=[]), "steps.on_site.any.resume"),
    (_steps("on_site", pause=["customer_postpone"]), "steps.on_site.any.resume"),
    (_steps("on_site", resume=["appoint"]), "steps.on_site.any.pause"),
    (_steps("on_site", pause=[], resume=["appoint"]), "steps.on_site.any.pause"),
    (_steps("accept", speed=3), "steps.accept.any.speed"),
    (_steps("accept", platform={"due": {"minutes": 1}}), "steps.accept.any.platform.due.minutes"),
    (_steps("accept", platform={"rule": "x"}), "steps.accept.any.platform.due"),
    (_steps("repairing"), "steps.repairing"),
    (_steps("accept", "plumbing"), "steps.accept.plumbing"),
    ({"working_day": {"start": "18:00", "end": "09:00"}}, "working_day"),
    ({"working_day": {"start": "09:00", "end": "18:00", "zone": "Mars/Base"}}, "working_day"),
    ({"suspensions": [{"name": "春节", "start": "2026-02-14T00:00:00",
                       "end": "2026-02-24T00:00:00+08:00"}]}, "suspensions.0.start"),
    ({"suspensions": [{"name": "春节", "start": "2026-02-24T00:00:00+08:00",
                       "end": "2026-02-14T00:00:00+08:00"}]}, "suspensions.0.end"),
    ({"suspensions": [{"name": "", "start": "2026-02-14T00:00:00+08:00",
                       "end": "2026-02-24T00:00:00+08:00"}]}, "suspensions.0.name"),
    ({"suspensions": [
        {"name": "春节", "start": "2026-02-14T00:00:00+08:00", "end": "2026-02-24T00:00:00+08:00"},
        {"name": "元宵", "start": "2026-02-23T00:00:00+08:00", "end": "2026-03-04T00:00:00+08:00"},
    ]}, "suspensions.1.start"),
    ({"limits": {}}, "limits"),
])
def test_a_setting_that_cannot_work_is_refused_naming_its_field(body: dict[str, Any],
                                                                 field: str) -> None:
    with pytest.raises(LimitRefused) as refused:
        parse_body(body)

    assert refused.value.field == field
    assert refused.value.loc == ("body", "body", *field.split("."))
    assert refused.value.status == 422
    chinese, _, english = refused.value.message.partition(" (")
    assert re.search("[\u4e00-\u9fff]", chinese) and english  # Chinese first, English after


def test_a_limit_at_the_floor_is_taken_and_normalised() -> None:
    body = {"steps": {"accept": {"install": {"due": {"minutes": 5}, "start": ["assign", "assign"],
                                             "clock": "business"}}},
            "working_day": {"start": "08:30", "end": "20:00"},
            "suspensions": [{"name": " 春节停工 ", "start": "2026-02-14T00:00:00+08:00",
                             "end": "2026-02-24T00:00:00+08:00"}]}

    assert normalise(body) == {
        "steps": {"accept": {"install": {"due": {"minutes": 5}, "start": ["assign"],
                                         "clock": "business"}}},
        "working_day": {"start": "08:30", "end": "20:00", "zone": "Asia/Shanghai"},
        "suspensions": [{"name": "春节停工", "start": "2026-02-14T00:00:00+08:00",
                         "end": "2026-02-24T00:00:00+08:00"}]}


def test_suspensions_that_only_touch_do_not_overlap() -> None:
    parse_body({"suspensions": [
        {"name": "a", "start": "2026-02-14T00:00:00+08:00", "end": "2026-02-20T00:00:00+08:00"},
        {"name": "b", "start": "2026-02-20T00:00:00+08:00", "end": "2026-02-24T00:00:00+08:00"}]})


# -- inheritance ----------------------------------------------------------------------------

def test_with_nothing_stored_every_field_is_built_in() -> None:
    found = effective_limits(CHAOYANG, "install", {})

    assert found.steps == BUILT_IN
    assert set(found.sources.values()) == {None}
    assert found.working_day == WorkingDay()
    assert found.steps[Step.FIRST_CONTACT].platform == PlatformLimit(
        Due(minutes=24 * 60), rule="天猫：签收后 24 小时内联系客户")
    assert found.steps[Step.COMPLETE].due == Due(end_of_day=0)
    assert found.steps[Step.ACCEPT].platform is not None
    assert found.steps[Step.ACCEPT].platform.due == Due(minutes=360)


BODIES = {
    "": {"steps": {"accept": {"any": {"due": {"minutes": 40}},
                              "install": {"due": {"minutes": 20}, "clock": "business"}}},
         "working_day": {"start": "08:00", "end": "20:00"}},
    BEIJING: {"steps": {"accept": {"install": {"warn_percent": [60, 90]}}}},
    CHAOYANG: {"steps": {"accept": {"any": {"due": {"minutes": 90}}}},
               "working_day": {"start": "09:00", "end": "17:00"}},
}


def test_nearest_region_wins_per_field_then_the_service_type() -> None:
    found = effective_limits(CHAOYANG, "install", BODIES)
    accept = found.steps[Step.ACCEPT]

    # The county's 'any' beats the default's 'install': a slow county is slow for every type.
    assert accept.due == Due(minutes=90)
    assert found.sources["accept.due"] == (CHAOYANG, "any")
    assert accept.warn_percent == (60, 90)
    assert found.sources["accept.warn_percent"] == (BEIJING, "install")
    assert accept.clock is Clock.BUSINESS
    assert found.sources["accept.clock"] == ("", "install")
    assert found.sources["accept.stop"] is None
    assert str(found.working_day) == "09:00-17:00"
    assert found.sources["working_day"] == (CHAOYANG, "any")


def test_another_county_and_type_inherit_from_the_default() -> None:
    found = effective_limits("310101", "repair", BODIES)

    assert found.steps[Step.ACCEPT].due == Due(minutes=40)
    assert found.steps[Step.ACCEPT].clock is Clock.NATURAL
    assert found.sources["accept.due"] == ("", "any")
    assert str(found.working_day) == "08:00-20:00"


def test_a_stored_setting_that_no_longer_reads_is_passed_over() -> None:
    bodies = {"": {"steps": {"accept": {"any": {"due": {"minutes": 40}}}}},
              CHAOYANG: {"steps": {"accept": {"any": {"due": {"minutes": 1},
                                                      "clock": "business"}}}}}

    found = effective_limits(CHAOYANG, "any", bodies)

    assert found.steps[Step.ACCEPT].due == Due(minutes=40)
    assert found.steps[Step.ACCEPT].clock is Clock.BUSINESS


def test_an_unknown_service_type_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        effective_limits(CHAOYANG, "plumbing", {})
    assert refused.value.loc == ("query", "service_type")


# -- deadlines ------------------------------------------------------------------------------

NATURAL_30 = StepLimit(Due(minutes=30))


def test_natural_time_counts_every_minute_and_warns_at_its_shares() -> None:
    start = datetime(2026, 2, 14, 23, 50, tzinfo=BJ)

    found = deadline_for(Step.ACCEPT, start, NATURAL_30, CALENDAR)

    assert found.due == datetime(2026, 2, 15, 0, 20, tzinfo=BJ)
    assert found.alerts == ((Level.NOTICE, start + timedelta(minutes=15)),
                            (Level.WARNING, start + timedelta(minutes=22, seconds=30)),
                            (Level.SEVERE, found.due))


def test_business_time_skips_the_spring_festival_and_nights() -> None:
    limit = StepLimit(Due(minutes=8 * 60), clock=Clock.BUSINESS)
    start = datetime(2026, 2, 13, 17, 0, tzinfo=BJ)  # Friday (this calendar: 14th a Saturday)

    found = deadline_for(Step.VERIFY, start, limit, CALENDAR)

    expected = due_after(start, timedelta(hours=8), CALENDAR, WorkingDay()).due
    assert found.due == expected
    assert found.due.date() == date(2026, 2, 24)  # 1 h Friday, nothing 14th-23rd, 7 h on the 24th
    assert found.unpublished_years == frozenset()


def test_a_pause_adds_its_length_in_natural_time() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BJ)
    paused = [(start + timedelta(minutes=10), start + timedelta(hours=2, minutes=10))]

    found = deadline_for(Step.ACCEPT, start, NATURAL_30, CALENDAR, paused=paused)

    assert found.due == start + timedelta(hours=2, minutes=30)
    assert found.alerts[0] == (Level.NOTICE, start + timedelta(minutes=15, hours=2))


def test_a_pause_after_the_deadline_changes_nothing() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BJ)
    paused = [(start + timedelta(minutes=30), start + timedelta(hours=5))]

    assert deadline_for(Step.ACCEPT, start, NATURAL_30, CALENDAR, paused=paused).due == (
        start + timedelta(minutes=30))


def test_a_suspension_and_an_overlapping_pause_count_once() -> None:
    start = datetime(2026, 2, 13, 12, 0, tzinfo=BJ)
    festival = Suspension("春节停工", datetime(2026, 2, 14, tzinfo=BJ),
                          datetime(2026, 2, 24, tzinfo=BJ))
    paused = [(datetime(2026, 2, 13, 20, tzinfo=BJ), datetime(2026, 2, 15, tzinfo=BJ))]
    day = StepLimit(Due(minutes=24 * 60))

    found = deadline_for(Step.FIRST_CONTACT, start, day, CALENDAR, paused=paused,
                         suspensions=[festival])

    # 8 h before the pause, 16 h after the festival.
    assert found.due == datetime(2026, 2, 24, 16, 0, tzinfo=BJ)


def test_business_time_stands_still_in_a_pause_only_for_its_working_hours() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BJ)  # Monday
    limit = StepLimit(Due(minutes=4 * 60), clock=Clock.BUSINESS)
    paused = [(datetime(2026, 3, 2, 11, tzinfo=BJ), datetime(2026, 3, 3, 10, tzinfo=BJ))]

    found = deadline_for(Step.VERIFY, start, limit, CALENDAR, paused=paused)

    assert found.due == datetime(2026, 3, 3, 12, 0, tzinfo=BJ)


def test_installation_is_due_at_235959_of_the_agreed_day() -> None:
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    found = deadline_for(Step.COMPLETE, start, BUILT_IN[Step.COMPLETE], CALENDAR,
                         agreed=date(2026, 3, 5))

    assert found.due == datetime(2026, 3, 5, 23, 59, 59, tzinfo=BJ)
    half = (found.due - start) / 2
    assert found.alerts[0] == (Level.NOTICE, start + half)
    platform = BUILT_IN[Step.COMPLETE].platform
    assert platform is not None
    assert deadline_for(Step.COMPLETE, start, platform, CALENDAR,
                        agreed=date(2026, 3, 5)).alerts == ((Level.SEVERE, found.due),)


def test_end_of_day_in_business_time_is_the_closing_time_of_the_nth_working_day() -> None:
    limit = StepLimit(Due(end_of_day=1), clock=Clock.BUSINESS)
    start = datetime(2026, 2, 13, 10, 0, tzinfo=BJ)

    found = deadline_for(Step.ON_SITE, start, limit, CALENDAR, agreed=date(2026, 2, 13),
                         hours=WorkingDay.parse("09:00-18:00"))

    assert found.due == datetime(2026, 2, 24, 18, 0, tzinfo=BJ)


def test_an_end_of_day_limit_needs_the_agreed_day() -> None:
    with pytest.raises(BusinessTimeInvalid):
        deadline_for(Step.COMPLETE, datetime(2026, 3, 2, tzinfo=UTC), BUILT_IN[Step.COMPLETE],
                     CALENDAR)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(BusinessTimeInvalid):
        deadline_for(Step.ACCEPT, datetime(2026, 3, 2), NATURAL_30, CALENDAR)
