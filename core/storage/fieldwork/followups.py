"""The review period's tables and queries: each order's period, its follow-up calls, the
complaints they raised, and clients' review policies (a client setting, audited as
`review_policy`; core.storage.client_settings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    case,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from core.orders.lifecycle import OrderState
from core.storage.tables import Base, OrderEventRecord, OrderRecord, TechnicianRecord
from core.storage.types import BigId, UTCDateTime

POLICY_LOG_KIND = "review_policy"
RATING_LOG_KIND = "technician_rating"


class FollowupStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    GAVE_UP = "gave_up"
    EXPIRED = "expired"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class PeriodOutcome(StrEnum):
    APPROVED = "approved"  # a satisfied call
    LAPSED = "lapsed"  # ended without a problem
    COMPLAINT = "complaint"  # a problem froze the order


class ReviewPolicyRecord(Base):
    """A client's review period and sampling ('default': every client without its own)."""

    __tablename__ = "review_policies"
    client_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewPeriodRecord(Base):
    """An order's review period: from verification until `until`, closed with its outcome."""

    __tablename__ = "review_periods"
    __table_args__ = (Index("ix_review_periods_closed_at_until", "closed_at", "until"),
                      Index("ix_review_periods_technician_id", "technician_id"))
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), primary_key=True)
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    client_code: Mapped[str] = mapped_column(String(32))
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the completion
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    closed_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class FollowupRecord(Base):
    """One follow-up call of an order: why picked, when due, tries, and what came of it."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_status_due_at", "status", "due_at"),
                      Index("ix_followups_order_id", "order_id"),
                      Index("ix_followups_technician_id", "technician_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    rating: Mapped[int | None] = mapped_column(Integer)
    complaint_type: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ComplaintRecord(Base):
    """A complaint from a follow-up: its after-sales order, the repeat fault's charge, the
    supervisor's ruling (who, when, why)."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_status_raised_at", "status", "raised_at"),
                      Index("ix_complaints_order_id", "order_id"),
                      Index("ix_complaints_technician_id", "technician_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    followup_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("followups.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    complaint_type: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    repeat_fault: Mapped[bool] = mapped_column(Boolean, default=False)  # free second visit
    charged_technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    after_sales_order_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(16))
    raised_by: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ruled_by: Mapped[str] = mapped_column(String(64), default="")
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ruling_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


# -- one order ------------------------------------------------------------------------------------

def period_of(session: Session, order_id: int) -> ReviewPeriodRecord | None:
    return session.get(ReviewPeriodRecord, order_id)


def followups_of(session: Session, order_id: int) -> list[FollowupRecord]:
    return list(session.scalars(select(FollowupRecord).where(FollowupRecord.order_id == order_id)
                                .order_by(FollowupRecord.id)))


def complaints_of(session: Session, order_id: int) -> list[ComplaintRecord]:
    return list(session.scalars(select(ComplaintRecord)
                                .where(ComplaintRecord.order_id == order_id)
                                .order_by(ComplaintRecord.id)))


def lock_followup(session: Session, followup_id: int) -> FollowupRecord | None:
    return session.scalars(select(FollowupRecord).where(FollowupRecord.id == followup_id)
                           .with_for_update().execution_options(populate_existing=True)).first()


def lock_complaint(session: Session, complaint_id: int) -> ComplaintRecord | None:
    return session.scalars(select(ComplaintRecord).where(ComplaintRecord.id == complaint_id)
                           .with_for_update().execution_options(populate_existing=True)).first()


def lock_period(session: Session, order_id: int) -> ReviewPeriodRecord | None:
    return session.scalars(select(ReviewPeriodRecord)
                           .where(ReviewPeriodRecord.order_id == order_id)
                           .with_for_update().execution_options(populate_existing=True)).first()


def open_on_order(session: Session, order_id: int, besides_followup: int | None = None) -> bool:
    """Whether another follow-up or a complaint on the order is still open."""
    followups = select(FollowupRecord.id).where(
        FollowupRecord.order_id == order_id, FollowupRecord.status == FollowupStatus.OPEN.value)
    if besides_followup is not None:
        followups = followups.where(FollowupRecord.id != besides_followup)
    complaints = select(ComplaintRecord.id).where(
        ComplaintRecord.order_id == order_id,
        ComplaintRecord.status == ComplaintStatus.OPEN.value)
    return (session.scalar(followups.limit(1)) is not None
            or session.scalar(complaints.limit(1)) is not None)


def visited_at(session: Session, order_id: int) -> datetime | None:
    """When the order was completed (its latest `complete` event), if it was."""
    return session.scalar(select(func.max(OrderEventRecord.at)).where(
        OrderEventRecord.order_id == order_id, OrderEventRecord.kind == "complete"))


def earlier_periods(session: Session, technician_id: int) -> int:
    """How many of the technician's orders entered review before."""
    return int(session.scalar(select(func.count()).select_from(ReviewPeriodRecord)
                              .where(ReviewPeriodRecord.technician_id == technician_id)) or 0)


def rating_inputs(session: Session, technician_id: int) -> tuple[list[int], int]:
    """The technician's follow-up ratings and his upheld complaints (the rating rule's input)."""
    ratings = [int(r) for r in session.scalars(select(FollowupRecord.rating).where(
        FollowupRecord.technician_id == technician_id, FollowupRecord.rating.is_not(None)))
        if r is not None]
    upheld = int(session.scalar(select(func.count()).select_from(ComplaintRecord).where(
        ComplaintRecord.technician_id == technician_id,
        ComplaintRecord.status == ComplaintStatus.UPHELD.value)) or 0)
    return ratings, upheld


def technician_names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {tid: name for tid, name in session.execute(
        select(TechnicianRecord.id, TechnicianRecord.name).where(TechnicianRecord.id.in_(wanted)))}


def order_numbers(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {oid: no for oid, no in session.execute(
        select(OrderRecord.id, OrderRecord.order_no).where(OrderRecord.id.in_(wanted)))}


# -- the worklist ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorklistRows:
    total: int
    due: int
    rows: list[tuple[FollowupRecord, OrderRecord, ReviewPeriodRecord | None]]


def worklist(session: Session, now: datetime, only_due: bool, offset: int,
             limit: int) -> WorklistRows:
    """Open follow-ups of orders in review (only those due by `now`, or all), due ones first,
    each by due time (a call on an order frozen meanwhile waits until it is back in review)."""
    is_open = FollowupRecord.status == FollowupStatus.OPEN.value
    is_due = FollowupRecord.due_at <= now
    in_review = OrderRecord.state == OrderState.IN_REVIEW.value

    def count(*where: Any) -> int:
        return int(session.scalar(
            select(func.count()).select_from(FollowupRecord)
            .join(OrderRecord, OrderRecord.id == FollowupRecord.order_id)
            .where(in_review, *where)) or 0)

    due = count(is_open, is_due)
    total = due if only_due else count(is_open)
    where = [in_review, is_open, is_due] if only_due else [in_review, is_open]
    period = aliased(ReviewPeriodRecord)
    found = session.execute(
        select(FollowupRecord, OrderRecord, period)
        .join(OrderRecord, OrderRecord.id == FollowupRecord.order_id)
        .outerjoin(period, period.order_id == FollowupRecord.order_id)
        .where(*where)
        .order_by(case((is_due, 0), else_=1), FollowupRecord.due_at, FollowupRecord.id)
        .offset(offset).limit(limit)).all()
    return WorklistRows(total, due, [(f, o, p) for f, o, p in found])


# -- complaints -----------------------------------------------------------------------------------

def complaint_page(session: Session, only_open: bool, offset: int,
                   limit: int) -> tuple[int, int, list[ComplaintRecord]]:
    """(matching, open, page): open ones first (the oldest first), then the latest ruled."""
    is_open = ComplaintRecord.status == ComplaintStatus.OPEN.value
    open_count = int(session.scalar(select(func.count()).select_from(ComplaintRecord)
                                    .where(is_open)) or 0)
    query = select(ComplaintRecord)
    if only_open:
        query = query.where(is_open)
        total = open_count
    else:
        total = int(session.scalar(select(func.count()).select_from(ComplaintRecord)) or 0)
    rows = list(session.scalars(query.order_by(
        case((is_open, 0), else_=1),
        case((is_open, ComplaintRecord.id), else_=-ComplaintRecord.id)).offset(offset)
        .limit(limit)))
    return total, open_count, rows


# -- the end of review periods --------------------------------------------------------------------

def ended_periods(session: Session, now: datetime, limit: int) -> list[int]:
    """Orders in review whose open period ended by `now` and that have no open complaint."""
    open_complaint = select(ComplaintRecord.id).where(
        ComplaintRecord.order_id == ReviewPeriodRecord.order_id,
        ComplaintRecord.status == ComplaintStatus.OPEN.value).exists()
    return list(session.scalars(
        select(ReviewPeriodRecord.order_id)
        .join(OrderRecord, OrderRecord.id == ReviewPeriodRecord.order_id)
        .where(ReviewPeriodRecord.closed_at.is_(None), ReviewPeriodRecord.until <= now,
               OrderRecord.state == OrderState.IN_REVIEW.value, ~open_complaint)
        .order_by(ReviewPeriodRecord.until, ReviewPeriodRecord.order_id).limit(limit)))


def open_followups_of(session: Session, order_id: int) -> list[FollowupRecord]:
    return list(session.scalars(select(FollowupRecord).where(
        FollowupRecord.order_id == order_id, FollowupRecord.status == FollowupStatus.OPEN.value)
        .with_for_update()))
