"""Who may take an offer from the grab pool: the hard rules, checked per technician and order.

The same checks decide what a technician's list shows and whether a claim is admitted, so a
technician can never claim an order the list would not have shown them. The rules are
core.dispatch.eligibility's (the ones ranking and central dispatch apply); this module reads
the rows they judge. Messages are Chinese first with the English kept after it (technicians
read them; developers read logs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.dispatch import eligibility
from core.dispatch.eligibility import Break, Job, Rule, Worker, city_of, first_break, has_room
from core.dispatch.eligibility_text import for_technician
from core.dispatch.policy import RegionPolicy
from core.storage.dispatch.policies import effective_for
from core.storage.dispatch.refusals import releases
from core.storage.people.accounts import BUSY_STATES
from core.storage.tables import OrderRecord, TechnicianRecord


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
        """The city's four-digit adcode prefix (core.dispatch.eligibility's city test)."""
        return city_of(self.record.county_adcode)


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
        return for_technician(Break(Rule.INACTIVE))
    load = _load(session, technician_id)
    if has_room(load, row.daily_capacity):
        return None
    return for_technician(Break(Rule.FULL, load=load, capacity=max(row.daily_capacity, 0)))


def turned_down(session: Session, technician_id: int, order_ids: Iterable[int]) -> set[int]:
    """The orders among `order_ids` this technician refused, let time out or had taken back
    before (core.dispatch.refusals): the pool does not offer them to them again."""
    return {r.order_id for r in releases(session, order_ids=order_ids)
            if r.what.technician_id == technician_id}


def distance_km(who: Claimant, order: OrderRecord) -> float | None:
    """From the technician's home to the order; None when the order has no coordinates."""
    return eligibility.distance_km(who.record.home_lng, who.record.home_lat, order.lng, order.lat)


def why_not(who: Claimant, order: OrderRecord, policy: RegionPolicy, *,
            refused_before: bool) -> str | None:
    """Why this technician may not take the order (the first rule of core.dispatch.eligibility
    it breaks, in the technician's words), or None when they may."""
    tech = who.record
    job = Job(order.county_adcode, tuple(order.skills or ()), order.service_type or None,
              order.lng, order.lat, frozenset({tech.id}) if refused_before else frozenset())
    worker = Worker(tech.id, tech.county_adcode or "", tuple(tech.skills or ()),
                    tuple(tech.qualifications or ()), tech.home_lng, tech.home_lat,
                    tech.daily_capacity, who.load_today, bool(tech.active))
    found = first_break(job, worker, policy)
    return None if found is None else for_technician(found)


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
