"""The grab pool as the desk watches it: counts by status and the newest offers."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contracts.dispatch import PoolOfferRow, PoolSummary
from core.storage.grab.pool import STATUSES
from core.storage.tables import GrabOfferRecord, OrderRecord, TechnicianRecord

G = GrabOfferRecord


def pool_summary(session: Session, status: str | None = None, limit: int = 200) -> PoolSummary:
    """Counts over every offer; rows (newest first) only of `status` when given."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown offer status '{status}'")
    counts = dict.fromkeys(STATUSES, 0)
    for name, n in session.execute(select(G.status, func.count()).group_by(G.status)).all():
        counts[name] = int(n)
    views, attempts, below = session.execute(
        select(func.coalesce(func.sum(G.views), 0), func.coalesce(func.sum(G.claim_attempts), 0),
               func.count().filter(G.below_floor.is_(True)))
    ).one()
    stmt = (
        select(G, OrderRecord.order_no, OrderRecord.county_name, TechnicianRecord.name)
        .join(OrderRecord, OrderRecord.id == G.order_id)
        .outerjoin(TechnicianRecord, TechnicianRecord.id == G.claimed_by)
        .order_by(G.offered_at.desc(), G.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(G.status == status)
    rows = [
        PoolOfferRow(
            offer_id=offer.id, order_id=offer.order_id, order_no=order_no,
            county_adcode=offer.county_adcode, county_name=county_name or "",
            status=offer.status, offered_at=offer.offered_at, expires_at=offer.expires_at,
            closed_at=offer.closed_at, price_fen=offer.price_fen, floor_fen=offer.floor_fen,
            below_floor=offer.below_floor, views=offer.views,
            claim_attempts=offer.claim_attempts, claimed_by=offer.claimed_by,
            claimed_by_name=name or "",
        )
        for offer, order_no, county_name, name in session.execute(stmt).all()
    ]
    return PoolSummary(
        open=counts["open"], claimed=counts["claimed"], expired=counts["expired"],
        withdrawn=counts["withdrawn"], views=int(views), claim_attempts=int(attempts),
        below_floor=int(below), rows=rows,
    )
