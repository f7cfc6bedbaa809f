"""The change feed: order events in seq order, each with the order's current queue row."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core.contracts import ChangeEvent
from core.storage.orders.views import entry_fields, to_order_row
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord


def max_seq(session: Session) -> int:
    """The newest event's seq (0 when there are none): the feed position right now."""
    return session.scalar(select(func.max(OrderEventRecord.seq))) or 0


def events_after(session: Session, after: int, limit: int = 500) -> list[ChangeEvent]:
    """Up to `limit` events with seq > after, ascending.

    Each carries the order's row as it is now, which is at least as new as the event, so a
    client that keeps the row with the highest version converges on the current state.
    """
    tech = aliased(TechnicianRecord)
    found = session.execute(
        select(OrderEventRecord, OrderRecord, tech.name)
        .join(OrderRecord, OrderRecord.id == OrderEventRecord.order_id)
        .outerjoin(tech, tech.id == OrderRecord.technician_id)
        .where(OrderEventRecord.seq > after)
        .order_by(OrderEventRecord.seq)
        .limit(limit)
    ).all()
    return [
        ChangeEvent(**entry_fields(ev), order_id=ev.order_id, order=to_order_row(rec, name))
        for ev, rec, name in found
    ]
