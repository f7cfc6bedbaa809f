"""Urges (催单) on orders: the urge round's reminders and escalations (one per recorded alert,
unique on its sla_deadlines row, so a restart never urges twice), urges by hand, and platform
urges through intake (unique per platform and its message's reference); each keeps its one
reply. The urging policy (core.sla.urging) is one audited row (`sla_urge_policy`, logged in
audit_log kind "sla_urge_policy"). Migration 0023.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId, UTCDateTime

URGE_EVENT = "sla_urge"  # the order event that puts an urge on the order's timeline
REPLY_EVENT = "sla_urge_reply"
POLICY_KEY = "default"
POLICY_LOG_KIND = "sla_urge_policy"


class SlaUrgeRecord(Base):
    """One urge on an order, addressed to `target`, with its reply once answered."""

    __tablename__ = "sla_urges"
    __table_args__ = (
        UniqueConstraint("deadline_id", name="uq_sla_urges_deadline_id"),
        UniqueConstraint("platform", "platform_ref", name="uq_sla_urges_platform_ref"),
        Index("ix_sla_urges_order", "order_id", "at"),
        Index("ix_sla_urges_at", "at", "id"),
        Index("ix_sla_urges_technician", "technician_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    source: Mapped[str] = mapped_column(String(8))  # alert | manual | platform
    deadline_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("sla_deadlines.id"))
    step: Mapped[str] = mapped_column(String(16))  # '' when not about one step
    level: Mapped[str] = mapped_column(String(8))  # '' unless from an alert
    target: Mapped[str] = mapped_column(String(16))  # core.sla.urging.Target
    technician_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("technicians.id"))
    service_point_id: Mapped[int | None] = mapped_column(Integer,
                                                         ForeignKey("service_points.id"))
    text: Mapped[str] = mapped_column(String(500))
    by_actor: Mapped[str] = mapped_column(String(64))
    by_role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the deadline it urges toward
    platform: Mapped[str | None] = mapped_column(String(32))
    platform_ref: Mapped[str | None] = mapped_column(String(64))
    to_manual: Mapped[str] = mapped_column(String(16))  # what the breach policy did, or ''
    reply: Mapped[str | None] = mapped_column(String(500))
    replied_by: Mapped[str | None] = mapped_column(String(64))
    replied_role: Mapped[str | None] = mapped_column(String(16))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)


class SlaUrgePolicyRecord(Base):
    """The urging policy (core.sla.urging.UrgePolicy as a body), versioned and audited."""

    __tablename__ = "sla_urge_policy"
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
