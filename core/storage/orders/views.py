"""Read models: database rows turned into the wire schemas the server returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from core.contracts import OrderRow, TimelineEntry
from core.orders.lifecycle import OrderState
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord

O = OrderRecord  # noqa: E741 - short alias keeps the column list readable
# Exactly what an OrderRow needs: no address, skills JSON or appointment per queue line.
ROW_COLUMNS = (
    O.id, O.order_no, O.platform, O.customer_name, O.county_adcode, O.county_name, O.city,
    O.service_type, O.state, O.technician_id, O.lng, O.lat, O.version, O.created_at,
    O.state_changed_at, O.dispatch_mode, O.dispatch_note, O.dispatch_pinned, O.tags,
    O.accept_by,
)


def order_rows_select() -> Select[*tuple[Any, ...]]:
    """Queue rows as plain columns with the technician's name; every queue-like read starts here.

    The result rows have the OrderRecord attribute names plus `technician_name`.
    """
    return select(*ROW_COLUMNS, TechnicianRecord.name.label("technician_name")).outerjoin(
        TechnicianRecord, TechnicianRecord.id == O.technician_id
    )


def to_order_row(rec: OrderRecord, technician_name: str | None) -> OrderRow:
    """An OrderRow from a loaded OrderRecord (the change feed reads whole records)."""
    return _validated({c.key: getattr(rec, c.key) for c in ROW_COLUMNS}, technician_name)


def row_to_order_row(row: Row[Any]) -> OrderRow:
    """An OrderRow from one row of order_rows_select()."""
    values = row._asdict()
    return _validated(values, values.pop("technician_name"))


def _validated(values: dict[str, Any], technician_name: str | None) -> OrderRow:
    # Sort keys are stored as '' (see OrderRecord); the wire says None. Validating a plain
    # dict runs in pydantic-core: faster than keyword arguments or even model_construct.
    values["county_adcode"] = values["county_adcode"] or None
    values["service_type"] = values["service_type"] or None
    values["technician_name"] = technician_name or ""
    return OrderRow.model_validate(values)


def order_row(session: Session, order_id: int) -> OrderRow | None:
    found = session.execute(order_rows_select().where(O.id == order_id)).first()
    return row_to_order_row(found) if found else None


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
