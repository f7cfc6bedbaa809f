"""The grab pool: technicians list and claim offers; the desk's pool monitor.

Claim refusals (each changes nothing but the offer's attempt counter):
  404  the order was never offered in the pool (or does not exist);
  403  an offer exists but is not open to this technician (city, skills, capacity, distance,
       refused before...), with the reason;
  409  someone else took it (or the caller already has), or `version` is not the order's;
  410  the offer expired, was withdrawn, or the order left the pool.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from core.contracts.dispatch import ClaimOut, GrabOfferOut, PoolSummary
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.model import ServiceOrder
from core.server.deps import CurrentUser, DbSession, DeskUser, Now, TechnicianUser, Uow
from core.server.params import Int64, PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES, ProblemError, field_error
from core.sla.deadlines import reply_due
from core.storage.grab_eligibility import (
    Claimant,
    Policies,
    claimant,
    full_now,
    turned_down,
    why_not,
)
from core.storage.grab_listing import open_offers_for, record_views, unseen
from core.storage.grab_monitor import pool_summary
from core.storage.grab_pool import (
    CLAIMED,
    EXPIRED,
    OPEN,
    STATUSES,
    WITHDRAWN,
    Attempted,
    count_attempt,
    latest_offer,
    lock_order,
    take,
)
from core.storage.tables import OrderRecord
from core.storage.views import order_row

router = APIRouter(prefix="/v1", tags=["grab pool"])
CLAIM_REASON = "抢单 (claimed from the grab pool)"
ACCEPT_REASON = "抢单即接单 (a grab is the technician's acceptance)"
_CLAIM_RESPONSES = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "already taken, or the order changed"},
    410: PROBLEM_RESPONSES[422] | {"description": "the offer expired or was withdrawn"},
}


def _problem(status: int, detail: str, *, current_version: int | None = None) -> ProblemError:
    return ProblemError(status, detail, current_version=current_version)


def _who(session: Session, user: CurrentUser) -> Claimant:
    found = claimant(session, user.technician_id) if user.technician_id is not None else None
    if found is None:
        raise _problem(403, "此账号未关联师傅 (this login is not linked to a technician)")
    return found


@router.get("/grab/offers", response_model=list[GrabOfferOut], responses=PROBLEM_RESPONSES)
def list_offers(user: TechnicianUser, session: DbSession, uow: Uow, now: Now,
                limit: PageSize = 100) -> list[GrabOfferOut]:
    """Open offers the caller may claim, nearest first; the address stops at the street."""
    who = _who(session, user)
    tech_id = who.id
    offers = open_offers_for(session, who, now)[:limit]  # only listed ones count as seen
    new = unseen(session, tech_id, [o.offer_id for o in offers])
    session.rollback()  # no read transaction held open while waiting for the write lock
    if new:
        # A write only for first views, so refreshing the list stays a pure read.
        with uow:
            record_views(uow.session, tech_id, new, now)
            uow.commit()
    return offers


def _gone(offer: Attempted, technician_id: int, now_expired: bool) -> ProblemError:
    """Why a claim on an offer that is no longer open failed."""
    if offer.status == CLAIMED:
        if offer.claimed_by == technician_id:
            return _problem(409, "你已抢到此单 (you have already claimed this order)")
        return _problem(409, "手慢了，此单已被其他师傅抢走 (already taken by another technician)")
    if offer.status == WITHDRAWN:
        return _problem(410, "此单已撤出抢单池 (the offer was withdrawn)")
    if now_expired or offer.status == EXPIRED:
        return _problem(410, "此单抢单时间已过 (the offer has expired)")
    return _problem(410, "此单已不在抢单池中 (the offer is closed)")


def _ineligible(session: Session, who: Claimant, order_id: int) -> ProblemError | None:
    order = session.get(OrderRecord, order_id)
    if order is None:
        return _problem(404, f"没有订单 {order_id} (there is no order {order_id})")
    reason = why_not(who, order, Policies(session).of(order.county_adcode),
                     refused_before=bool(turned_down(session, who.id, [order_id])))
    if reason is None:
        return None
    return _problem(403, f"此单未向你开放：{reason}")


def _order_refusal(order: ServiceOrder | None, version: int | None) -> ProblemError | None:
    if order is None:
        return _problem(404, "没有这个订单 (there is no such order)")
    if order.state is not OrderState.DISPATCHING or order.dispatch_mode is not DispatchMode.GRAB:
        return _problem(410, "此单已离开抢单池 (the order is no longer in the grab pool)")
    if version is not None and version != order.version:
        return _problem(409, f"订单已变更，请刷新后再抢 (order {order.id} changed meanwhile: "
                             f"you had version {version}, current is {order.version})",
                        current_version=order.version)
    return None


def _claim_queue(session: Session) -> AbstractContextManager[object]:
    """On SQLite, this process's claimants queue on a mutex before BEGIN IMMEDIATE.

    SQLite hands its write lock to whichever waiter polls first, and its busy handler sleeps
    up to 100 ms between polls: hundreds of claimants polling it leave the lock idle between
    holders, starve some past the busy timeout (503), and slow the winner. Behind a mutex only
    one claimant per process polls; PostgreSQL queues claimants on the row locks instead.
    """
    return _SQLITE_CLAIMS if session.get_bind().dialect.name == "sqlite" else nullcontext()


_SQLITE_CLAIMS = threading.Lock()


@router.post("/grab/offers/{order_id}/claim", response_model=ClaimOut,
             responses=_CLAIM_RESPONSES)
def claim_offer(
    order_id: RowId, user: TechnicianUser, uow: Uow, session: DbSession, now: Now,
    version: Annotated[Int64 | None, Query(ge=0, description="the order version listed")] = None,
) -> ClaimOut:
    """Claim an offered order: exactly one of any number of simultaneous claims wins."""
    if user.technician_id is None:
        raise _problem(403, "此账号未关联师傅 (this login is not linked to a technician)")
    tech_id, tech_name = user.technician_id, user.display_name
    offer = latest_offer(session, order_id)
    if offer is None:
        raise _problem(404, f"此单不在抢单池中 (order {order_id} is not offered in the pool)")
    offer_id = offer.id
    refusal = None
    if offer.status == OPEN and offer.expires_at > now:
        # Eligibility is read before the write transaction, so the write lock is held briefly;
        # an offer already closed needs no such check (the losers of a race skip it).
        who = _who(session, user)
        tech_name = who.record.name
        refusal = _ineligible(session, who, order_id)
    # End the read snapshot: the read-back below must see the claim. Nothing read through
    # this session may be touched until then (an expired attribute would begin a new one).
    session.rollback()
    with _claim_queue(session), uow:
        s = uow.session
        lock_order(s, order_id)
        found = count_attempt(s, offer_id)  # claimants queue on these row locks (PostgreSQL)
        assert found is not None  # offers are never deleted
        if refusal is None and (found.status != OPEN or found.expires_at <= now):
            refusal = _gone(found, tech_id, found.expires_at <= now)
        order = uow.orders.get(order_id) if refusal is None else None
        if refusal is None:
            refusal = _order_refusal(order, version)
        if refusal is None:
            # Capacity again, under the technician's row lock: claims on other orders may have
            # committed since eligibility was read (locks: order, offer, technician; always so).
            full = full_now(s, tech_id)
            refusal = _problem(403, f"此单未向你开放：{full}") if full else None
        if refusal is None and not take(s, offer_id, tech_id, now):
            # Cannot happen (the row is ours and was open), but never claim without the row.
            refusal = _problem(409, "手慢了，此单已被其他师傅抢走 (already taken)")
        if refusal is not None:
            uow.commit()  # the attempt counts; nothing else changed
            raise refusal
        assert order is not None
        policy = Policies(s).of(order.county_adcode)
        order.perform("claim", user.actor, now, CLAIM_REASON, technician_id=tech_id,
                      technician_name=tech_name, offer_price_fen=found.price_fen,
                      accept_by=reply_due(now, policy.accept_minutes))
        order.perform("accept", user.actor, now, ACCEPT_REASON)
        uow.orders.save(order)
        uow.commit()
    row = order_row(session, order_id)
    assert row is not None
    return ClaimOut(order_id=order_id, technician_id=tech_id, accept_by=order.accept_by,
                    order=row, offer_id=offer_id, claimed_at=now)


@router.get("/grab/pool", response_model=PoolSummary, responses=PROBLEM_RESPONSES)
def pool(
    user: DeskUser, session: DbSession,
    status: Annotated[str | None, Query(description="open | claimed | expired | withdrawn")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PoolSummary:
    """The pool monitor: counts over all offers, and the newest offers (of one status)."""
    if status is not None and status not in STATUSES:
        raise field_error(422, ["query", "status"],
                          f"状态只能是 {' | '.join(STATUSES)} (unknown status '{status}')")
    return pool_summary(session, status, limit)

