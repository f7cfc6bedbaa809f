"""The grab pool's use cases: a technician lists open offers and claims one; the desk watches.

Claim refusals (each changes nothing but the offer's attempt counter):
  404  the order was never offered in the pool (or does not exist);
  403  an offer exists but is not open to this technician (city, skills, capacity, distance,
       refused before...), with the reason;
  409  someone else took it (or the caller already has), or `version` is not the order's;
  410  the offer expired, was withdrawn, or the order left the pool.

A claim is decided in two phases. The read phase, in a short plain session, answers every
claim it can without the write lock: an offer already claimed, expired or withdrawn (nearly
all the losers of a race), and a technician the offer is not open to; their attempt goes to
the tally, which commits many at once. Only a claim that found the offer open and itself
eligible goes on to take it, under the order's, the offer's and the technician's row locks
(always in that order) on PostgreSQL, or behind this process's claim queue and the write lock
on SQLite, where everything is checked again; refused there, it rolls back at once and its
attempt too goes to the tally. Either way every attempt is committed before it is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy.orm import Session

from core.contracts import OrderRow
from core.contracts.dispatch import GrabOfferOut, PoolSummary
from core.errors import Conflict, Gone, Invalid, LastmileError, NotFound, Refused
from core.orders.commands import Accept, Claim
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.axb import AxbProvider
from core.services.fieldwork.axb_bindings import after_lifecycle, try_now
from core.services.grab_sessions import (
    bind_of,
    claim_queue,
    tally_for,
    write_attempts,
)
from core.sla.deadlines import reply_due
from core.storage.grab.eligibility import (
    Claimant,
    Policies,
    claimant,
    full_now,
    turned_down,
    why_not,
)
from core.storage.grab.listing import open_offers_for, record_views, unseen
from core.storage.grab.monitor import pool_summary
from core.storage.grab.pool import (
    CLAIMED,
    EXPIRED,
    OPEN,
    STATUSES,
    WITHDRAWN,
    count_attempt,
    latest_offer_state,
    lock_order,
    take,
)
from core.storage.orders.views import order_row
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork
from core.text import around

CLAIM_REASON = "抢单 (claimed from the grab pool)"
ACCEPT_REASON = "抢单即接单 (a grab is the technician's acceptance)"
NOT_OPEN = ("此单未向你开放：", "not open to you: ")  # before the rule a claim breaks


class NotATechnician(Refused):
    """The caller's login is not linked to a technician."""


class NotOffered(NotFound):
    """The order has no offer in the pool (or does not exist)."""


class NotOpenToYou(Refused):
    """The offer is not open to this technician; the message says which rule."""


class AlreadyTaken(Conflict):
    """Someone (possibly the caller) has claimed the offer."""


class OrderChanged(Conflict):
    """The order is not at the version the technician listed (current_version: what it is)."""


class OfferGone(Gone):
    """The offer expired or was withdrawn, or the order left the pool."""


@dataclass(frozen=True)
class ListOffers:
    """The open offers a technician may claim, nearest first (only listed ones count as seen)."""

    technician_id: int | None
    limit: int = 100


@dataclass(frozen=True)
class ClaimOffer:
    """A technician claims an offered order; `version`: the order version they listed."""

    order_id: int
    actor: Actor  # the technician is actor.technician_id: one source, never two that disagree
    version: int | None = None
    axb: AxbProvider | None = None  # binds the virtual number at once (None: the round does)


@dataclass(frozen=True)
class ShowPool:
    """The pool monitor: counts over all offers, and the newest offers (of one status)."""

    status: str | None = None
    limit: int = 200


@dataclass(frozen=True)
class Claimed:
    """A won claim: the order is the technician's, accepted at once."""

    order_id: int
    technician_id: int
    offer_id: int
    accept_by: datetime | None
    claimed_at: datetime
    order: OrderRow


def _not_linked() -> NotATechnician:
    return NotATechnician("此账号未关联师傅 (this login is not linked to a technician)")


def _who(session: Session, technician_id: int | None) -> Claimant:
    found = claimant(session, technician_id) if technician_id is not None else None
    if found is None:
        raise _not_linked()
    return found


def handle_list_offers(cmd: ListOffers, uow: UnitOfWork) -> list[GrabOfferOut]:
    """Open offers the technician may claim, nearest first; the address stops at the street."""
    now = uow.clock.now()
    with uow:
        with uow.reads() as read:  # ends before the write: no read held while it waits
            who = _who(read, cmd.technician_id)
            offers = open_offers_for(read, who, now)[:cmd.limit]
            new = unseen(read, who.id, [o.offer_id for o in offers])
        if new:
            # A write only for first views, so refreshing the list stays a pure read.
            record_views(uow.session, who.id, new, now)
            uow.commit()
    return offers


def handle_show_pool(cmd: ShowPool, uow: UnitOfWork) -> PoolSummary:
    """Counts over every offer and the newest offers, of one status when given."""
    if cmd.status is not None and cmd.status not in STATUSES:
        raise Invalid(f"状态只能是 {' | '.join(STATUSES)} (unknown status '{cmd.status}')",
                      loc=("query", "status"))
    with uow, uow.reads() as read:
        return pool_summary(read, cmd.status, cmd.limit)


def _gone(status: str, claimed_by: int | None, technician_id: int,
          expired: bool) -> LastmileError:
    """Why a claim on an offer that is no longer open failed."""
    if status == CLAIMED:
        if claimed_by == technician_id:
            return AlreadyTaken("你已抢到此单 (you have already claimed this order)")
        return AlreadyTaken("手慢了，此单已被其他师傅抢走 (already taken by another technician)")
    if status == WITHDRAWN:
        return OfferGone("此单已撤出抢单池 (the offer was withdrawn)")
    if expired or status == EXPIRED:
        return OfferGone("此单抢单时间已过 (the offer has expired)")
    return OfferGone("此单已不在抢单池中 (the offer is closed)")


def _ineligible(session: Session, who: Claimant, order_id: int) -> LastmileError | None:
    order = session.get(OrderRecord, order_id)
    if order is None:
        return NotOffered(f"没有订单 {order_id} (there is no order {order_id})")
    reason = why_not(who, order, Policies(session).of(order.county_adcode),
                     refused_before=bool(turned_down(session, who.id, [order_id])))
    return None if reason is None else NotOpenToYou(around(reason, NOT_OPEN))


def _order_refusal(order: ServiceOrder | None, version: int | None) -> LastmileError | None:
    if order is None:
        return NotOffered("没有这个订单 (there is no such order)")
    if order.state is not OrderState.DISPATCHING or order.dispatch_mode is not DispatchMode.GRAB:
        return OfferGone("此单已离开抢单池 (the order is no longer in the grab pool)")
    if version is not None and version != order.version:
        return OrderChanged(f"订单已变更，请刷新后再抢 (order {order.id} changed meanwhile: "
                            f"you had version {version}, current is {order.version})",
                            current_version=order.version)
    return None


@dataclass(frozen=True)
class _Admitted:
    """What the read phase found for a claim that may go on to take the offer."""

    offer_id: int
    technician_name: str


def _admit(cmd: ClaimOffer, uow: UnitOfWork, technician_id: int, now: datetime) -> _Admitted:
    """The read phase: a refusal it can decide is counted (tally) and raised here."""
    with uow.reads() as read:
        offer = latest_offer_state(read, cmd.order_id)
        if offer is None:
            raise NotOffered(f"此单不在抢单池中 (order {cmd.order_id} is not offered in the pool)")
        expired = offer.expires_at <= now
        refusal: LastmileError | None
        if offer.status != OPEN or expired:
            # Closed for good (offers never reopen; a new one is a new row): no eligibility
            # to read, no lock to take. Nearly every loser of a race ends here.
            refusal = _gone(offer.status, offer.claimed_by, technician_id, expired)
        else:
            who = _who(read, technician_id)
            refusal = _ineligible(read, who, cmd.order_id)
            if refusal is None:
                return _Admitted(offer.id, who.record.name)
        offer_id = offer.id
    assert refusal is not None
    _count_and_refuse(uow, offer_id, refusal)


def _count_and_refuse(uow: UnitOfWork, offer_id: int, refusal: LastmileError) -> NoReturn:
    """Count the refused attempt (committed with others', before the answer), then refuse."""
    bind = bind_of(uow)
    tally_for(bind).count(offer_id, write_attempts(bind))
    raise refusal


def _take(cmd: ClaimOffer, uow: UnitOfWork, admitted: _Admitted, technician_id: int,
          now: datetime) -> tuple[ServiceOrder, list[int]]:
    """The write phase: lock, check again, claim and accept, commit; or count and refuse.
    The won order and the virtual-number bindings its acceptance queued."""
    s = uow.session
    refusal: LastmileError | None = None
    with claim_queue(bind_of(uow)):
        lock_order(s, cmd.order_id)
        found = count_attempt(s, admitted.offer_id)  # PostgreSQL: claimants queue on this row
        assert found is not None  # offers are never deleted
        expired = found.expires_at <= now
        if found.status != OPEN or expired:
            refusal = _gone(found.status, found.claimed_by, technician_id, expired)
        order = uow.orders.get(cmd.order_id) if refusal is None else None
        if refusal is None:
            refusal = _order_refusal(order, cmd.version)
        if refusal is None:
            # Capacity again, under the technician's row lock: claims on other orders may have
            # committed since eligibility was read (locks: order, offer, technician; always so).
            full = full_now(s, technician_id)
            refusal = NotOpenToYou(around(full, NOT_OPEN)) if full else None
        if refusal is None and not take(s, admitted.offer_id, technician_id, now):
            # Cannot happen (the row is ours and was open), but never claim without the row.
            refusal = AlreadyTaken("手慢了，此单已被其他师傅抢走 (already taken)")
        if refusal is None:
            assert order is not None
            policy = Policies(s).of(order.county_adcode)
            order.apply(Claim(technician_id=technician_id,
                              technician_name=admitted.technician_name,
                              offer_price_fen=found.price_fen,
                              accept_by=reply_due(now, policy.accept_minutes)),
                        cmd.actor, now, CLAIM_REASON, backend_reason=True)
            order.apply(Accept(), cmd.actor, now, ACCEPT_REASON, backend_reason=True)
            uow.orders.save(order)
            bindings = after_lifecycle(s, order, Accept.action, cmd.actor, now)
            uow.commit()
            return order, bindings
        # Refused under the locks: give them back at once (no commit, no disk sync while the
        # other claimants wait behind us); the attempt is counted with the tally's next batch.
        uow.rollback()
    _count_and_refuse(uow, admitted.offer_id, refusal)


def handle_claim(cmd: ClaimOffer, uow: UnitOfWork) -> Claimed:
    """Claim an offered order: exactly one of any number of simultaneous claims wins."""
    technician_id = cmd.actor.technician_id
    if technician_id is None:
        raise _not_linked()
    now = uow.clock.now()
    with uow:
        admitted = _admit(cmd, uow, technician_id, now)
        order, bindings = _take(cmd, uow, admitted, technician_id, now)
        with uow.reads() as read:  # after the commit, so it sees the claim
            row = order_row(read, cmd.order_id)
    try_now(uow, cmd.axb, bindings)  # the provider outside the claim's locks and transaction
    assert row is not None
    return Claimed(order_id=cmd.order_id, technician_id=technician_id,
                   offer_id=admitted.offer_id, accept_by=order.accept_by, claimed_at=now,
                   order=row)
