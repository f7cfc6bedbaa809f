"""Technicians' day routes: the day's appointments planned into a route, and cached.

A plan is kept per (technician, day) together with what it was made from: the technician's
name and home and each appointment's (order id, version, window). Any change to one of those
orders bumps its version, so the next read re-plans exactly then; an unchanged day is answered
from the cache without the solver.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK, Clock
from core.dispatch.day_plan import Appointment, DayRoute, LngLat, local_day, plan_day
from core.errors import NotFound, Refused
from core.orders.lifecycle import Role
from core.storage.dispatch.day_routes import Booked, booked_on, home_of

CACHE_SIZE = 512

Planner = Callable[[LngLat, Sequence[Appointment], date], DayRoute]
Signature = tuple[object, ...]


@dataclass(frozen=True)
class PlannedDay:
    technician_id: int
    technician_name: str
    home: LngLat
    booked: tuple[Booked, ...]
    route: DayRoute
    planned_at: datetime


def signature(name: str, home: LngLat, booked: Sequence[Booked]) -> Signature:
    """What a plan depends on: any change here (and only here) makes a new plan."""
    return (name, home, tuple((b.appointment.order_id, b.version, b.appointment.start,
                         b.appointment.end) for b in booked))


class DayRoutes:
    """Day routes on demand, re-planned only when their appointments changed.

    Safe to share between a server's worker threads: two requests for the same new day may
    both plan it (the later one wins the cache), never block each other.
    """

    def __init__(self, planner: Planner = plan_day, *, size: int = CACHE_SIZE,
                 clock: Clock = WALL_CLOCK) -> None:
        self._planner = planner
        self._size = size
        self.clock = clock
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, date], tuple[Signature, PlannedDay]] = OrderedDict()
        self.plans_made = 0

    def day(self, session: Session, technician_id: int, day: date) -> PlannedDay | None:
        """The technician's planned day; None when there is no such technician."""
        tech = home_of(session, technician_id)
        if tech is None:
            return None
        booked = booked_on(session, technician_id, day)
        key, sig = (technician_id, day), signature(tech.name, tech.home, booked)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == sig:
                self._cache.move_to_end(key)
                return hit[1]
        route = self._planner(tech.home, [b.appointment for b in booked], day)
        planned = PlannedDay(tech.technician_id, tech.name, tech.home, tuple(booked), route,
                             self.clock.now())
        with self._lock:
            self.plans_made += 1
            self._cache[key] = (sig, planned)
            self._cache.move_to_end(key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return planned

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


@dataclass(frozen=True)
class ReadDayRoute:
    """A technician's route for a local (Asia/Shanghai) day; None: today by the clock."""

    technician_id: int
    role: Role  # who asks
    own_technician_id: int | None = None  # the asker's technician id, when they are one
    day: date | None = None


def handle_read_day_route(query: ReadDayRoute, session: Session,
                          routes: DayRoutes) -> PlannedDay:
    """Desk users read anyone's route; a technician only their own."""
    if query.role is Role.TECHNICIAN and query.own_technician_id != query.technician_id:
        raise Refused("师傅只能查看自己的路线 (a technician may read only their own route)")
    day = query.day or local_day(routes.clock.now())
    planned = routes.day(session, query.technician_id, day)
    if planned is None:
        raise NotFound(f"师傅 {query.technician_id} 不存在 "
                       f"(technician {query.technician_id} does not exist)")
    return planned
