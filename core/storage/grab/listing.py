"""What the grab pool shows a technician: the open offers they may take, nearest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.contracts.dispatch import GrabOfferOut
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.privacy import street_only
from core.storage.grab.eligibility import Claimant, Policies, distance_km, turned_down, why_not
from core.storage.grab.pool import OPEN
from core.storage.tables import GrabOfferRecord, GrabViewRecord, OrderRecord

# One masking rule (core.orders.privacy): the street before a claim, as finance sees it.
address_hint = street_only


def open_offers_for(session: Session, who: Claimant, now: datetime) -> list[GrabOfferOut]:
    """Open, unexpired offers this technician may claim, nearest first."""
    if not who.record.active or not who.city:
        return []
    rows = session.execute(
        select(GrabOfferRecord, OrderRecord)
        .join(OrderRecord, OrderRecord.id == GrabOfferRecord.order_id)
        .where(
            GrabOfferRecord.status == OPEN,
            GrabOfferRecord.expires_at > now,
            # Only the technician's city: the prefix keeps the scan small.
            GrabOfferRecord.county_adcode.startswith(who.city, autoescape=True),
            OrderRecord.state == OrderState.DISPATCHING.value,
            OrderRecord.dispatch_mode == DispatchMode.GRAB.value,
        )
    ).all()
    refused = turned_down(session, who.id, (order.id for _, order in rows))
    policies = Policies(session)
    found: list[GrabOfferOut] = []
    for offer, order in rows:
        if why_not(who, order, policies.of(order.county_adcode),
                   refused_before=order.id in refused) is not None:
            continue
        far = distance_km(who, order)
        found.append(GrabOfferOut(
            order_id=order.id, order_no=order.order_no,
            service_type=order.service_type or None, county_name=order.county_name,
            address_hint=address_hint(order.address, order.county_name),
            distance_km=round(far, 2) if far is not None else None,
            price_fen=offer.price_fen, below_floor=offer.below_floor,
            offered_at=offer.offered_at, expires_at=offer.expires_at,
            offer_id=offer.id, version=order.version, skills=list(order.skills or []),
        ))
    found.sort(key=lambda o: (o.distance_km is None, o.distance_km or 0.0, o.expires_at))
    return found


def unseen(session: Session, technician_id: int, offer_ids: list[int]) -> list[int]:
    """Which of these offers this technician has not been shown before."""
    if not offer_ids:
        return []
    seen = set(session.scalars(
        select(GrabViewRecord.offer_id).where(
            GrabViewRecord.technician_id == technician_id,
            GrabViewRecord.offer_id.in_(offer_ids),
        )
    ))
    return [i for i in offer_ids if i not in seen]


def record_views(session: Session, technician_id: int, offer_ids: list[int],
                 now: datetime) -> int:
    """Count a first view per technician and offer; returns how many were new."""
    new = 0
    for offer_id in offer_ids:
        # The unique (offer, technician) pair decides when two lists race: one insert wins.
        stmt = _insert(session).values(offer_id=offer_id, technician_id=technician_id, at=now)
        # RETURNING, not rowcount: PostgreSQL reports -1 for an ORM insert ... on conflict.
        inserted = session.scalar(stmt.on_conflict_do_nothing(
            index_elements=["offer_id", "technician_id"]).returning(GrabViewRecord.id))
        if inserted is not None:
            new += 1
            session.execute(
                update(GrabOfferRecord).where(GrabOfferRecord.id == offer_id)
                .values(views=GrabOfferRecord.views + 1)
                .execution_options(synchronize_session=False)
            )
    return new


def _insert(session: Session) -> PgInsert | SqliteInsert:
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(GrabViewRecord)
    return sqlite_insert(GrabViewRecord)

