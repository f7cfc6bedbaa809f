"""One dispatch round against the database: read a snapshot, plan, apply the decisions.

Decisions are applied as Actor "dispatcher" (role system) through ServiceOrder.perform and
saved with the version the snapshot read. An order someone changed meanwhile (an agent assigned
it, a technician claimed it) fails that check and is skipped for this round: the person's
action wins. Orders are written in chunks, one transaction per chunk, each order inside its
own savepoint, so one order that fails never costs the others their decisions.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.dispatch.engine import plan
from core.dispatch.escalation import OPEN_ENDED_MINUTES
from core.dispatch.policy import RegionPolicy
from core.dispatch.round_model import (
    UNCLAIMED,
    Assign,
    Decision,
    Escalate,
    Offer,
    OpenDispatch,
    Withdraw,
)
from core.orders.errors import OrderError, StaleVersion
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
    if isinstance(decision, OpenDispatch):
        act("open_dispatch", CENTRE, now, decision.reason, mode=decision.mode.value,
            note=decision.reason, code=decision.code)
    elif isinstance(decision, Assign):
        act("assign", CENTRE, now, decision.reason, technician_id=decision.technician_id,
            technician_name=decision.technician_name, pinned=False, automatic=True,
            terms=dict(decision.terms), accept_by=decision.accept_by)
    elif isinstance(decision, Escalate):
        act("escalate", CENTRE, now, decision.reason, mode=decision.mode.value,
            code=decision.code, note=decision.reason)
    elif isinstance(decision, Withdraw):
        mode = {"mode": decision.mode.value} if decision.mode is not None else {}
        act("withdraw", CENTRE, now, decision.reason, code=decision.code, note=decision.reason,
            **mode)


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


def apply_plan(engine: Engine, loaded: Loaded, decisions: Sequence[Decision], now: datetime,
               report: RoundReport, on_commit: Callable[[], None] | None = None) -> None:
    by_order: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_order[decision.order_id].append(decision)
    ids = sorted(by_order)  # rows locked in id order everywhere: no deadlock with bulk assigns
    for start in range(0, len(ids), CHUNK):
        with UnitOfWork(engine, on_commit=on_commit) as uow:
            for order_id in ids[start:start + CHUNK]:
                order, mine = loaded.orders[order_id], by_order[order_id]
                try:
                    with uow.session.begin_nested():
                        opened, closed = _apply(uow, loaded, order, mine, now)
                except StaleVersion:
                    report.stale += 1  # a person (or a claim) got there first
                    continue
                except (OrderError, SQLAlchemyError) as exc:
                    # The savepoint undid its writes; its events must not be written either.
                    uow.orders.touched[:] = [o for o in uow.orders.touched if o is not order]
                    log.warning("dispatch: order %s not changed: %s", order_id, exc)
                    report.failed += 1
                    continue
                report.offers_opened += opened
                report.offers_closed += closed
                _count(report, mine)
            uow.commit()


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
