"""Read models: database rows turned into the wire schemas the server returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.contracts import OrderRow, TimelineEntry
from core.orders.lifecycle import OrderState, ServiceType
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord


def order_rows_select() -> Select[OrderRecord, str]:
    """Orders with their technician's name; every queue-like read starts here."""
    return select(OrderRecord, TechnicianRecord.name).outerjoin(
        TechnicianRecord, TechnicianRecord.id == OrderRecord.technician_id
    )


def to_order_row(rec: OrderRecord, technician_name: str | None) -> OrderRow:
    return OrderRow(
        id=rec.id,
        order_no=rec.order_no,
        platform=rec.platform,
        customer_name=rec.customer_name,
        county_adcode=rec.county_adcode or None,
        county_name=rec.county_name,
        city=rec.city,
        service_type=ServiceType(rec.service_type) if rec.service_type else None,
        state=OrderState(rec.state),
        technician_id=rec.technician_id,
        technician_name=technician_name or "",
        lng=rec.lng,
        lat=rec.lat,
        version=rec.version,
        created_at=rec.created_at,
        state_changed_at=rec.state_changed_at,
    )


def order_row(session: Session, order_id: int) -> OrderRow | None:
    found = session.execute(order_rows_select().where(OrderRecord.id == order_id)).first()
    return to_order_row(found[0], found[1]) if found else None


def entry_fields(ev: OrderEventRecord) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "kind": ev.kind,
        "from_state": OrderState(ev.from_state) if ev.from_state else None,
        "to_state": OrderState(ev.to_state),
        "actor": ev.actor,
        "actor_role": ev.actor_role,
        "reason": ev.reason,
        "at": ev.at,
        "version": ev.version,
        "data": dict(ev.data or {}),
    }


def timeline(session: Session, order_id: int) -> list[TimelineEntry]:
    """The order's events, oldest first."""
    events = session.scalars(
        select(OrderEventRecord)
        .where(OrderEventRecord.order_id == order_id)
        .order_by(OrderEventRecord.seq)
    ).all()
    return [TimelineEntry(**entry_fields(ev)) for ev in events]
