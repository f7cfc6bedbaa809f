"""Serial numbers of the appliances on an order: one current row per unit, every earlier one
kept (replaced_at/replaced_by say when and by whom it was replaced; the new row says why)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId, UTCDateTime


class SerialRecord(Base):
    """One serial number submitted for one unit of an order (current while replaced_at is None)."""

    __tablename__ = "order_serials"
    __table_args__ = (Index("ix_order_serials_order_id_unit", "order_id", "unit"),
                      Index("ix_order_serials_serial", "serial"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    unit: Mapped[int] = mapped_column(Integer)  # 1..the order's units
    serial: Mapped[str] = mapped_column(String(40))  # normalized (core.fieldwork.serials)
    typed: Mapped[str] = mapped_column(String(120))  # as the technician typed it
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it replaced another
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replaced_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


def current_serials(session: Session, order_id: int) -> list[SerialRecord]:
    """The order's serials in force, by unit."""
    return list(session.scalars(
        select(SerialRecord)
        .where(SerialRecord.order_id == order_id, SerialRecord.replaced_at.is_(None))
        .order_by(SerialRecord.unit)))


def serials_of(session: Session, order_ids: list[int]) -> dict[int, list[SerialRecord]]:
    """The serials in force of several orders (the review queue), by order then unit."""
    found: dict[int, list[SerialRecord]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return found
    for row in session.scalars(
            select(SerialRecord)
            .where(SerialRecord.order_id.in_(order_ids), SerialRecord.replaced_at.is_(None))
            .order_by(SerialRecord.order_id, SerialRecord.unit)):
        found[row.order_id].append(row)
    return found


def history_of(session: Session, order_id: int) -> list[SerialRecord]:
    """Every serial ever submitted on the order, oldest first (the audit trail)."""
    return list(session.scalars(
        select(SerialRecord).where(SerialRecord.order_id == order_id)
        .order_by(SerialRecord.id)))


def orders_with_serial(session: Session, serial: str, other_than: int) -> list[int]:
    """Other orders on which the same (normalized) serial is in force."""
    return sorted(set(session.scalars(
        select(SerialRecord.order_id)
        .where(SerialRecord.serial == serial, SerialRecord.order_id != other_than,
               SerialRecord.replaced_at.is_(None)))))


def replace(session: Session, order_id: int, unit: int, row: SerialRecord) -> SerialRecord | None:
    """Store `row` as the unit's serial; the one it replaces (returned) is marked, not deleted."""
    old = session.scalar(
        select(SerialRecord)
        .where(SerialRecord.order_id == order_id, SerialRecord.unit == unit,
               SerialRecord.replaced_at.is_(None)))
    if old is not None:
        old.replaced_at = row.submitted_at
        old.replaced_by = row.submitted_by
    session.add(row)
    session.flush()
    return old
