"""Technicians' day routes: appointments ordered into a route, re-planned when they change."""

from __future__ import annotations

import threading
from datetime import UTC, date

from fastapi import APIRouter, Request

from core.contracts.dispatch import RouteOut, RouteStop
from core.server.deps import AnyUser, DbSession
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.day_routes import DayRoutes, PlannedDay, ReadDayRoute, handle_read_day_route

router = APIRouter(prefix="/v1", tags=["day routes"])
_made = threading.Lock()


def planner_of(request: Request) -> DayRoutes:
    """The app's plan cache, made on first use: one per app (and database), never shared.

    A plan is a pure function of what its key holds, so server processes that each plan a day
    once agree without sharing anything.
    """
    state = request.app.state
    with _made:
        if getattr(state, "day_routes", None) is None:
            state.day_routes = DayRoutes(clock=state.clock)
    routes: DayRoutes = state.day_routes
    return routes


def route_out(planned: PlannedDay) -> RouteOut:
    route = planned.route
    state = {b.appointment.order_id: b.state for b in planned.booked}
    stops = []
    for s in route.stops:
        a = s.appointment
        lng, lat = a.location or planned.home  # routed stops always have a position
        stops.append(RouteStop(
            order_id=a.order_id, order_no=a.order_no, lng=lng, lat=lat,
            window_start=a.start.astimezone(UTC), window_end=a.end.astimezone(UTC),
            arrive=s.arrive.astimezone(UTC), leave=s.leave.astimezone(UTC), late=s.late,
            start=s.start.astimezone(UTC), travel_minutes=s.travel_minutes,
            service_type=a.service_type, state=state.get(a.order_id, "")))
    return RouteOut(
        technician_id=planned.technician_id, technician_name=planned.technician_name,
        day=route.day,
        start=route.start.astimezone(UTC) if route.start else None,
        end=route.end.astimezone(UTC) if route.end else None,
        home_lng=planned.home[0], home_lat=planned.home[1], stops=stops,
        unplanned=[a.order_id for a in route.unplanned],
        unplanned_order_nos=[a.order_no for a in route.unplanned],
        distance_km=round(route.distance_m / 1000, 2), feasible=route.feasible,
        planned_at=planned.planned_at, opens=route.opens.astimezone(UTC),
        closes=route.closes.astimezone(UTC))


@router.get("/technicians/{technician_id}/route", response_model=RouteOut,
            responses=PROBLEM_RESPONSES)
def technician_route(technician_id: RowId, request: Request, session: DbSession, user: AnyUser,
                     day: date | None = None) -> RouteOut:
    """The technician's appointments of the day (Asia/Shanghai; default today) as a route.

    Desk users read anyone's; a technician only their own. Stops are in visiting order from
    home and back within working hours; clashing appointments stay on it flagged late, and
    those the day cannot fit at all are listed in `unplanned`.
    """
    query = ReadDayRoute(technician_id, user.role, user.technician_id, day)
    return route_out(handle_read_day_route(query, session, planner_of(request)))
