"""Deadlines on every open order: one row per running step's alert (预警, 警告 at the warn
shares, 严重 at the deadline), keyed order/step/run/level, recomputed from the order's events
(core.sla.step_runs) whenever a unit of work commits an order's change (UnitOfWork.commit calls
`refresh_deadlines`), and marked stale when a scope's limits change (the scan recomputes them).

A row is `pending` until the scan records it (`claim_alerts`: one UPDATE from pending for the
round's batch, so two scanners or a restart record each once); a recorded row stays as history
and is `open` while its step still runs. (pending, at) answers "which warn or breach in the
next minute"; a partial index of the stale rows' orders answers "which orders to recompute"
without reading the other million.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

if TYPE_CHECKING:
    from core.storage.sla.limits import LimitBook

from core.geo.scopes import DEFAULT_SCOPE, scope_level
from core.orders.lifecycle import TERMINAL, OrderState, Role
from core.sla.calendar import BusinessCalendar
from core.sla.limit_types import EVENTS, Clock, Level, StepLimit
from core.sla.step_runs import AlertTime, Happening, alert_times, all_runs
from core.storage.db import EVENT_LOCK, is_postgres
from core.storage.sla.outcomes import Finished, record_finished
from core.storage.tables import Base, OrderEventRecord, OrderRecord
from core.storage.types import BigId, UTCDateTime

SLA_EVENT = "sla_alert"  # the order event kind that puts an alert on the order's timeline
_CHUNK = 500
_TERMINAL = [s.value for s in TERMINAL]
Key = tuple[str, int, str]  # step, run, level
_NO_CALENDAR = BusinessCalendar()  # natural time needs none


class SlaDeadlineRecord(Base):
    """One alert time of one run of a step of an order."""

    __tablename__ = "sla_deadlines"
    __table_args__ = (
        UniqueConstraint("order_id", "step", "run", "level",
                         name="uq_sla_deadlines_order_step_run_level"),
        Index("ix_sla_deadlines_pending_at", "pending", "at"),
        Index("ix_sla_deadlines_open_due", "open", "due"),
        Index("ix_sla_deadlines_board", "open", "pending", "order_id", "step", "run", "level",
              "county_adcode", "technician_id"),  # the board's aggregate (storage.sla.board)
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    step: Mapped[str] = mapped_column(String(16))
    run: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when this level is reached
    due: Mapped[datetime] = mapped_column(UTCDateTime)  # the step's deadline (严重)
    # The platform's own deadline for the step (its limit beside ours), when it has one.
    platform_due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    clock: Mapped[str] = mapped_column(String(8))
    county_adcode: Mapped[str] = mapped_column(String(6))
    service_type: Mapped[str] = mapped_column(String(16))
    # Who has the order now (kept current by refresh_deadlines while the step runs).
    technician_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    open: Mapped[bool] = mapped_column(Boolean)  # the step's run still runs
    pending: Mapped[bool] = mapped_column(Boolean)  # open and not yet recorded
    stale: Mapped[bool] = mapped_column(Boolean)  # the limits changed: recompute the order
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    event_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


_STALE = SlaDeadlineRecord.stale.is_(True)  # the partial index's condition, and the query's
Index("ix_sla_deadlines_stale_order", SlaDeadlineRecord.order_id,
      sqlite_where=_STALE, postgresql_where=_STALE)


def _happenings(session: Session, ids: Sequence[int],
                pending: Sequence[dict[str, Any]]) -> dict[int, list[Happening]]:
    out: dict[int, list[Happening]] = {i: [] for i in ids}
    E = OrderEventRecord
    for oid, kind, at in session.execute(
            select(E.order_id, E.kind, E.at).where(E.order_id.in_(ids), E.kind.in_(EVENTS))
            .order_by(E.seq)):
        out[oid].append(Happening(kind, at))
    # Imported here: core.storage.tables loads this package while the fieldwork package may
    # still be loading (a contact attempt's table lives there).
    from core.storage.fieldwork.appointments import ContactAttemptRecord as C
    for oid, at in session.execute(select(C.order_id, C.at).where(C.order_id.in_(ids))):
        out[oid].append(Happening("contact_attempt", at))
    for row in pending:  # this transaction's events, not inserted yet
        if row["order_id"] in out and row["kind"] in EVENTS:
            out[row["order_id"]].append(Happening(row["kind"], row["at"]))
    return out


def _clocks(limit: StepLimit) -> set[Clock]:
    """The clocks a step's deadlines count in (ours, and the platform's beside it)."""
    return {limit.clock} | ({limit.platform.clock} if limit.platform else set())


Wanted = dict[int, tuple[str, str, int | None, dict[Key, AlertTime]]]  # county, type, tech, alerts


def _wanted(session: Session, ids: Sequence[int], book: LimitBook,
            pending: Sequence[dict[str, Any]]) -> tuple[Wanted, list[Finished]]:
    """Each order's alert times now (none once it is closed), and its finished runs."""
    Ord = OrderRecord
    orders = session.execute(select(Ord.id, Ord.state, Ord.county_adcode, Ord.service_type,
                                    Ord.appointment_start, Ord.technician_id)
                             .where(Ord.id.in_(ids))).all()
    happened = _happenings(session, ids, pending)
    out: Wanted = {}
    finished: list[Finished] = []
    for oid, state, county, service_type, appointment, technician in orders:
        out[oid] = (county, service_type, technician, {})
        limits = book.limits(county or None, service_type or None)
        steps = dict(limits.steps)
        agreed = appointment.astimezone(limits.working_day.tz).date() if appointment else None
        runs, closed = all_runs(happened[oid], steps)
        if OrderState(state) in TERMINAL:
            runs = []
        used = [r.step for r in runs] + [c.step for c in closed]
        business = any(Clock.BUSINESS in _clocks(limits.steps[step]) for step in used)
        calendar = book.calendar() if business else _NO_CALENDAR
        finished.extend(Finished(oid, county, service_type, technician, c, limits, calendar,
                                 agreed) for c in closed)
        for a in alert_times(runs, limits, calendar, agreed):
            out[oid][3][(a.step.value, a.run, a.level.value)] = a
    return out, finished


def refresh_deadlines(session: Session, order_ids: Iterable[int],
                      pending: Sequence[dict[str, Any]] = ()) -> int:
    """Recompute the alert rows of these orders from their events (stored, and `pending`:
    event rows this transaction is about to insert) and the current limits; recorded rows are
    kept (closed when their run stopped), and each run that stopped gets its outcome
    (core.storage.sla.outcomes). Returns how many orders."""
    from core.storage.sla.limits import LimitBook

    ids = sorted(set(order_ids))
    if not ids:
        return 0
    book = LimitBook(session)
    for n in range(0, len(ids), _CHUNK):
        chunk = ids[n:n + _CHUNK]
        wanted, finished = _wanted(session, chunk, book, pending)
        R = SlaDeadlineRecord
        stored = list(session.scalars(select(R).where(R.order_id.in_(chunk))))
        dues = {(r.order_id, r.step, r.run): r.due  # the deadline itself (严重) last: it wins
                for r in sorted(stored, key=lambda r: r.level == Level.SEVERE.value)}
        record_finished(session, finished, dues)
        for row in stored:
            key = (row.step, row.run, row.level)
            county, stype, tech, alerts = wanted.get(row.order_id, ("", "", None, {}))
            found = alerts.pop(key, None)
            row.stale = False
            if found is None:
                if row.recorded_at is None:
                    session.delete(row)
                else:
                    row.open = False
                continue
            row.open, row.technician_id = True, tech  # the board counts by who has it now
            if row.recorded_at is None:
                row.at, row.due, row.started_at = found.at, found.due, found.started_at
                row.platform_due = found.platform_due
                row.clock = found.clock.value
                row.county_adcode, row.service_type = county, stype
        fresh = [{"order_id": oid, "step": a.step.value, "run": a.run, "level": a.level.value,
                  "at": a.at, "due": a.due, "platform_due": a.platform_due,
                  "started_at": a.started_at, "clock": a.clock.value,
                  "county_adcode": county, "service_type": stype, "technician_id": tech,
                  "open": True, "pending": True, "stale": False}
                 for oid, (county, stype, tech, keyed) in wanted.items()
                 for a in keyed.values()]
        session.flush()
        if fresh:
            session.execute(insert(R), fresh)
    return len(ids)


def region_prefix(scope: str) -> str:
    """The adcode prefix of a scope's counties ('' the default: every county)."""
    level = scope_level(scope)
    return {"default": "", "province": scope[:2], "city": scope[:4]}.get(level, scope)


def mark_scope_stale(session: Session, scope: str) -> int:
    """The limits of `scope` changed: its open orders' deadlines are to be recomputed."""
    R = SlaDeadlineRecord
    where: list[ColumnElement[bool]] = [R.open.is_(True)]
    if scope != DEFAULT_SCOPE:
        where.append(R.county_adcode.startswith(region_prefix(scope)))
    found = session.execute(update(R).where(*where).values(stale=True))
    return int(found.rowcount or 0)  # type: ignore[attr-defined]


def stale_order_ids(session: Session, limit: int) -> list[int]:
    """Orders whose limits changed, lowest first: a range of the partial index (its condition
    must stay the query's, or the planner reads every row)."""
    R = SlaDeadlineRecord
    return list(session.scalars(select(R.order_id).where(_STALE).distinct()
                                .order_by(R.order_id).limit(limit)))


def open_order_ids(session: Session, after: int, limit: int) -> list[int]:
    Ord = OrderRecord
    return list(session.scalars(select(Ord.id).where(Ord.id > after, Ord.state.not_in(_TERMINAL))
                                .order_by(Ord.id).limit(limit)))


def due_alerts(session: Session, until: datetime, limit: int) -> list[SlaDeadlineRecord]:
    """Alerts not yet recorded whose time is at or before `until`, soonest first (the
    (pending, at) index: the next minute's alerts are a range of it)."""
    R = SlaDeadlineRecord
    return list(session.scalars(select(R).where(R.pending.is_(True), R.at <= until)
                                .order_by(R.at, R.id).limit(limit)))


def claim_alerts(session: Session, row_ids: Sequence[int], now: datetime) -> set[int]:
    """Mark these alerts recorded, only those nobody did: one UPDATE ... RETURNING per chunk,
    so of two scanners (or a restarted one) each alert is claimed by one transaction."""
    R = SlaDeadlineRecord
    claimed: set[int] = set()
    for n in range(0, len(row_ids), _CHUNK):
        claimed.update(session.scalars(
            update(R).where(R.id.in_(row_ids[n:n + _CHUNK]), R.pending.is_(True))
            .values(pending=False, recorded_at=now).returning(R.id)
            .execution_options(synchronize_session=False)))
    return claimed


Told = tuple[SlaDeadlineRecord, str, dict[str, Any]]  # the alert row, reason, event data


def append_alert_events(session: Session, told: Sequence[Told]) -> list[int]:
    """Put the alerts on their orders' timelines (and the change feed) as order events at each
    alert's own time, in the given order; their seqs. An alert changes nothing on the order,
    so it keeps the order's version: no desk's or technician's write goes stale because a
    warning fired. One SELECT of the orders, one insert and one update for the batch."""
    if not told:
        return []
    Ord, E, R = OrderRecord, OrderEventRecord, SlaDeadlineRecord
    orders: dict[int, tuple[str, int]] = {}
    ids = sorted({row.order_id for row, _, _ in told})
    for n in range(0, len(ids), _CHUNK):
        orders.update((oid, (state, version)) for oid, state, version in session.execute(
            select(Ord.id, Ord.state, Ord.version).where(Ord.id.in_(ids[n:n + _CHUNK]))))
    if is_postgres(session.get_bind()):  # feed order, as UnitOfWork.commit explains: last
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
    events = [{"order_id": row.order_id, "kind": SLA_EVENT, "from_state": orders[row.order_id][0],
               "to_state": orders[row.order_id][0], "actor": "system",
               "actor_role": Role.SYSTEM.value, "reason": reason, "at": row.at,
               "version": orders[row.order_id][1], "data": data} for row, reason, data in told]
    seqs = [int(seq) for seq in session.scalars(
        insert(E).returning(E.seq, sort_by_parameter_order=True), events)]
    session.execute(update(R), [{"id": row.id, "event_seq": seq}
                                for (row, _, _), seq in zip(told, seqs, strict=True)])
    return seqs


def order_deadlines(session: Session, order_id: int) -> list[SlaDeadlineRecord]:
    R = SlaDeadlineRecord
    return list(session.scalars(select(R).where(R.order_id == order_id)
                                .order_by(R.open.desc(), R.due, R.step, R.run, R.at)))
