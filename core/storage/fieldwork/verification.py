"""Verification review: clients' evidence requirements, and the served orders waiting for review
with what each shows, read for many orders at once.

A client's requirements are one row per client ('default': every client without its own) whose
`rules` hold the combination per product kind (core.fieldwork.verification.Requirements
.values()); changes are audited (audit_log kind `verification_requirement`). The evidence of the
review queue is read in one query per kind of evidence for all its orders; the evidence of one
order is read by each slice's own handler (core.services.fieldwork.review).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.flags import Flag
from core.fieldwork.verification import BUILT_IN, Requirement, Requirements
from core.orders.lifecycle import OrderState
from core.storage.client_settings import setting_row
from core.storage.fieldwork.appointments import IN_FORCE, AppointmentRecord, client_of_order
from core.storage.fieldwork.checkins import CheckInRecord
from core.storage.fieldwork.codes import VerificationCodeRecord
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.photos import PhotoRecord
from core.storage.fieldwork.serials import SerialRecord, serials_of
from core.storage.tables import Base, OrderItemRecord, OrderRecord, TechnicianRecord
from core.storage.types import UTCDateTime

LOG_KIND = "verification_requirement"


class VerificationRequirementRecord(Base):
    """A client's evidence requirements per product kind ('default': every other client)."""

    __tablename__ = "verification_requirements"
    client_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def requirements_of(row: VerificationRequirementRecord | None) -> Requirements:
    return BUILT_IN if row is None else Requirements.from_values(row.rules)


def requirements_of_client(session: Session, client_code: str
                           ) -> tuple[VerificationRequirementRecord | None, Requirements]:
    """The client's row (its own, else the default's, else None) and its requirements."""
    row = setting_row(session, VerificationRequirementRecord, client_code)
    return row, requirements_of(row)


class ClientRequirements:
    """Each client's requirement for a kind, read once per client within one handler."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._clients: dict[str, str] = {}

    def client_of(self, platform: str) -> str:
        if platform not in self._clients:
            self._clients[platform] = client_of_order(self._session, platform)
        return self._clients[platform]

    def requirement(self, platform: str, service_type: str | None) -> Requirement:
        _, requirements = requirements_of_client(self._session, self.client_of(platform))
        return requirements.for_kind(service_type)


# -- the review queue -----------------------------------------------------------------------------

@dataclass
class QueueRows:
    """What the queue shows of one served order, and the rows of its evidence."""

    order: OrderRecord
    technician_name: str
    units: int
    booking: AppointmentRecord | None = None  # the booking in force
    check_in: CheckInRecord | None = None  # the latest
    code: VerificationCodeRecord | None = None  # the current (newest not voided)
    photos: list[PhotoRecord] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    serials: list[SerialRecord] = field(default_factory=list)  # in force, by unit


def served_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OrderRecord)
                              .where(OrderRecord.state == OrderState.SERVED.value)) or 0)


def _latest(rows: Sequence[Any]) -> dict[int, Any]:
    """The last row per order of rows read oldest first."""
    return {row.order_id: row for row in rows}


def served_orders(session: Session, limit: int) -> list[QueueRows]:
    """The `limit` orders served longest ago, each with its evidence rows."""
    orders = list(session.scalars(
        select(OrderRecord).where(OrderRecord.state == OrderState.SERVED.value)
        .order_by(OrderRecord.state_changed_at, OrderRecord.id).limit(limit)))
    return evidence_rows(session, orders)


def evidence_rows(session: Session, orders: Sequence[OrderRecord]) -> list[QueueRows]:
    """Each order with its evidence rows: a few queries in all, however many orders."""
    ids = [o.id for o in orders]
    if not ids:
        return []
    names: dict[int, str] = {tid: name for tid, name in session.execute(
        select(TechnicianRecord.id, TechnicianRecord.name)
        .where(TechnicianRecord.id.in_({o.technician_id for o in orders if o.technician_id})))}
    units: dict[int, int] = {oid: int(n or 0) for oid, n in session.execute(
        select(OrderItemRecord.order_id, func.sum(OrderItemRecord.quantity))
        .where(OrderItemRecord.order_id.in_(ids)).group_by(OrderItemRecord.order_id))}
    bookings = _latest(session.scalars(
        select(AppointmentRecord).where(AppointmentRecord.order_id.in_(ids),
                                        AppointmentRecord.status.in_(IN_FORCE))
        .order_by(AppointmentRecord.id)).all())
    check_ins = _latest(session.scalars(
        select(CheckInRecord).where(CheckInRecord.order_id.in_(ids))
        .order_by(CheckInRecord.id)).all())
    codes = _latest(session.scalars(
        select(VerificationCodeRecord).where(VerificationCodeRecord.order_id.in_(ids),
                                             VerificationCodeRecord.voided_at.is_(None))
        .order_by(VerificationCodeRecord.id)).all())
    photos: dict[int, list[PhotoRecord]] = {}
    for photo in session.scalars(select(PhotoRecord).where(PhotoRecord.order_id.in_(ids))
                                 .order_by(PhotoRecord.id)):
        photos.setdefault(photo.order_id, []).append(photo)
    flags = flags_of(session, ids)
    serials = serials_of(session, ids)
    return [QueueRows(o, names.get(o.technician_id or 0, ""), units.get(o.id, 0),
                      bookings.get(o.id), check_ins.get(o.id), codes.get(o.id),
                      photos.get(o.id, []), flags.get(o.id, []), serials.get(o.id, []))
            for o in orders]


def booking_in_force(bookings: Sequence[AppointmentRecord]) -> AppointmentRecord | None:
    """Of an order's bookings (oldest first), the one the visit was made on."""
    return next((b for b in reversed(bookings) if b.status in IN_FORCE), None)


def technician_name(session: Session, technician_id: int | None) -> str:
    if technician_id is None:
        return ""
    return session.scalar(select(TechnicianRecord.name)
                          .where(TechnicianRecord.id == technician_id)) or ""
