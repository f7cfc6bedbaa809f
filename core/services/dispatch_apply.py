"""A dispatch round's decisions applied to the orders (part of core.services.dispatch).

Decisions are applied as Actor "dispatcher" (role system) through the order aggregate and
saved with the version the snapshot read. An order someone changed meanwhile (an agent assigned
it, a technician claimed it) fails that check and is skipped for this round: the person's
action wins. Orders are written in chunks, one transaction per chunk, each order inside its
own savepoint, so one order that fails never costs the others their decisions; an order whose
change cannot be applied goes to a person with the error (code dispatch_failed) instead of
failing again every round. Only the database's own trouble (locked, gone) waits for the next.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.dispatch import escalation
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
from core.orders import commands
from core.orders.dispatching import fit_note
from core.orders.errors import StaleVersion
from core.orders.lifecycle import DispatchMode, OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.storage.dispatch.rounds import error_text, stored_version, transient
from core.storage.dispatch.snapshot import Loaded
from core.storage.grab.pool import EXPIRED, close_offer, open_offer
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
CENTRE = Actor("dispatcher", Role.SYSTEM)  # the backend itself: no login shares the name
# Orders per transaction: SQLite holds its write lock for the whole transaction, so chunks keep
# agents' writes from waiting long behind a big round.
CHUNK = 100
UowFactory = Callable[[], UnitOfWork]


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

    def add(self, part: RoundReport) -> None:
        """Count a chunk's part of the round in."""
        for name in ("opened", "assigned", "withdrawn", "offers_opened", "offers_closed",
                     "stale", "failed"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.escalated.update(part.escalated)


def _command(decision: Decision, why: str) -> commands.Command | None:
    """The lifecycle command that carries out one of the round's decisions (None: an offer,
    which is not an order change)."""
    if isinstance(decision, OpenDispatch):
        return commands.OpenDispatch(mode=decision.mode, note=why, code=decision.code)
    if isinstance(decision, Assign):
        return commands.Assign(
            technician_id=decision.technician_id,
            technician_name=fit_note(decision.technician_name, 64), pinned=False,
            automatic=True, terms=dict(decision.terms), accept_by=decision.accept_by)
    if isinstance(decision, Escalate):
        return commands.Escalate(mode=decision.mode, code=decision.code, note=why)
    if isinstance(decision, Withdraw):
        return commands.Withdraw(code=decision.code, mode=decision.mode, note=why)
    return None


def _perform(order: ServiceOrder, decision: Decision, now: datetime) -> None:
    # The round's words are built from order data (skill names...): one gate makes them
    # storable (no NUL or control characters, bounded) before they reach a row or an event.
    why = fit_note(getattr(decision, "reason", ""))
    command = _command(decision, why)
    if command is not None:
        order.apply(command, CENTRE, now, why)


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
        current = stored_version(session, order.id)
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


def _working_copy(order: ServiceOrder) -> ServiceOrder:
    """A copy to apply decisions to, so the snapshot's aggregate stays as read (a failed
    chunk is redone from it). Its containers are copied one level deep: their elements
    (text, frozen items and events) never change in place; deepcopy cost a fifth of applying."""
    copied = copy.copy(order)
    for name, value in vars(copied).items():
        if isinstance(value, list | dict | set):
            setattr(copied, name, copy.copy(value))
    return copied


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
                  error_text(exc))
        return
    report.escalated[DISPATCH_FAILED] += 1


def _apply_one(uow: UnitOfWork, loaded: Loaded, order_id: int, mine: Sequence[Decision],
               now: datetime, report: RoundReport) -> None:
    """One order's decisions in its own savepoint; a failure costs only this order."""
    order = _working_copy(loaded.orders[order_id])
    try:
        with uow.session.begin_nested():
            opened, closed = _apply(uow, loaded, order, mine, now)
    except StaleVersion:
        report.stale += 1  # a person (or a claim) got there first
        return
    except Exception as exc:  # one bad order must not stop the round
        _forget(uow, order)
        report.failed += 1
        log.warning("dispatch: order %s not changed: %s", order_id, error_text(exc))
        if not transient(exc):
            _to_person(uow, order_id, loaded.orders[order_id].version, error_text(exc), now,
                       report)
        return
    report.offers_opened += opened
    report.offers_closed += closed
    _count(report, mine)


class _Redo(Exception):
    """An order failed in a chunk applied without savepoints: redo the chunk with them."""


def _apply_plainly(uow: UnitOfWork, loaded: Loaded, order_id: int, mine: Sequence[Decision],
                   now: datetime, report: RoundReport) -> None:
    """One order's decisions without a savepoint (each costs two statements an order). A stale
    order is safe here: the version check refuses before anything of it is written."""
    order = _working_copy(loaded.orders[order_id])
    try:
        opened, closed = _apply(uow, loaded, order, mine, now)
    except StaleVersion:
        report.stale += 1
        return
    except Exception as exc:
        raise _Redo from exc
    report.offers_opened += opened
    report.offers_closed += closed
    _count(report, mine)


def _apply_chunk(uows: UowFactory, loaded: Loaded, by_order: dict[int, list[Decision]],
                 ids: Sequence[int], now: datetime, report: RoundReport) -> None:
    # Almost every chunk goes through whole: first without savepoints; only when one of its
    # orders fails is the chunk rolled back and redone, each order in its own savepoint.
    part = RoundReport()
    try:
        with uows() as uow:
            for order_id in ids:
                _apply_plainly(uow, loaded, order_id, by_order[order_id], now, part)
            uow.commit()
    except _Redo:
        pass
    else:
        report.add(part)
        return
    with uows() as uow:
        for order_id in ids:
            _apply_one(uow, loaded, order_id, by_order[order_id], now, report)
        uow.commit()


def apply_plan(uows: UowFactory, loaded: Loaded, decisions: Sequence[Decision], now: datetime,
               report: RoundReport) -> None:
    """Apply the round's decisions, a chunk of orders per unit of work from `uows`."""
    by_order: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_order[decision.order_id].append(decision)
    ids = sorted(by_order)  # rows locked in id order everywhere: no deadlock with bulk assigns
    for start in range(0, len(ids), CHUNK):
        chunk, part = ids[start:start + CHUNK], RoundReport()
        try:
            _apply_chunk(uows, loaded, by_order, chunk, now, part)
        except Exception as exc:
            if transient(exc) or len(chunk) == 1:
                raise
            # The commit failed (an order's events): each order in its own transaction, so
            # only the one whose change cannot be stored is lost (and goes to a person).
            log.warning("dispatch: a chunk failed at commit (%s); one order at a time",
                        error_text(exc))
            part = RoundReport()
            for order_id in chunk:
                try:
                    _apply_chunk(uows, loaded, by_order, [order_id], now, part)
                except Exception as one:
                    if transient(one):
                        raise
                    part.failed += 1
                    log.error("dispatch: order %s not changed: %s", order_id, error_text(one))
                    with uows() as uow:
                        _to_person(uow, order_id, loaded.orders[order_id].version,
                                   error_text(one), now, part)
                        uow.commit()
        report.add(part)
