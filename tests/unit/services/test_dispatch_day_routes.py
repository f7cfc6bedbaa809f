"""The day-route query handler called directly: today is the injected clock's day in Shanghai,
a plan carries the clock's time, a technician reads only their own route."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from order_world import LI, T0, WANG, engine, world_template
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.errors import NotFound, Refused
from core.orders.lifecycle import Role
from core.services.day_routes import DayRoutes, ReadDayRoute, handle_read_day_route

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
# 17:00 UTC on 2 March is already 01:00 on 3 March in Shanghai.
LATE = datetime(2026, 3, 2, 17, 0, tzinfo=T0.tzinfo)


def test_without_a_day_it_is_the_clocks_day_in_shanghai(engine: Engine) -> None:
    routes = DayRoutes(clock=SimulatedClock(LATE))
    with Session(engine) as session:
        planned = handle_read_day_route(ReadDayRoute(WANG, Role.AGENT), session, routes)
    assert planned.route.day == date(2026, 3, 3)
    assert planned.planned_at == LATE and planned.technician_name == "Wang Jian"


def test_a_plan_is_made_at_the_clocks_time_and_kept_while_nothing_changes(
        engine: Engine) -> None:
    clock = SimulatedClock(T0)
    routes = DayRoutes(clock=clock)
    query = ReadDayRoute(WANG, Role.SUPERVISOR, day=date(2026, 3, 3))
    with Session(engine) as session:
        first = handle_read_day_route(query, session, routes)
        clock.advance(timedelta(hours=1))
        again = handle_read_day_route(query, session, routes)
    assert again is first and first.planned_at == T0 and routes.plans_made == 1


def test_a_technician_reads_only_their_own_route(engine: Engine) -> None:
    routes = DayRoutes(clock=SimulatedClock(T0))
    with Session(engine) as session:
        own = handle_read_day_route(ReadDayRoute(WANG, Role.TECHNICIAN, WANG), session, routes)
        with pytest.raises(Refused, match=r"^师傅只能查看自己的路线"):
            handle_read_day_route(ReadDayRoute(LI, Role.TECHNICIAN, WANG), session, routes)
    assert own.technician_id == WANG


def test_an_unknown_technician_is_not_found(engine: Engine) -> None:
    routes = DayRoutes(clock=SimulatedClock(T0))
    with Session(engine) as session, pytest.raises(NotFound, match="999"):
        handle_read_day_route(ReadDayRoute(999, Role.AGENT), session, routes)
