"""Urges (催单) on orders: the urge round's reminders and escalations (one per recorded alert,
unique on its sla_deadlines row, so a restart never urges twice), urges by hand, and platform
urges through intake (unique per platform and its message's reference); each keeps its one
reply. The urging policy (core.sla.urging) is one audited row (`sla_urge_policy`, logged in
audit_log kind "sla_urge_policy"). Migration 0023.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from core.sla.limit_types import Level
from core.sla.urging import FIELD_TARGETS, Source, Target
from core.storage.db import EVENT_LOCK, is_postgres
from core.storage.sla.deadlines import SLA_EVENT, SlaDeadlineRecord
from core.storage.tables import Base, OrderEventRecord, OrderRecord, TechnicianRecord
from core.storage.types import BigId, UTCDateTime

URGE_EVENT = "sla_urge"  # the order event that puts an urge on the order's timeline
REPLY_EVENT = "sla_urge_reply"
POLICY_KEY = "default"
POLICY_LOG_KIND = "sla_urge_policy"
NOBODY = Target.NONE.value  # an alert the policy urges nobody about: handled, not listed
FIELD = sorted(t.value for t in FIELD_TARGETS)


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


def _insert(session: Session) -> Any:
    return (pg_insert if is_postgres(session.get_bind()) else sqlite_insert)(SlaUrgeRecord)


def add_urge(session: Session, values: Mapping[str, Any], *,
             unique: Sequence[str] = ()) -> int | None:
    """Insert an urge; with `unique` (the columns of one of its unique keys) an urge already
    there is left alone and None returned, so two rounds, or a re-sent message, add it once."""
    stmt = _insert(session).values(version=1, **values)
    if unique:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(unique))
    found = session.execute(stmt.returning(SlaUrgeRecord.id)).scalar()
    return None if found is None else int(found)


def alert_cursor(session: Session) -> int:
    """The timeline seq of the last alert an urge round handled (0: none yet). Rounds handle
    alerts in seq order and give each one urge row, so the newest alert urge names it."""
    U, R = SlaUrgeRecord, SlaDeadlineRecord
    last = session.scalar(select(U.deadline_id).where(U.source == Source.ALERT.value)
                          .order_by(U.id.desc()).limit(1))
    if last is None:
        return 0
    return int(session.scalar(select(R.event_seq).where(R.id == last)) or 0)


def unurged_alerts(session: Session, limit: int) -> list[SlaDeadlineRecord]:
    """The alerts recorded since the last one handled, in the order the scan recorded them
    (their timeline events after the cursor: a range of the primary key, never a scan of the
    deadlines). Alert events commit in seq order (the event lock), so none is skipped. Rows
    already handled (a second round meanwhile) come too: their urge insert does nothing."""
    E, R = OrderEventRecord, SlaDeadlineRecord
    events = session.execute(select(E.seq, E.order_id).where(
        E.seq > alert_cursor(session), E.kind == SLA_EVENT).order_by(E.seq).limit(limit)).all()
    if not events:
        return []
    seqs = {seq for seq, _ in events}
    rows = session.scalars(select(R).where(R.order_id.in_({o for _, o in events}),
                                           R.recorded_at.is_not(None)))
    return sorted((r for r in rows if r.event_seq in seqs), key=lambda r: r.event_seq or 0)


def alert_lefts(session: Session, seqs: Iterable[int]) -> dict[int, timedelta]:
    """The exact time left the scan told on the alerts' timeline events, by event seq."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    E = OrderEventRecord
    return {seq: timedelta(microseconds=int((data or {}).get("left_us", 0)))
            for seq, data in session.execute(select(E.seq, E.data).where(E.seq.in_(wanted)))}


def point_of(session: Session, technician_id: int | None) -> int | None:
    if technician_id is None:
        return None
    return session.scalar(select(TechnicianRecord.service_point_id)
                          .where(TechnicianRecord.id == technician_id))


def next_due(session: Session, order_id: int) -> datetime | None:
    """The order's soonest deadline of a step still running (what an urge by hand urges to)."""
    R = SlaDeadlineRecord
    return session.scalar(select(func.min(R.due)).where(
        R.order_id == order_id, R.open.is_(True), R.level == Level.SEVERE.value))


def append_order_note(session: Session, order_id: int, kind: str, actor: str, role: str,
                      reason: str, at: datetime, data: Mapping[str, Any]) -> int:
    """Put an urge or a reply on the order's timeline (and the change feed). It changes
    nothing on the order, so it keeps the order's version, as an SLA alert does. Call it after
    every order row this transaction writes: on PostgreSQL it takes the event lock, which must
    be the last lock (core.storage.uow)."""
    Ord = OrderRecord
    state, version = session.execute(select(Ord.state, Ord.version)
                                      .where(Ord.id == order_id)).one()
    if is_postgres(session.get_bind()):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
    seq = session.scalar(insert(OrderEventRecord).returning(OrderEventRecord.seq).values(
        order_id=order_id, kind=kind, from_state=state, to_state=state, actor=actor,
        actor_role=role, reason=reason, at=at, version=version, data=dict(data)))
    return int(seq or 0)


def locked_urge(session: Session, urge_id: int) -> SlaUrgeRecord | None:
    return session.scalars(select(SlaUrgeRecord).where(SlaUrgeRecord.id == urge_id)
                           .with_for_update().execution_options(populate_existing=True)).first()


@dataclass(frozen=True)
class UrgeQuery:
    """Which urges to list; `technician_id` set: only those addressed to him in the field."""

    technician_id: int | None = None
    order_id: int | None = None
    answered: bool | None = None
    source: str | None = None
    target: str | None = None
    step: str | None = None
    limit: int = 100
    offset: int = 0


def list_urges(session: Session, q: UrgeQuery) -> list[tuple[SlaUrgeRecord, str]]:
    """Urges with their order numbers: those still waiting for an answer first (unanswered, and
    not about a step that has stopped since), then by deadline (soonest first, none last), then
    newest; urges the policy addressed to nobody are not listed."""
    U, Ord, R = SlaUrgeRecord, OrderRecord, SlaDeadlineRecord
    where: list[ColumnElement[bool]] = [U.target != NOBODY]
    if q.technician_id is not None:
        where += [U.technician_id == q.technician_id, U.target.in_(FIELD)]
    if q.order_id is not None:
        where.append(U.order_id == q.order_id)
    if q.answered is not None:
        where.append(U.replied_at.is_not(None) if q.answered else U.replied_at.is_(None))
    for column, value in ((U.source, q.source), (U.target, q.target), (U.step, q.step)):
        if value is not None:
            where.append(column == value)
    waiting = case((and_(U.replied_at.is_(None), or_(R.id.is_(None), R.open.is_(True))), 0),
                   else_=1)
    no_due = case((U.due.is_(None), 1), else_=0)
    stmt = (select(U, Ord.order_no).join(Ord, Ord.id == U.order_id)
            .outerjoin(R, R.id == U.deadline_id).where(*where)
            .order_by(waiting, no_due, U.due, U.at.desc(), U.id.desc())
            .limit(q.limit).offset(q.offset))
    return [(u, no) for u, no in session.execute(stmt)]


def urge_counts(session: Session) -> dict[str, int]:
    """How many urges (addressed to somebody), by source, and how many were answered."""
    U = SlaUrgeRecord
    rows = session.execute(select(U.source, func.count(), func.count(U.replied_at))
                           .where(U.target != NOBODY).group_by(U.source)).all()
    out = {"urges": 0, "replied": 0}
    for source, count, replied in rows:
        out[source] = int(count)
        out["urges"] += int(count)
        out["replied"] += int(replied)
    return out


def platform_urge_id(session: Session, platform: str, ref: str) -> int:
    U = SlaUrgeRecord
    return int(session.scalars(select(U.id).where(U.platform == platform,
                                                  U.platform_ref == ref)).one())


def waiting_technicians(session: Session) -> list[tuple[int, str | None]]:
    """Technicians (id, login) with an unanswered urge addressed to them in the field."""
    U, T = SlaUrgeRecord, TechnicianRecord
    return [(int(i), name) for i, name in session.execute(
        select(T.id, T.username).where(select(U.id).where(
            U.technician_id == T.id, U.replied_at.is_(None), U.target.in_(FIELD)).exists())
        .order_by(T.id))]
