"""Who may take an offer from the grab pool: the hard rules, checked per technician and order.

The same checks decide what a technician's list shows and whether a claim is admitted, so a
technician can never claim an order the list would not have shown them. Messages are Chinese
first with the English kept after it (technicians read them; developers read logs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.dispatch.policy import RegionPolicy
from core.geo.distance import haversine_km
from core.storage.dispatch_policies import effective_for
from core.storage.people import BUSY_STATES
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord

# A technician who refused an order, or let it time out, is not offered it again.
_TURNED_DOWN = ("refuse", "withdraw")


@dataclass(frozen=True)
class Claimant:
    """A technician as the pool sees them: who, where, and how much they hold right now."""

    record: TechnicianRecord
    load_today: int

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def city(self) -> str:
        return (self.record.county_adcode or "")[:4]


def _load(session: Session, technician_id: int) -> int:
    """Orders the technician holds now; one count via ix_orders_technician."""
    load = session.scalar(
        select(func.count()).select_from(OrderRecord).where(
            OrderRecord.technician_id == technician_id,
            OrderRecord.state.in_([s.value for s in BUSY_STATES]),
        )
    )
    return int(load or 0)


def claimant(session: Session, technician_id: int) -> Claimant | None:
    record = session.get(TechnicianRecord, technician_id)
    if record is None:
        return None
    return Claimant(record, _load(session, technician_id))


def full_now(session: Session, technician_id: int) -> str | None:
    """Inside the claim's write transaction: why the technician may take no more orders now
    (capacity or active), or None. Eligibility is read before that transaction, so two claims
    on different orders could both pass it; this check, under the technician's row lock, is the
    one that counts. FOR NO KEY UPDATE: an assignment's foreign-key check (KEY SHARE) on the
    same row does not wait for it."""
    row = session.execute(
        select(TechnicianRecord.daily_capacity, TechnicianRecord.active)
        .where(TechnicianRecord.id == technician_id)
        .with_for_update(key_share=True)
    ).first()
    if row is None or not row.active:
        return "你的账号已停用 (the technician is not active)"
    return _full(_load(session, technician_id), row.daily_capacity)


def _full(load: int, capacity: int) -> str | None:
    if load < capacity:
        return None
    return f"今日单量已满（{load}/{capacity}） (no capacity left today)"


def turned_down(session: Session, technician_id: int, order_ids: Iterable[int]) -> set[int]:
    """The orders among `order_ids` this technician refused or let time out before."""
    ids = list(order_ids)
    if not ids:
        return set()
    rows = session.execute(
        select(OrderEventRecord.order_id, OrderEventRecord.data).where(
            OrderEventRecord.order_id.in_(ids), OrderEventRecord.kind.in_(_TURNED_DOWN)
        )
    ).all()
    # Filtered here, not in SQL: JSON paths differ between SQLite and PostgreSQL, and an
    # order has only a handful of such events.
    return {oid for oid, data in rows
            if (data or {}).get("previous_technician_id") == technician_id}


def distance_km(who: Claimant, order: OrderRecord) -> float | None:
    """From the technician's home to the order; None when the order has no coordinates."""
    if order.lng is None or order.lat is None:
        return None
    return haversine_km(who.record.home_lng, who.record.home_lat, order.lng, order.lat)


def why_not(who: Claimant, order: OrderRecord, policy: RegionPolicy, *,
            refused_before: bool) -> str | None:
    """Why this technician may not take the order, or None when they may."""
    tech = who.record
    if not tech.active:
        return "你的账号已停用 (the technician is not active)"
    if who.city != (order.county_adcode or "")[:4]:
        return "此单不在你所在的城市 (the order is in another city)"
    service = order.service_type or ""
    needed = set(order.skills or ()) | set(policy.required_skills.get(service, ()))
    missing = sorted(needed - set(tech.skills or ()))
    if missing:
        return f"缺少技能：{'、'.join(missing)} (missing skills: {', '.join(missing)})"
    missing = sorted(set(policy.required_qualifications.get(service, ()))
                     - set(tech.qualifications or ()))
    if missing:
        return (f"缺少资质：{'、'.join(missing)} "
                f"(missing qualifications: {', '.join(missing)})")
    full = _full(who.load_today, tech.daily_capacity)
    if full is not None:
        return full
    far = distance_km(who, order)
    if policy.max_distance_km > 0 and far is not None and far > policy.max_distance_km:
        return (f"距离 {far:.1f} 公里，超出 {policy.max_distance_km} 公里上限 "
                f"(too far: {far:.1f} km > {policy.max_distance_km} km)")
    if refused_before:
        return "你曾拒绝或超时未接此单 (you refused or let this order time out before)"
    return None


class Policies:
    """Effective policies per county, read once per request."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, RegionPolicy] = {}

    def of(self, county_adcode: str | None) -> RegionPolicy:
        key = county_adcode or ""
        if key not in self._cache:
            self._cache[key] = effective_for(self._session, key).policy
        return self._cache[key]
