"""The grab pool's offers as stored: opened, closed and found by the dispatcher.

Every function runs inside the caller's session and transaction and never commits, so an
offer changes together with the order event that caused it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from core.dispatch.policy import RegionPolicy
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.model import ServiceOrder
from core.storage.tables import GrabOfferRecord, OrderRecord

OPEN = "open"
CLAIMED = "claimed"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
STATUSES = (OPEN, CLAIMED, EXPIRED, WITHDRAWN)


def open_offer_for(session: Session, order_id: int) -> GrabOfferRecord | None:
    """The order's open offer, if it has one (an order has at most one open offer)."""
    return session.scalar(
        select(GrabOfferRecord)
        .where(GrabOfferRecord.order_id == order_id, GrabOfferRecord.status == OPEN)
        .order_by(GrabOfferRecord.id.desc())
        .limit(1)
    )


def open_offer(session: Session, order: ServiceOrder, policy: RegionPolicy, now: datetime,
               minutes: int) -> GrabOfferRecord:
    """Offer the order in the pool for `minutes`; idempotent: an open offer is returned as is."""
    if order.id is None:
        raise ValueError("an order must be stored before it is offered")
    existing = open_offer_for(session, order.id)
    if existing is not None:
        return existing
    price = order.grab_price_fen
    floor = policy.grab_floor_fen
    offer = GrabOfferRecord(
        order_id=order.id,
        county_adcode=order.county_adcode or "",
        offered_at=now,
        expires_at=now + timedelta(minutes=minutes),
        price_fen=price,
        floor_fen=floor,
        below_floor=price is not None and price < floor,
        status=OPEN,
        claimed_by=None,
        closed_at=None,
        views=0,
        claim_attempts=0,
    )
    session.add(offer)
    session.flush()  # the caller may need the id (and a second call must find this row)
    return offer


def due_offers(session: Session, now: datetime) -> list[GrabOfferRecord]:
    """Open offers whose time is up: nobody claimed them."""
    return list(session.scalars(
        select(GrabOfferRecord)
        .where(GrabOfferRecord.status == OPEN, GrabOfferRecord.expires_at <= now)
        .order_by(GrabOfferRecord.expires_at, GrabOfferRecord.id)
    ))


def close_offer(session: Session, offer_id: int, status: str, now: datetime) -> bool:
    """Close an open offer (expired or withdrawn); False when it was no longer open."""
    if status not in (EXPIRED, WITHDRAWN, CLAIMED):
        raise ValueError(f"an offer cannot close as '{status}'")
    # Conditional on 'open' so a claim racing the dispatcher is never overwritten.
    result = session.execute(
        update(GrabOfferRecord)
        .where(GrabOfferRecord.id == offer_id, GrabOfferRecord.status == OPEN)
        .values(status=status, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    changed = result.rowcount == 1
    if changed:
        _refresh_if_loaded(session, offer_id)
    return changed


def stale_offers(session: Session) -> list[GrabOfferRecord]:
    """Open offers whose order has left the pool (another mode, assigned, cancelled...)."""
    in_pool = and_(
        OrderRecord.state == OrderState.DISPATCHING.value,
        OrderRecord.dispatch_mode == DispatchMode.GRAB.value,
    )
    return list(session.scalars(
        select(GrabOfferRecord)
        .join(OrderRecord, OrderRecord.id == GrabOfferRecord.order_id)
        .where(GrabOfferRecord.status == OPEN,
               or_(~in_pool, OrderRecord.dispatch_mode.is_(None)))
        .order_by(GrabOfferRecord.id)
    ))


def latest_offer(session: Session, order_id: int) -> GrabOfferRecord | None:
    """The order's newest offer in any status (a claim on a closed one is refused by its status)."""
    return session.scalar(
        select(GrabOfferRecord).where(GrabOfferRecord.order_id == order_id)
        .order_by(GrabOfferRecord.id.desc()).limit(1)
    )


class OfferState(NamedTuple):
    """An offer's claim-relevant columns, read without loading the row as an object."""

    id: int
    status: str
    claimed_by: int | None
    expires_at: datetime


def latest_offer_state(session: Session, order_id: int) -> OfferState | None:
    """The order's newest offer as a claim sees it; columns only: every claimant reads this."""
    G = GrabOfferRecord
    row = session.execute(
        select(G.id, G.status, G.claimed_by, G.expires_at).where(G.order_id == order_id)
        .order_by(G.id.desc()).limit(1)
    ).first()
    return None if row is None else OfferState(row[0], row[1], row[2], row[3])


def lock_order(session: Session, order_id: int) -> None:
    """Take the order's row lock (PostgreSQL; SQLite's write transaction already excludes all).

    A claim locks the order before the offer, as the dispatcher does (it saves the order's
    escalation, then closes the offer): the same order everywhere, so the two never deadlock.
    """
    session.execute(select(OrderRecord.id).where(OrderRecord.id == order_id).with_for_update())


class Attempted(NamedTuple):
    """The offer as a claim attempt found it (under its row lock on PostgreSQL)."""

    status: str
    claimed_by: int | None
    expires_at: datetime
    price_fen: int | None  # what the offer shows: the price a claim agrees to


def count_attempt(session: Session, offer_id: int) -> Attempted | None:
    """One more claim attempt on the offer, won or lost; the offer's status as it now stands.

    On PostgreSQL this takes the offer's row lock, so claimants queue here, in order, and each
    then sees the status the one before it left.
    """
    row = session.execute(
        update(GrabOfferRecord).where(GrabOfferRecord.id == offer_id)
        .values(claim_attempts=GrabOfferRecord.claim_attempts + 1)
        .returning(GrabOfferRecord.status, GrabOfferRecord.claimed_by,
                   GrabOfferRecord.expires_at, GrabOfferRecord.price_fen)
        .execution_options(synchronize_session=False)
    ).first()
    return None if row is None else Attempted(row[0], row[1], row[2], row[3])


def add_attempts(session: Session, offer_id: int, attempts: int) -> None:
    """Count `attempts` more claims on the offer at once (refusals decided without its lock).

    Additive, so tallies written by several processes at once never lose a count.
    """
    session.execute(
        update(GrabOfferRecord).where(GrabOfferRecord.id == offer_id)
        .values(claim_attempts=GrabOfferRecord.claim_attempts + attempts)
        .execution_options(synchronize_session=False)
    )


def take(session: Session, offer_id: int, technician_id: int, now: datetime) -> bool:
    """Claim the offer for the technician if it is still open and unexpired; True: they won.

    One conditional UPDATE: on PostgreSQL a second claimant blocks on the row and then finds
    status 'claimed' (0 rows); on SQLite the write transaction (BEGIN IMMEDIATE) already
    serialises claimants. Either way exactly one claim changes the row.
    """
    result = session.execute(
        update(GrabOfferRecord)
        .where(GrabOfferRecord.id == offer_id, GrabOfferRecord.status == OPEN,
               GrabOfferRecord.expires_at > now)
        .values(status=CLAIMED, claimed_by=technician_id, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    won = result.rowcount == 1
    if won:
        _refresh_if_loaded(session, offer_id)
    return won


def _refresh_if_loaded(session: Session, offer_id: int) -> None:
    """A bulk UPDATE bypasses the identity map; expire a loaded copy so it reads the new status."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, GrabOfferRecord) and obj.id == offer_id:
            session.expire(obj)
