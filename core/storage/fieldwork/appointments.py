"""Appointments, contact attempts, AXB bindings and call records; clients' appointment policies.

A booking row keeps each slot asked for on an order with who asked, why and how it was judged
(core.fieldwork.appointments); a reschedule past the client's limit stays `pending` until a
supervisor decides (who, when, why). A binding row is an outbox entry too: `pending` until the
provider bound it, `unbinding` until it let it go, retried with a growing delay while the
provider is down (core.services.fieldwork.axb). A call record is kept once per provider record
id, so a push sent again stores nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.appointments import (
    AppointmentPolicy,
    BookingStatus,
    Call,
    CallerSide,
    CallVerdict,
)
from core.orders.lifecycle import OrderState
from core.storage.db import is_postgres
from core.storage.intake.clients import client_policy
from core.storage.tables import AuditLogRecord, Base, OrderRecord, TechnicianRecord
from core.storage.types import BigId, UTCDateTime

if TYPE_CHECKING:
    from core.storage.audited import AuditLog

DEFAULT_POLICY = "default"  # the policy row of clients without one of their own
POLICY_LOG_KIND = "appointment_policy"
# Binding states: waiting for the provider to bind / bound / waiting for it to unbind / done.
PENDING, BOUND, UNBINDING, UNBOUND, FAILED = "pending", "bound", "unbinding", "unbound", "failed"
IN_FORCE = (BookingStatus.BOOKED.value, BookingStatus.APPROVED.value)


@cache
def policy_audit_log() -> AuditLog[AuditLogRecord, Any]:
    # core.storage.audited imports core.storage.tables, which imports this package at its end.
    from core.storage.audited import AuditLog

    return AuditLog.shared(POLICY_LOG_KIND)


class AppointmentPolicyRecord(Base):
    """A client's reschedule limit and call window ('default': every client without one)."""

    __tablename__ = "appointment_policies"
    client_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    reschedule_limit: Mapped[int] = mapped_column(Integer)
    call_window_hours: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AxbBindingRecord(Base):
    """One virtual-number binding of an order: technician (A), virtual number (X), customer (B)."""

    __tablename__ = "axb_bindings"
    __table_args__ = (Index("ix_axb_bindings_order_id", "order_id"),
                      Index("ix_axb_bindings_status_next_try_at", "status", "next_try_at"),
                      Index("ix_axb_bindings_provider_binding_id", "provider_binding_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    technician_phone: Mapped[str] = mapped_column(String(32))
    customer_phone: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    virtual_number: Mapped[str] = mapped_column(String(32), default="")
    provider_binding_id: Mapped[str] = mapped_column(String(100), default="")
    record_calls: Mapped[bool] = mapped_column(Boolean)
    lifetime_s: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unbind_reason: Mapped[str] = mapped_column(Text, default="")
    unbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallRecord(Base):
    """One call on a binding as the provider pushed it (once per provider record id)."""

    __tablename__ = "call_records"
    __table_args__ = (UniqueConstraint("record_id"),
                      Index("ix_call_records_order_id_started_at", "order_id", "started_at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(100))
    provider_binding_id: Mapped[str] = mapped_column(String(100))
    binding_id: Mapped[int] = mapped_column(BigId, ForeignKey("axb_bindings.id"))
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    caller_side: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_s: Mapped[int] = mapped_column(Integer)
    connected: Mapped[bool] = mapped_column(Boolean)
    recording: Mapped[bool] = mapped_column(Boolean)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppointmentRecord(Base):
    """One slot asked for on an order: booked at once, or a reschedule waiting for approval."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_order_id", "order_id"),
                      Index("ix_appointments_technician_id_status", "technician_id", "status"),
                      Index("ix_appointments_status_requested_at", "status", "requested_at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(8))  # window | part
    part: Mapped[str] = mapped_column(String(12), default="")  # morning | afternoon | evening
    initiated_by: Mapped[str] = mapped_column(String(16))  # technician | customer
    reschedule: Mapped[bool] = mapped_column(Boolean)
    reason_code: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_role: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12))  # booked | pending | approved | refused
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    call_verdict: Mapped[str] = mapped_column(String(24))  # real | no_call | desk | found_late
    call_record_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("call_records.id"))


class ContactAttemptRecord(Base):
    """A failed attempt to reach or book the customer: why, and when to try again."""

    __tablename__ = "contact_attempts"
    __table_args__ = (Index("ix_contact_attempts_order_id", "order_id"),
                      Index("ix_contact_attempts_next_contact_at", "next_contact_at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    reason_code: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    next_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_role: Mapped[str] = mapped_column(String(16))


# -- policies -----------------------------------------------------------------------------------

def policy_of(row: AppointmentPolicyRecord | None) -> AppointmentPolicy:
    if row is None:
        return AppointmentPolicy()
    return AppointmentPolicy(row.reschedule_limit, timedelta(hours=row.call_window_hours))


def policy_of_client(session: Session, client_code: str
                     ) -> tuple[AppointmentPolicyRecord | None, AppointmentPolicy]:
    """The client's row (its own, else the default's, else None) and its policy."""
    for code in (client_code, DEFAULT_POLICY):
        row = session.get(AppointmentPolicyRecord, code)
        if row is not None:
            return row, policy_of(row)
    return None, AppointmentPolicy()


def client_of_order(session: Session, platform: str) -> str:
    """The order's client as intake knows it from the platform ("" when none)."""
    return client_policy(session, platform, "").code


def policy_for_order(session: Session, platform: str) -> AppointmentPolicy:
    return policy_of_client(session, client_of_order(session, platform))[1]


# -- bookings -----------------------------------------------------------------------------------

def bookings_of(session: Session, order_id: int) -> list[AppointmentRecord]:
    """Every slot asked for on the order, oldest first."""
    return list(session.scalars(select(AppointmentRecord)
                                .where(AppointmentRecord.order_id == order_id)
                                .order_by(AppointmentRecord.id)))


def reschedules_in_force(session: Session, order_id: int) -> int:
    """How many reschedules of the order took effect (booked at once or approved)."""
    return session.scalar(select(func.count()).select_from(AppointmentRecord).where(
        AppointmentRecord.order_id == order_id, AppointmentRecord.reschedule,
        AppointmentRecord.status.in_(IN_FORCE))) or 0


def pending_of_order(session: Session, order_id: int) -> AppointmentRecord | None:
    return session.scalars(select(AppointmentRecord).where(
        AppointmentRecord.order_id == order_id,
        AppointmentRecord.status == BookingStatus.PENDING.value)).first()


def lock_booking(session: Session, booking_id: int) -> AppointmentRecord | None:
    """The booking, locked and read afresh (PostgreSQL): one decision at a time."""
    return session.scalars(select(AppointmentRecord).where(AppointmentRecord.id == booking_id)
                           .with_for_update().execution_options(populate_existing=True)).first()


def pending_bookings(session: Session, limit: int = 200) -> list[AppointmentRecord]:
    """Reschedules waiting for a supervisor, oldest first."""
    return list(session.scalars(select(AppointmentRecord)
                                .where(AppointmentRecord.status == BookingStatus.PENDING.value)
                                .order_by(AppointmentRecord.requested_at,
                                          AppointmentRecord.id).limit(limit)))


def lock_technician(session: Session, technician_id: int) -> TechnicianRecord | None:
    """The technician's row, held until commit (PostgreSQL): bookings into his day one at a
    time, so two desks cannot give the same window away twice."""
    return session.scalars(select(TechnicianRecord).where(TechnicianRecord.id == technician_id)
                           .with_for_update()).first()


def technician_phone(session: Session, technician_id: int) -> str:
    return session.scalar(select(TechnicianRecord.phone)
                          .where(TechnicianRecord.id == technician_id)) or ""


def busy_intervals(session: Session, technician_id: int, start: datetime, end: datetime,
                   except_order: int | None = None) -> list[tuple[int, datetime, datetime]]:
    """(order id, start, end) of the technician's appointments that overlap [start, end): the
    orders appointed to him (or checked in) and the reschedules waiting for approval."""
    found: list[tuple[int, datetime, datetime]] = []
    appointed = select(OrderRecord.id, OrderRecord.appointment_start,
                       OrderRecord.appointment_end).where(
        OrderRecord.technician_id == technician_id,
        OrderRecord.state.in_([OrderState.APPOINTED.value, OrderState.CHECKED_IN.value]),
        OrderRecord.appointment_start < end, OrderRecord.appointment_end > start)
    waiting = select(AppointmentRecord.order_id, AppointmentRecord.starts_at,
                     AppointmentRecord.ends_at).where(
        AppointmentRecord.technician_id == technician_id,
        AppointmentRecord.status == BookingStatus.PENDING.value,
        AppointmentRecord.starts_at < end, AppointmentRecord.ends_at > start)
    for stmt in (appointed, waiting):
        for order_id, s, e in session.execute(stmt).all():
            if order_id != except_order and s is not None and e is not None:
                found.append((order_id, s, e))
    return sorted(found, key=lambda b: (b[1], b[0]))


# -- contact attempts ---------------------------------------------------------------------------

def attempts_of(session: Session, order_id: int) -> list[ContactAttemptRecord]:
    return list(session.scalars(select(ContactAttemptRecord)
                                .where(ContactAttemptRecord.order_id == order_id)
                                .order_by(ContactAttemptRecord.id)))


# -- bindings and calls -------------------------------------------------------------------------

def bindings_of(session: Session, order_id: int) -> list[AxbBindingRecord]:
    """The order's bindings, newest first."""
    return list(session.scalars(select(AxbBindingRecord)
                                .where(AxbBindingRecord.order_id == order_id)
                                .order_by(AxbBindingRecord.id.desc())))


def binding_by_provider_id(session: Session, provider_binding_id: str) -> AxbBindingRecord | None:
    if not provider_binding_id:
        return None
    return session.scalars(select(AxbBindingRecord).where(
        AxbBindingRecord.provider_binding_id == provider_binding_id)
        .order_by(AxbBindingRecord.id.desc())).first()


def due_bindings(session: Session, now: datetime, limit: int,
                 ids: Sequence[int] | None = None) -> list[AxbBindingRecord]:
    """Bindings waiting for the provider (to bind or to unbind) and due now, oldest first,
    locked for this round (other rounds skip them)."""
    stmt = (select(AxbBindingRecord)
            .where(AxbBindingRecord.status.in_([PENDING, UNBINDING]),
                   AxbBindingRecord.next_try_at <= now)
            .order_by(AxbBindingRecord.next_try_at, AxbBindingRecord.id).limit(limit))
    if ids is not None:
        stmt = stmt.where(AxbBindingRecord.id.in_(list(ids)))
    if is_postgres(session.get_bind()):
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def call_record(session: Session, record_id: str) -> CallRecord | None:
    return session.scalars(select(CallRecord).where(CallRecord.record_id == record_id)).first()


def calls_of(session: Session, order_id: int) -> list[CallRecord]:
    """The order's calls, earliest first."""
    return list(session.scalars(select(CallRecord).where(CallRecord.order_id == order_id)
                                .order_by(CallRecord.started_at, CallRecord.id)))


def calls_for_rule(session: Session, order_id: int, technician_id: int | None) -> list[Call]:
    """The order's calls on this technician's bindings, as the authenticity rule reads them."""
    stmt = (select(CallRecord).join(AxbBindingRecord, CallRecord.binding_id == AxbBindingRecord.id)
            .where(CallRecord.order_id == order_id))
    if technician_id is not None:
        stmt = stmt.where(AxbBindingRecord.technician_id == technician_id)
    return [Call(r.id, CallerSide(r.caller_side), r.started_at, r.duration_s, r.connected)
            for r in session.scalars(stmt)]


def unbacked_bookings(session: Session, order_id: int) -> list[AppointmentRecord]:
    """The order's bookings judged without a call (a call pushed late may back them)."""
    return list(session.scalars(select(AppointmentRecord).where(
        AppointmentRecord.order_id == order_id,
        AppointmentRecord.call_verdict == CallVerdict.NO_CALL.value)))
