"""The demo's outer counties give 45 minutes to accept again: the seed sets them as SLA limits
through the audited limits handler (as the admin, with a reason), downtown keeps the shipped
30, and dispatch's acceptance deadline follows (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.demo.policies import OUTER_ACCEPT_MINUTES, county_limits, downtown_counties
from core.services.sla.limits import handle_limits_log, handle_read_effective
from core.sla.limit_body import parse_body
from core.sla.limit_types import Step
from core.storage.sla.limits import LimitBook

# The shared tiny world's technicians live in 110105 (Chaoyang, Beijing's first county here),
# 110108 (Haidian) and 310101 (Huangpu, Shanghai's only one).
DOWNTOWN, OUTER = "110105", "110108"


def test_each_citys_first_county_is_downtown_and_the_others_get_45_minutes() -> None:
    counties = ["310101", "110108", "110105", "310115"]

    assert downtown_counties(counties) == {"110105", "310101"}
    limits = county_limits(counties)
    assert set(limits) == {"110108", "310115"}
    for body in limits.values():
        parse_body(body)  # a body the limits editor would accept


def test_the_seed_sets_the_outer_counties_limits_as_the_admin(world: Engine) -> None:
    with Session(world) as session:
        outer = handle_read_effective(OUTER, "install", session)
        downtown = handle_read_effective(DOWNTOWN, "repair", session)
        log = handle_limits_log(OUTER, 10, session)
        book = LimitBook(session)
        created = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        # What dispatch reads for an order's acceptance deadline (core.storage.dispatch).
        outer_due = book.due(Step.ACCEPT, created, OUTER, "install")
        downtown_due = book.due(Step.ACCEPT, created, DOWNTOWN, "install")

    assert outer.steps[Step.ACCEPT].due.minutes == OUTER_ACCEPT_MINUTES
    assert downtown.steps[Step.ACCEPT].due.minutes == 30  # the shipped default
    assert [(e.actor, e.subject) for e in log] == [("admin", OUTER)]
    assert "45" in log[0].reason
    assert outer_due - created == timedelta(minutes=45)
    assert downtown_due - created == timedelta(minutes=30)
