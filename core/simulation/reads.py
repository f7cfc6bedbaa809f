"""What the simulation reads from storage directly, as the console reads its lists and the
change feed: plain queries, no handler and no write (core.simulation.backend calls the
handlers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.fieldwork.followups import FollowupRecord
from core.storage.intake.reviews import review_page
from core.storage.orders.feed import max_seq
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.tables import (
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    TechnicianRecord,
)


@dataclass(frozen=True)
class OrderNow:
    """An order as the simulation follows it (from the change feed's rows)."""

    id: int
    version: int
    state: str
    dispatch_mode: str | None
    technician_id: int | None
    county_adcode: str
    service_type: str
    created_at: Any
    accept_by: Any
    lng: float | None = None  # the address point (GCJ-02), or the county's centre
    lat: float | None = None


class StorageReads:
    """Reads of the database on `engine`, "now" being the time of `clock`."""

    def __init__(self, engine: Engine, clock: SimulatedClock) -> None:
        self.engine, self.clock = engine, clock
        self._usernames: dict[int, str] = {}

    def next_alert_at(self) -> datetime | None:
        """When the soonest alert not yet recorded is due (None: none waits)."""
        with Session(self.engine) as session:
            return session.scalar(select(func.min(SlaDeadlineRecord.at))
                                  .where(SlaDeadlineRecord.pending.is_(True)))

    def followups_due(self) -> int:
        """Open follow-up calls due by now (the worklist's `due` count), cheaply."""
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(FollowupRecord).where(
                FollowupRecord.status == "open",
                FollowupRecord.due_at <= self.clock.now())) or 0

    def technician_actor(self, technician_id: int) -> Actor:
        """The technician as the handlers know him (his login name, read once)."""
        if not self._usernames:
            with Session(self.engine) as session:
                self._usernames = {i: u or "" for i, u in session.execute(
                    select(TechnicianRecord.id, TechnicianRecord.username))}
        return Actor(self._usernames.get(technician_id, ""), Role.TECHNICIAN, technician_id)

    # -- intake reviews (GET /v1/intake/reviews)
    def reviews(self) -> list[tuple[int, int, int, Any]]:
        """Orders waiting for an agent's review: (id, version, score, created_at)."""
        with Session(self.engine) as session:
            page = review_page(session, limit=500)
        return [(r.order.id, r.order.version, r.score, r.order.created_at) for r in page.rows]

    # -- what changed: the change feed's positions, as a console follows it
    def changes(self, after: int) -> tuple[int, list[OrderNow]]:
        """The feed's position and the orders changed since `after` (each once, as now)."""
        with Session(self.engine) as session:
            rows = session.execute(_CHANGED, {"after": after}).all()
        seen: dict[int, OrderNow] = {}
        for seq, *order in rows:
            seen[order[0]] = OrderNow(*order)
            after = max(after, seq)
        return after, list(seen.values())

    def feed_position(self) -> int:
        with Session(self.engine) as session:
            return max_seq(session)

    def dispatch_work(self) -> int:
        """Orders a dispatch round would look at: to open, in the pool or central dispatch,
        or waiting for a technician's answer."""
        with Session(self.engine) as session:
            return session.scalar(_DISPATCHABLE) or 0

    # -- the grab pool and the desk: counts and the roster
    def roster(self) -> list[int]:
        """Active technicians with a login, by id."""
        with Session(self.engine) as session:
            return list(session.scalars(
                select(TechnicianRecord.id).where(TechnicianRecord.active.is_(True),
                                                  TechnicianRecord.username.is_not(None),
                                                  TechnicianRecord.username != "")
                .order_by(TechnicianRecord.id)))

    def open_offers(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(GrabOfferRecord)
                                  .where(GrabOfferRecord.status == "open")) or 0

    def waiting_for_person(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(OrderRecord).where(
                OrderRecord.state == "dispatching", OrderRecord.dispatch_mode == "manual")) or 0


# Built once: the simulation asks after every event.
_CHANGED = (
    select(OrderEventRecord.seq, OrderRecord.id, OrderRecord.version, OrderRecord.state,
           OrderRecord.dispatch_mode, OrderRecord.technician_id, OrderRecord.county_adcode,
           OrderRecord.service_type, OrderRecord.created_at, OrderRecord.accept_by,
           OrderRecord.lng, OrderRecord.lat)
    .join(OrderRecord, OrderRecord.id == OrderEventRecord.order_id)
    .where(OrderEventRecord.seq > bindparam("after"))
    .order_by(OrderEventRecord.seq)
)
_DISPATCHABLE = select(func.count()).select_from(OrderRecord).where(or_(
    OrderRecord.state.in_(("classified", "assigned")),
    and_(OrderRecord.state == "dispatching", OrderRecord.dispatch_mode != "manual")))
