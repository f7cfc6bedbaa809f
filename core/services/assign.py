"""A person assigns an order to a technician: one handler behind both routes (an order's
`assign` action and the desk's bulk assignment).

The chosen technician is ranked by the county's policy first, in a read transaction: the
ranking reads every technician and the order's history, and the write lock (all of SQLite) is
not held meanwhile. The write then applies the choice if the order is still the version the
ranking read; the event keeps why (the ranking's reasons and terms) and the rules the person
broke knowingly. Each order is its own unit of work: in a bulk assignment one order's problem
is that order's result, never the others'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.contracts.dispatch import CandidateOut
from core.errors import Conflict, Invalid, LastmileError
from core.orders import commands as c
from core.orders.errors import Forbidden, OrderError, StaleVersion
from core.orders.model import Actor, ServiceOrder
from core.services.candidates import ranked_candidates
from core.services.orders import load_visible
from core.sla.deadlines import reply_due
from core.storage.dispatch.policies import effective_for
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork
from core.text import both, with_words


@dataclass(frozen=True)
class AssignOrder:
    """Give an order to a technician, based on the version the person has seen."""

    order_id: int
    version: int
    actor: Actor
    reason: str = ""
    technician_id: int | None = None  # None: the order's best eligible candidate
    pinned: bool | None = None  # None: pinned (automatic dispatch never undoes a person)


@dataclass(frozen=True)
class Assigned:
    order: ServiceOrder
    chosen: CandidateOut


@dataclass(frozen=True)
class AssignOutcome:
    """One order's result in a bulk assignment (status as HTTP would answer it alone)."""

    order_id: int
    status: int
    detail: str
    order_no: str = ""
    technician_id: int | None = None
    technician_name: str = ""
    current_version: int | None = None


@dataclass
class _Seen:
    """What an attempt learnt before it failed: the order's number for the desk's message."""

    order_no: str = ""


def _stale(order_no: str, current: int | None) -> Conflict:
    return Conflict(f"工单 {order_no} 已被他人改动，请刷新后再派 (the order changed meanwhile; "
                    f"current version {current})", current_version=current)


def _pick(ranked: list[CandidateOut], wanted: int | None, order: ServiceOrder) -> CandidateOut:
    """The candidate asked for, or the best eligible one."""
    if wanted is not None:
        chosen = next((r for r in ranked if r.technician.id == wanted), None)
        if chosen is None:
            raise Invalid(f"没有在岗的师傅 {wanted} (there is no active technician {wanted})",
                          loc=("body", "technician_id"))
        return chosen
    best = next((r for r in ranked if r.eligible and r.technician.id != order.technician_id),
                None)
    if best is None:
        raise Invalid("没有符合全部规则的师傅，请手动选择 (no technician meets every rule; "
                      "choose one by hand)")
    return best


def reason_of(said: str, chosen: CandidateOut) -> str:
    """The event's why: the ranking's reasons and the rules broken on purpose, 中文 (English),
    then the person's words as typed (core.text.with_words)."""
    zh = f"人工派单：{'、'.join(chosen.reasons)}"
    en = f"assigned by hand: {', '.join(chosen.reasons_en or chosen.reasons)}"
    if chosen.breaks:
        zh += f"，明知违反：{'、'.join(chosen.breaks)}"
        en += f"; rules broken knowingly: {', '.join(chosen.breaks_en or chosen.breaks)}"
    return with_words(both(zh, en), said)


def _choose(cmd: AssignOrder, reads: Session, now: datetime,
            seen: _Seen) -> tuple[ServiceOrder, CandidateOut, int]:
    """Rank in a read transaction: (the order as read, the choice, the reply minutes)."""
    try:
        order = load_visible(OrderRepository(reads), cmd.order_id, cmd.actor)
        seen.order_no = order.order_no
        if order.version != cmd.version:
            raise _stale(order.order_no, order.version)
        chosen = _pick(ranked_candidates(reads, order, now), cmd.technician_id, order)
        return order, chosen, effective_for(reads, order.county_adcode).policy.accept_minutes
    finally:
        reads.rollback()  # no read snapshot held while writing, or into the next order


def _assign(cmd: AssignOrder, uow: UnitOfWork, reads: Session, seen: _Seen) -> Assigned:
    now = uow.clock.now()
    read, chosen, reply_minutes = _choose(cmd, reads, now, seen)
    with uow:
        order = uow.orders.get(cmd.order_id)
        if order is None or order.version != read.version:
            # Changed while we ranked: the ranking may no longer fit it.
            raise _stale(read.order_no, order.version if order is not None else None)
        order.apply(c.Assign(
            technician_id=chosen.technician.id, technician_name=chosen.technician.name,
            pinned=True if cmd.pinned is None else cmd.pinned, terms=chosen.terms,
            accept_by=reply_due(now, reply_minutes),
        ), cmd.actor, now, reason_of(cmd.reason, chosen))
        uow.orders.save(order)  # the version check again, in the database
        uow.commit()
    return Assigned(order, chosen)


def assign_order(cmd: AssignOrder, uow: UnitOfWork) -> Assigned:
    """Rank, choose and assign one order; raises what refuses it (core.errors, OrderError).

    The ranking runs in the unit of work's read session (no write lock), rolled back after."""
    with uow.reads() as reads:
        return _assign(cmd, uow, reads, _Seen())


def _failure(cmd: AssignOrder, exc: LastmileError | OrderError, seen: _Seen) -> AssignOutcome:
    if isinstance(exc, LastmileError):
        status, detail, current = exc.status, exc.message, exc.current_version
    elif isinstance(exc, StaleVersion):
        status, detail, current = 409, _stale(seen.order_no, exc.current).message, exc.current
    else:
        status, detail, current = (403 if isinstance(exc, Forbidden) else 422), str(exc), None
    return AssignOutcome(order_id=cmd.order_id, status=status, detail=detail,
                         order_no=seen.order_no, technician_id=cmd.technician_id,
                         current_version=current)


def assign_each(cmds: Sequence[AssignOrder], uow: UnitOfWork) -> list[AssignOutcome]:
    """Each order in its own transaction, one result each; never raises for an order's own
    problems (not found, changed meanwhile, no candidate, refused by the rules)."""
    with uow.reads() as reads:
        return [_assign_one(cmd, uow, reads) for cmd in cmds]


def _assign_one(cmd: AssignOrder, uow: UnitOfWork, reads: Session) -> AssignOutcome:
    seen = _Seen()
    try:
        done = _assign(cmd, uow, reads, seen)
    except (LastmileError, OrderError) as exc:
        return _failure(cmd, exc, seen)
    return AssignOutcome(
        order_id=cmd.order_id, status=200, detail=f"已派给{done.chosen.technician.name}",
        order_no=done.order.order_no, technician_id=done.chosen.technician.id,
        technician_name=done.chosen.technician.name)
