"""Technicians' day routes: the day's appointments read from the orders, planned, and cached.

A plan is kept per (technician, day) together with what it was made from: the technician's
home and each appointment's (order id, version, window). Any change to one of those orders
bumps its version, so the next read re-plans exactly then; an unchanged day is answered from
the cache without the solver.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK
from core.dispatch.day_plan import Appointment, DayRoute, LngLat, midnight, plan_day
from core.orders.lifecycle import OrderState
from core.storage.tables import OrderRecord, TechnicianRecord

# Orders the technician still has to visit. Served visits are done and left out of the route:
# re-planning the rest of the day around them would add nothing the technician can change.
ROUTE_STATES = (OrderState.ACCEPTED, OrderState.APPOINTED, OrderState.CHECKED_IN)
CACHE_SIZE = 512

Planner = Callable[[LngLat, Sequence[Appointment], date], DayRoute]
Signature = tuple[object, ...]


@dataclass(frozen=True)
class Booked:
    """One appointment of the day, with the order facts the route shows."""

    appointment: Appointment
    version: int
    state: str


@dataclass(frozen=True)
class PlannedDay:
    technician_id: int
    technician_name: str
    home: LngLat
    booked: tuple[Booked, ...]
    route: DayRoute
    planned_at: datetime


def booked_on(session: Session, technician_id: int, day: date) -> list[Booked]:
    """The technician's open appointments starting on this local (Asia/Shanghai) day."""
    start = midnight(day)
    rows = session.scalars(
        select(OrderRecord)
        .where(OrderRecord.technician_id == technician_id)
        .where(OrderRecord.state.in_([s.value for s in ROUTE_STATES]))
        .where(OrderRecord.appointment_start >= start)
        .where(OrderRecord.appointment_start < start + timedelta(days=1))
        .order_by(OrderRecord.appointment_start, OrderRecord.id)
    ).all()
    found = []
    for o in rows:
        begin = o.appointment_start or start  # never None here: the query asked for it
        end = o.appointment_end or begin + timedelta(hours=2)
        where = (o.lng, o.lat) if o.lng is not None and o.lat is not None else None
        found.append(Booked(
            Appointment(o.id, o.order_no, begin, end, where, o.service_type or ""),
            o.version, o.state))
    return found


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
                 clock: Callable[[], datetime] = WALL_CLOCK.now) -> None:
        self._planner = planner
        self._size = size
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, date], tuple[Signature, PlannedDay]] = OrderedDict()
        self.plans_made = 0

    def day(self, session: Session, technician_id: int, day: date) -> PlannedDay | None:
        """The technician's planned day; None when there is no such technician."""
        tech = session.get(TechnicianRecord, technician_id)
        if tech is None:
            return None
        home = (tech.home_lng, tech.home_lat)
        booked = booked_on(session, technician_id, day)
        key, sig = (technician_id, day), signature(tech.name, home, booked)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == sig:
                self._cache.move_to_end(key)
                return hit[1]
        route = self._planner(home, [b.appointment for b in booked], day)
        planned = PlannedDay(tech.id, tech.name, home, tuple(booked), route, self._clock())
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
