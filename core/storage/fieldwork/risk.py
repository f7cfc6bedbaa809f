"""Technician risk's queries and its one setting (core.fieldwork.risk).

Per technician in a window: his flags counted by kind (orders and flags) and the orders he
worked — checked in or completed in the window (order_events, by the order's technician), or
flagged to him in it — each in ONE grouped query for every technician at once. The drill-down:
a technician's flagged orders with their flags. And `technician_reviews`: whether a supervisor
routed a technician's completions to manual review (`needs_manual_review`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, func, select, union
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.risk import KindCount
from core.storage.fieldwork.flags import OrderFlagRecord
from core.storage.tables import Base, OrderEventRecord, OrderRecord
from core.storage.types import UTCDateTime

F, E, Ord = OrderFlagRecord, OrderEventRecord, OrderRecord
WORK_EVENTS = ("check_in", "complete")


class TechnicianReviewRecord(Base):
    """A technician whose completions a supervisor routed to manual review (or took back);
    changes audited in audit_log (kind technician_review). No row: not routed, version 0."""

    __tablename__ = "technician_reviews"
    technician_id: Mapped[int] = mapped_column(Integer, ForeignKey("technicians.id"),
                                               primary_key=True)
    review_completions: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Activity:
    """A technician's flags by kind and the orders he worked in a window."""

    counts: tuple[KindCount, ...]
    orders: int
    flagged_orders: int


@dataclass(frozen=True)
class FlagSeen:
    kind: str
    detail: dict[str, Any]
    at: datetime
    raised_by: str


@dataclass(frozen=True)
class FlaggedOrder:
    order_id: int
    order_no: str
    state: str
    last_at: datetime
    flags: tuple[FlagSeen, ...]  # oldest first


def _ids_filter(column: Any, technician_ids: Sequence[int] | None) -> list[Any]:
    return [] if technician_ids is None else [column.in_(list(technician_ids))]


def activity(session: Session, since: datetime, until: datetime,
             technician_ids: Sequence[int] | None = None) -> dict[int, Activity]:
    """Per technician (all, or those given) with any flag or work in [since, until]."""
    if technician_ids is not None and not technician_ids:
        return {}
    in_window = [F.at >= since, F.at <= until, F.technician_id.is_not(None),
                 *_ids_filter(F.technician_id, technician_ids)]
    counts: dict[int, list[KindCount]] = {}
    flagged: dict[int, int] = {}
    per_kind = (select(F.technician_id, F.kind, func.count(func.distinct(F.order_id)),
                       func.count())
                .where(*in_window).group_by(F.technician_id, F.kind))
    for tech, kind, orders, flags in session.execute(per_kind).all():
        counts.setdefault(int(tech or 0), []).append(KindCount(str(kind), int(orders),
                                                               int(flags)))
    per_tech = (select(F.technician_id, func.count(func.distinct(F.order_id)))
                .where(*in_window).group_by(F.technician_id))
    for tech, orders in session.execute(per_tech).all():
        flagged[int(tech or 0)] = int(orders)

    worked_orders = (select(Ord.technician_id.label("technician_id"),
                            E.order_id.label("order_id"))
                     .join(Ord, Ord.id == E.order_id)
                     .where(E.kind.in_(WORK_EVENTS), E.at >= since, E.at <= until,
                            Ord.technician_id.is_not(None),
                            *_ids_filter(Ord.technician_id, technician_ids)))
    flagged_orders = select(F.technician_id.label("technician_id"),
                            F.order_id.label("order_id")).where(*in_window)
    both = union(worked_orders, flagged_orders).subquery()  # UNION drops the duplicates
    worked = {int(tech): int(n) for tech, n in session.execute(
        select(both.c.technician_id, func.count()).group_by(both.c.technician_id)).all()}

    return {tech: Activity(tuple(sorted(counts.get(tech, []), key=lambda c: c.kind)), n,
                           flagged.get(tech, 0))
            for tech, n in worked.items()}


def flagged_orders(session: Session, technician_id: int, since: datetime, until: datetime,
                   limit: int = 200) -> list[FlaggedOrder]:
    """The technician's orders flagged in [since, until], the latest flag first, each with
    those flags (oldest first); at most `limit` orders."""
    latest = (select(F.order_id, func.max(F.at).label("last_at"))
              .where(F.technician_id == technician_id, F.at >= since, F.at <= until)
              .group_by(F.order_id).order_by(func.max(F.at).desc(), F.order_id.desc())
              .limit(limit).subquery())
    stmt = (select(Ord.id, Ord.order_no, Ord.state, latest.c.last_at, F.kind, F.detail, F.at,
                   F.raised_by)
            .join(latest, latest.c.order_id == Ord.id)
            .join(F, F.order_id == Ord.id)
            .where(F.technician_id == technician_id, F.at >= since, F.at <= until)
            .order_by(latest.c.last_at.desc(), Ord.id.desc(), F.at, F.id))
    found: dict[int, tuple[str, str, datetime, list[FlagSeen]]] = {}
    for order_id, no, state, last_at, kind, detail, at, by in session.execute(stmt).all():
        entry = found.setdefault(order_id, (no, state, last_at, []))
        entry[3].append(FlagSeen(str(kind), dict(detail or {}), at, by))
    return [FlaggedOrder(order_id, no, state, last_at, tuple(flags))
            for order_id, (no, state, last_at, flags) in found.items()]


def reviews(session: Session,
            technician_ids: Sequence[int] | None = None) -> dict[int, TechnicianReviewRecord]:
    """The technicians' review rows (those that have one)."""
    stmt = select(TechnicianReviewRecord)
    if technician_ids is not None:
        stmt = stmt.where(TechnicianReviewRecord.technician_id.in_(list(technician_ids)))
    return {r.technician_id: r for r in session.scalars(stmt)}


def needs_manual_review(session: Session, technician_id: int | None) -> bool:
    """Whether a supervisor routed this technician's completions to manual review."""
    if technician_id is None:
        return False
    routed = session.scalar(select(TechnicianReviewRecord.review_completions)
                            .where(TechnicianReviewRecord.technician_id == technician_id))
    return bool(routed)
