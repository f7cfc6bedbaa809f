"""Queries the desk's use cases share: technicians as the wire shows them (with their refusals)
and an order's candidates ranked by its county's policy (`handle_candidates` for one order, as
a person asks for them).

Read-only: nothing here changes state, so routers of several features (people, the dispatch
desk, technician settings) may call these without importing each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.contracts import TechnicianOut
from core.contracts.dispatch import CandidateOut
from core.dispatch.ranking import Context, OrderNeeds, Technician, rank
from core.dispatch.refusals import turned_down_times
from core.geo.regions import load_regions
from core.orders.model import Actor, ServiceOrder
from core.orders.privacy import ContactView, contact_view, shown_phone
from core.services.orders import load_visible
from core.sla.limit_types import Step
from core.storage.dispatch import desk
from core.storage.dispatch.policies import effective_for
from core.storage.dispatch.refusals import refusals, releases
from core.storage.orders.repository import OrderRepository
from core.storage.people.accounts import TechnicianView, technicians
from core.storage.sla.limits import LimitBook
from core.storage.uow import UnitOfWork

REFUSAL_WINDOW = timedelta(days=30)


def refusal_counts(session: Session, now: datetime) -> Counter[int]:
    """Per technician: refusals and acceptance timeouts in the last 30 days."""
    return Counter(r.technician_id for r in refusals(session, since=now - REFUSAL_WINDOW))


def technician_out(view: TechnicianView, refusals: int = 0,
                   contact: ContactView = ContactView.FULL) -> TechnicianOut:
    t = view.record
    county = load_regions().get(t.county_adcode)
    return TechnicianOut(
        id=t.id, name=t.name, phone=shown_phone(contact, t.phone), skills=list(t.skills),
        county_adcode=t.county_adcode, county_name=county.name if county else "",
        service_point=view.service_point, home_lng=t.home_lng, home_lat=t.home_lat,
        daily_capacity=t.daily_capacity, load_today=view.load_today, active=t.active,
        username=t.username,
        rating=float(t.rating if t.rating is not None else 4.5),
        qualifications=list(t.qualifications or []),
        refusals_30d=refusals, version=t.version or 1,
    )


def sla_due(book: LimitBook, created: datetime, county: str | None,
            service_type: str | None) -> datetime:
    """When the order must have its appointment by its county's SLA limits (core.sla.limits),
    counted from its creation."""
    return book.due(Step.APPOINTMENT, created, county, service_type)


def ranked_candidates(session: Session, order: ServiceOrder, now: datetime,
                      contact: ContactView = ContactView.FULL, *,
                      other_cities: bool = True) -> list[CandidateOut]:
    """Every active technician for the order (of its city only when not `other_cities`),
    ranked by the county's policy: eligible ones first, the others after them with the rules
    they would break (core.dispatch.ranking.standing)."""
    views = {v.record.id: v for v in technicians(session, active_only=True)}
    keys = desk.point_keys(session)
    county = order.county_adcode or ""
    released = ([r.what for r in releases(session, order_ids=[order.id])]
                if order.id is not None else [])
    needs = OrderNeeds(
        order.county_adcode, tuple(order.skills), order.lng, order.lat,
        order.service_type.value if order.service_type else None,
        appointment_due=sla_due(LimitBook(session), order.created_at, county,
                                order.service_type.value if order.service_type else None),
        refused_by=turned_down_times(released),
        taken_back_from=frozenset(r.technician_id for r in released if not r.turned_down),
    )
    pool = [
        Technician(v.record.id, tuple(v.record.skills), v.record.county_adcode,
                   v.record.home_lng, v.record.home_lat, v.record.daily_capacity, v.load_today,
                   float(v.record.rating if v.record.rating is not None else 4.5),
                   tuple(v.record.qualifications or ()), keys.get(v.record.id, ""))
        for v in views.values()
    ]
    ctx = Context(effective_for(session, county).policy, now,
                  desk.point_counts(session, county))
    refused = refusal_counts(session, now)
    return [
        CandidateOut(technician=technician_out(views[r.technician_id],
                                               refused[r.technician_id], contact), rank=n,
                     score=r.score, distance_km=r.distance_km, reasons=r.reasons,
                     breaks=r.breaks, terms=r.terms, eligible=r.eligible,
                     skills_ok=r.skills_ok, region_ok=r.region_ok,
                     has_capacity=r.has_capacity, refused_this_order=r.refused_times,
                     reasons_en=r.reasons_en, breaks_en=r.breaks_en)
        for n, r in enumerate(rank(needs, pool, load_regions(), ctx, other_cities=other_cities),
                              start=1)
    ]


@dataclass(frozen=True)
class ListCandidates:
    """An order's candidates as `actor` may see them (phones as the role's privacy view):
    technicians of the order's city, or of every city with `all_cities`."""

    order_id: int
    actor: Actor
    limit: int = 200
    all_cities: bool = False


def handle_candidates(cmd: ListCandidates, uow: UnitOfWork) -> list[CandidateOut]:
    """The order's candidates, best first (NotFound / Refused as the order's visibility says)."""
    with uow.reads() as session:
        order = load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        ranked = ranked_candidates(session, order, uow.clock.now(),
                                   contact_view(cmd.actor.role), other_cities=cmd.all_cities)
    return ranked[:cmd.limit]
