"""Flags raised on orders by field execution (core.fieldwork.flags): stored, listed, counted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.flags import Flag, FlagKind
from core.storage.tables import Base
from core.storage.types import BigId, UTCDateTime


class OrderFlagRecord(Base):
    """One flag on an order: its kind, the technician concerned, the facts, who raised it when."""

    __tablename__ = "order_flags"
    __table_args__ = (Index("ix_order_flags_order_id", "order_id"),
                      Index("ix_order_flags_technician_id_at", "technician_id", "at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    raised_by: Mapped[str] = mapped_column(String(64))


def add_flags(session: Session, order_id: int, technician_id: int | None,
              flags: Iterable[Flag], at: datetime, raised_by: str) -> int:
    """Store the flags (in the caller's transaction); how many."""
    rows = [OrderFlagRecord(order_id=order_id, technician_id=technician_id,
                            kind=f.kind.value, detail=dict(f.detail), at=at,
                            raised_by=raised_by) for f in flags]
    session.add_all(rows)
    return len(rows)


def flags_of(session: Session, order_ids: Sequence[int]) -> dict[int, list[Flag]]:
    """Each order's flags, oldest first."""
    found: dict[int, list[Flag]] = {}
    if not order_ids:
        return found
    stmt = (select(OrderFlagRecord.order_id, OrderFlagRecord.kind, OrderFlagRecord.detail)
            .where(OrderFlagRecord.order_id.in_(list(order_ids)))
            .order_by(OrderFlagRecord.id))
    for order_id, kind, detail in session.execute(stmt).all():
        found.setdefault(order_id, []).append(Flag(FlagKind(kind), dict(detail or {})))
    return found
