"""Technicians' day routes as stored: the technician's home and the day's open appointments.

Planning and its cache are a use case (core.services.day_routes); here only the queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dispatch.day_plan import Appointment, LngLat, midnight
from core.orders.lifecycle import OrderState
from core.storage.tables import OrderRecord, TechnicianRecord

# Orders the technician still has to visit. Served visits are done and left out of the route:
# re-planning the rest of the day around them would add nothing the technician can change.
ROUTE_STATES = (OrderState.ACCEPTED, OrderState.APPOINTED, OrderState.CHECKED_IN)


@dataclass(frozen=True)
class Booked:
    """One appointment of the day, with the order facts the route shows."""

    appointment: Appointment
    version: int
    state: str


@dataclass(frozen=True)
class Home:
    """Where a technician's day starts and ends."""

    technician_id: int
    name: str
    home: LngLat


def home_of(session: Session, technician_id: int) -> Home | None:
    """The technician's name and home; None when there is no such technician."""
    tech = session.get(TechnicianRecord, technician_id)
    if tech is None:
        return None
    return Home(tech.id, tech.name, (tech.home_lng, tech.home_lat))


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
