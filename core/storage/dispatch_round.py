"""One dispatch round against the database: read a snapshot, plan, apply the decisions.

Decisions are applied as Actor "dispatcher" (role system) through ServiceOrder.perform and
saved with the version the snapshot read. An order someone changed meanwhile (an agent assigned
it, a technician claimed it) fails that check and is skipped for this round: the person's
action wins. Orders are written in chunks, one transaction per chunk, each order inside its
own savepoint, so one order that fails never costs the others their decisions; an order whose
change cannot be applied goes to a person with the error (code dispatch_failed) instead of
failing again every round. Only the database's own trouble (locked, gone) waits for the next.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from core.dispatch import escalation
from core.dispatch.engine import plan
from core.dispatch.escalation import OPEN_ENDED_MINUTES
from core.dispatch.policy import RegionPolicy
from core.dispatch.round_model import (
    DISPATCH_FAILED,
    UNCLAIMED,
    Assign,
    Decision,
    Escalate,
    Offer,
    OpenDispatch,
    Withdraw,
)
from core.orders.dispatching import fit_note
from core.orders.errors import StaleVersion
from core.orders.lifecycle import DispatchMode, OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.storage.db import DISPATCH_LOCK, is_postgres
from core.storage.dispatch_snapshot import Loaded, load
from core.storage.grab_pool import EXPIRED, WITHDRAWN, close_offer, open_offer, stale_offers
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
CENTRE = Actor("dispatcher", Role.SYSTEM)  # the backend itself: no login shares the name
# Orders per transaction: SQLite holds its write lock for the whole transaction, so chunks keep
# agents' writes from waiting long behind a big round.
CHUNK = 100


@dataclass
class RoundReport:
    orders: int = 0  # orders the round looked at
    opened: int = 0
    assigned: int = 0
    withdrawn: int = 0
    escalated: Counter[str] = field(default_factory=Counter)  # by code
    offers_opened: int = 0
    offers_closed: int = 0
    stale: int = 0  # changed by someone meanwhile: left alone this round
    failed: int = 0
    waiting: int = 0  # auto orders waiting for capacity
    seconds: float = 0.0

    def summary(self) -> str:
        codes = ", ".join(f"{c} {n}" for c, n in sorted(self.escalated.items()))
        return (f"dispatch round: {self.orders} orders; opened {self.opened}, assigned "
                f"{self.assigned}, escalated {sum(self.escalated.values())}"
                f"{f' ({codes})' if codes else ''}, withdrawn {self.withdrawn}, offers "
                f"+{self.offers_opened}/-{self.offers_closed}, waiting {self.waiting}, "
                f"stale {self.stale}, failed {self.failed} in {self.seconds:.2f} s")


def _perform(order: ServiceOrder, decision: Decision, now: datetime) -> None:
    act = order.perform
    # The round's words are built from order data (skill names...): one gate makes them
    # storable (no NUL or control characters, bounded) before they reach a row or an event.
    why = fit_note(getattr(decision, "reason", ""))
    if isinstance(decision, OpenDispatch):
        act("open_dispatch", CENTRE, now, why, mode=decision.mode.value, note=why,
            code=decision.code)
    elif isinstance(decision, Assign):
        act("assign", CENTRE, now, why, technician_id=decision.technician_id,
            technician_name=fit_note(decision.technician_name, 64), pinned=False,
            automatic=True, terms=dict(decision.terms), accept_by=decision.accept_by)
    elif isinstance(decision, Escalate):
        act("escalate", CENTRE, now, why, mode=decision.mode.value, code=decision.code,
            note=why)
    elif isinstance(decision, Withdraw):
        mode = {"mode": decision.mode.value} if decision.mode is not None else {}
        act("withdraw", CENTRE, now, why, code=decision.code, note=why, **mode)


def _in_pool(order: ServiceOrder) -> bool:
    return order.state is OrderState.DISPATCHING and order.dispatch_mode is DispatchMode.GRAB


def _offer_minutes(policy: RegionPolicy, decisions: Sequence[Decision]) -> int:
    asked = [d.minutes for d in decisions if isinstance(d, Offer)]
    if asked:
        return asked[-1]
    stage = policy.stage_of(DispatchMode.GRAB)
    return stage.minutes if stage and stage.minutes else OPEN_ENDED_MINUTES


def _apply(uow: UnitOfWork, loaded: Loaded, order: ServiceOrder,
           decisions: Sequence[Decision], now: datetime) -> tuple[bool, bool]:
    """Write one order's decisions; (offer opened, offer closed)."""
    assert order.id is not None
    session = uow.session
    was_in_pool = _in_pool(order)
    changes = [d for d in decisions if not isinstance(d, Offer)]
    if changes:
        for decision in changes:
            _perform(order, decision, now)
        uow.orders.save(order)
    else:  # only an offer to open: still check nobody moved the order meanwhile
        current = session.scalar(select(OrderRecord.version).where(OrderRecord.id == order.id))
        if current != order.version:
            raise StaleVersion(order.id, order.version, current or -1)
    closed = opened = False
    offer_id = loaded.offers.get(order.id)
    if offer_id is not None and any(isinstance(d, Escalate) and d.code == UNCLAIMED
                                    for d in decisions):
        closed = close_offer(session, offer_id, EXPIRED, now)
    if _in_pool(order) and (not was_in_pool or len(changes) < len(decisions)):
        policy = loaded.snapshot.policy(order.county_adcode or "")
        opened = open_offer(session, order, policy, now,
                            _offer_minutes(policy, decisions)).offered_at == now
    return opened, closed


def _count(report: RoundReport, decisions: Sequence[Decision]) -> None:
    for d in decisions:
        if isinstance(d, OpenDispatch):
            report.opened += 1
            if d.code and d.mode is DispatchMode.MANUAL:
                report.escalated[d.code] += 1
        elif isinstance(d, Assign):
            report.assigned += 1
        elif isinstance(d, Escalate):
            report.escalated[d.code] += 1
        elif isinstance(d, Withdraw):
            report.withdrawn += 1


def _error_text(exc: BaseException) -> str:
    """The error in one short line: the driver's message, never the SQL or its parameters
    (they hold customers' data, and the text goes into a note a person reads)."""
    source = getattr(exc, "orig", None) or exc
    lines = str(source).strip().splitlines()
    return f"{type(source).__name__}: {lines[0] if lines else ''}"


def _transient(exc: BaseException) -> bool:
    """The database's trouble (locked, deadlock, connection gone), not the order's: next round."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _forget(uow: UnitOfWork, order: ServiceOrder) -> None:
    """The savepoint undid the order's writes; its events must not be written either."""
    uow.orders.touched[:] = [o for o in uow.orders.touched if o is not order]


def _to_person(uow: UnitOfWork, order_id: int, version: int, error: str, now: datetime,
               report: RoundReport) -> None:
    """Send an order whose decisions could not be applied to a person, with the error, so the
    next round does not try (and fail) again; a person who changed it meanwhile wins."""
    fresh: ServiceOrder | None = None
    try:
        with uow.session.begin_nested():
            fresh = uow.orders.get(order_id)
            if fresh is None or fresh.version != version:
                return
            decision = escalation.failed(order_id, fresh.state, fresh.dispatch_mode, error)
            if decision is None:
                return
            _perform(fresh, decision, now)
            uow.orders.save(fresh)
    except Exception as exc:  # the round goes on; the order is tried again next round
        if fresh is not None:
            _forget(uow, fresh)
        log.error("dispatch: order %s could not go to a person either: %s", order_id,
                  _error_text(exc))
        return
    report.escalated[DISPATCH_FAILED] += 1


def _apply_one(uow: UnitOfWork, loaded: Loaded, order_id: int, mine: Sequence[Decision],
               now: datetime, report: RoundReport) -> None:
    """One order's decisions in its own savepoint; a failure costs only this order."""
    order = deepcopy(loaded.orders[order_id])  # the snapshot's copy stays as read (retries)
    try:
        with uow.session.begin_nested():
            opened, closed = _apply(uow, loaded, order, mine, now)
    except StaleVersion:
        report.stale += 1  # a person (or a claim) got there first
        return
    except Exception as exc:  # one bad order must not stop the round
        _forget(uow, order)
        report.failed += 1
        log.warning("dispatch: order %s not changed: %s", order_id, _error_text(exc))
        if not _transient(exc):
            _to_person(uow, order_id, loaded.orders[order_id].version, _error_text(exc), now,
                       report)
        return
    report.offers_opened += opened
    report.offers_closed += closed
    _count(report, mine)


def _apply_chunk(engine: Engine, loaded: Loaded, by_order: dict[int, list[Decision]],
                 ids: Sequence[int], now: datetime, report: RoundReport,
                 on_commit: Callable[[], None] | None) -> None:
    with UnitOfWork(engine, on_commit=on_commit) as uow:
        for order_id in ids:
            _apply_one(uow, loaded, order_id, by_order[order_id], now, report)
        uow.commit()


def _merge(into: RoundReport, part: RoundReport) -> None:
    for name in ("opened", "assigned", "withdrawn", "offers_opened", "offers_closed", "stale",
                 "failed"):
        setattr(into, name, getattr(into, name) + getattr(part, name))
    into.escalated.update(part.escalated)


def apply_plan(engine: Engine, loaded: Loaded, decisions: Sequence[Decision], now: datetime,
               report: RoundReport, on_commit: Callable[[], None] | None = None) -> None:
    by_order: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_order[decision.order_id].append(decision)
    ids = sorted(by_order)  # rows locked in id order everywhere: no deadlock with bulk assigns
    for start in range(0, len(ids), CHUNK):
        chunk, part = ids[start:start + CHUNK], RoundReport()
        try:
            _apply_chunk(engine, loaded, by_order, chunk, now, part, on_commit)
        except Exception as exc:
            if _transient(exc) or len(chunk) == 1:
                raise
            # The commit failed (an order's events): each order in its own transaction, so
            # only the one whose change cannot be stored is lost (and goes to a person).
            log.warning("dispatch: a chunk failed at commit (%s); one order at a time",
                        _error_text(exc))
            part = RoundReport()
            for order_id in chunk:
                try:
                    _apply_chunk(engine, loaded, by_order, [order_id], now, part, on_commit)
                except Exception as one:
                    if _transient(one):
                        raise
                    part.failed += 1
                    log.error("dispatch: order %s not changed: %s", order_id, _error_text(one))
                    with UnitOfWork(engine, on_commit=on_commit) as uow:
                        _to_person(uow, order_id, loaded.orders[order_id].version,
                                   _error_text(one), now, part)
                        uow.commit()
        _merge(report, part)


def close_stale_offers(engine: Engine, now: datetime) -> int:
    """Withdraw open offers whose order left the pool (assigned by hand, escalated, ...)."""
    with Session(engine) as session:
        if not stale_offers(session):
            return 0  # the usual case: no write transaction at all
    with UnitOfWork(engine) as uow:
        closed = sum(close_offer(uow.session, o.id, WITHDRAWN, now)
                     for o in stale_offers(uow.session))
        uow.commit()
    return closed


@contextmanager
def _only_dispatcher(engine: Engine) -> Iterator[bool]:
    """Whether this round may run: on PostgreSQL several backend processes may share the
    database, and only one of them dispatches at a time (the others skip the round; versions
    would keep them safe, but two would open an offer for the same order twice)."""
    if not is_postgres(engine):
        yield True
        return
    with engine.connect() as conn:
        got = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": DISPATCH_LOCK}))
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DISPATCH_LOCK})
            conn.commit()


def run_round(engine: Engine, now: datetime,
              on_commit: Callable[[], None] | None = None) -> RoundReport:
    """Read, plan and apply one round; returns what it did (nothing, when another process's
    dispatcher holds the round)."""
    with _only_dispatcher(engine) as mine:
        if not mine:
            return RoundReport()
        return _round(engine, now, on_commit)


def _round(engine: Engine, now: datetime,
           on_commit: Callable[[], None] | None) -> RoundReport:
    started = time.perf_counter()
    with Session(engine) as session:
        loaded = load(session, now)
    result = plan(loaded.snapshot)
    report = RoundReport(orders=len(loaded.snapshot.orders), waiting=result.waiting)
    if result.decisions:
        apply_plan(engine, loaded, result.decisions, now, report, on_commit)
    report.offers_closed += close_stale_offers(engine, now)
    report.seconds = time.perf_counter() - started
    return report
