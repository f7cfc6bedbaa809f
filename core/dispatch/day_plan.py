"""A technician's day: appointments turned into a routes Problem, the Plan turned back into stops.

Minutes count from the day's local midnight (Asia/Shanghai); positions are projected to metres
around the technician's home (straight lines, fine at a city's scale) and travelled at the speed
core.dispatch.routes assumes. An appointment window is when the technician arrives: service
starts inside it and takes the service type's usual time.

Every visit that could be served alone is required, so appointments that clash stay on the
route, flagged late, where a dispatcher sees them; only those no route can reach inside the
window and the working hours (or without a position) are left `unplanned`. Times on the stops
are re-simulated along the solver's order without time travel: a late stop starts when the
technician really gets there.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from math import cos, radians

from pyvrp.exceptions import PenaltyBoundWarning

from core.dispatch.routes import Base, Plan, Problem, Visit, matrices, plan_routes

# Clashing appointments make a day without a feasible route, which is expected here (they show
# as late stops); PyVRP would warn about its penalties on every such plan.
warnings.filterwarnings("ignore", category=PenaltyBoundWarning)


def _shanghai() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database: China has had no DST since 1991
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI = _shanghai()
# The demo's people work 08:00-21:00 and book the last visits for 18:00-20:00; with no working
# hours stored per technician, the route keeps to 08:00-20:00 (back home by eight).
WORKDAY = (time(8), time(20))
SERVICE_MINUTES = {"install": 90, "repair": 60, "measure": 30, "return_visit": 20,
                   "after_sales": 60}
DEFAULT_SERVICE_MINUTES = 60
METRES_PER_DEGREE = 111_320.0
# Deterministic on a day's handful of visits (a few ms each); the time cap guards big days.
ITERATIONS = 1500
SECONDS = 0.8

LngLat = tuple[float, float]


@dataclass(frozen=True)
class Appointment:
    order_id: int
    order_no: str
    start: datetime  # window, tz-aware
    end: datetime
    location: LngLat | None  # lng, lat; None: not placed, cannot be routed
    service_type: str = ""

    @property
    def service_minutes(self) -> int:
        return SERVICE_MINUTES.get(self.service_type, DEFAULT_SERVICE_MINUTES)


@dataclass(frozen=True)
class DayStop:
    appointment: Appointment
    arrive: datetime
    start: datetime  # service starts (after waiting for the window)
    leave: datetime
    late: bool  # arrives after the window has closed
    travel_minutes: int  # from the previous stop (or home)


@dataclass(frozen=True)
class DayRoute:
    day: date
    stops: tuple[DayStop, ...]
    unplanned: tuple[Appointment, ...]
    distance_m: int
    start: datetime | None  # leaves home
    end: datetime | None  # back home
    opens: datetime
    closes: datetime

    @property
    def feasible(self) -> bool:
        """Nothing left out, nobody kept waiting past a window, home before closing."""
        back = self.end is None or self.end <= self.closes
        return not self.unplanned and back and not any(s.late for s in self.stops)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), SHANGHAI)


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def _minutes(day: date, at: datetime) -> int:
    return int((at - midnight(day)).total_seconds() // 60)


def _at(day: date, minutes: int) -> datetime:
    return midnight(day) + timedelta(minutes=minutes)


def project(home: LngLat, point: LngLat) -> tuple[float, float]:
    """Metres east and north of home (equirectangular: exact enough within a city)."""
    east = (point[0] - home[0]) * METRES_PER_DEGREE * cos(radians(home[1]))
    return east, (point[1] - home[1]) * METRES_PER_DEGREE


def day_problem(home: LngLat, appointments: Sequence[Appointment], day: date,
                hours: tuple[time, time] = WORKDAY) -> Problem:
    """The routes Problem of the placed appointments (visit ids are the order ids)."""
    opens, closes = (_minutes(day, datetime.combine(day, h, SHANGHAI)) for h in hours)
    visits = [
        Visit(str(a.order_id), max(0, _minutes(day, a.start)),
              min(24 * 60, _minutes(day, a.end)), a.service_minutes,
              project(home, a.location))
        for a in appointments if a.location is not None
    ]
    return Problem(Base(opens, closes, (0.0, 0.0)), visits)


def plan_day(home: LngLat, appointments: Sequence[Appointment], day: date,
             hours: tuple[time, time] = WORKDAY, *, seed: int = 0) -> DayRoute:
    """Order the day's appointments into one route from home and back."""
    problem = day_problem(home, appointments, day, hours)
    plan = plan_routes(problem, seconds=SECONDS, seed=seed, iterations=ITERATIONS, capped=True)
    return route_of(problem, plan, appointments, day)


def route_of(problem: Problem, plan: Plan, appointments: Sequence[Appointment],
             day: date) -> DayRoute:
    """The Plan's visiting order, timed by driving it: wait for windows, never travel back."""
    by_id = {str(a.order_id): a for a in appointments}
    index = {v.id: k + 1 for k, v in enumerate(problem.visits)}  # matrix rows, home is 0
    dist, dur = matrices(problem)
    order = [s.visit_id for r in plan.routes for s in r.stops]
    unplanned = tuple(a for a in appointments
                      if a.location is None or str(a.order_id) in plan.unvisited)
    base = problem.base
    opens, closes = _at(day, base.opens), _at(day, base.closes)
    if not order:
        return DayRoute(day, (), unplanned, 0, None, None, opens, closes)
    first = problem.visits[index[order[0]] - 1]
    # Leave just in time for the first window, not at opening time to wait on a doorstep.
    clock = leaves = max(base.opens, first.earliest - int(dur[0, index[order[0]]]))
    here, distance, stops = 0, 0, []
    for visit_id in order:
        k = index[visit_id]
        visit = problem.visits[k - 1]
        travel = int(dur[here, k])
        distance += int(dist[here, k])
        arrive = clock + travel
        start = max(arrive, visit.earliest)
        clock = start + visit.service
        stops.append(DayStop(by_id[visit_id], _at(day, arrive), _at(day, start), _at(day, clock),
                             arrive > visit.latest, travel))
        here = k
    distance += int(dist[here, 0])
    back = clock + int(dur[here, 0])
    return DayRoute(day, tuple(stops), unplanned, distance, _at(day, leaves), _at(day, back),
                    opens, closes)
