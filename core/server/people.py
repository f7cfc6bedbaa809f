"""Technicians (with their load), a technician's own work, candidates for an order, regions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from sqlalchemy.orm import Session

from core.contracts import OrderRow, RegionOut, TechnicianOut
from core.contracts.dispatch import CandidateOut
from core.dispatch.ranking import Context, OrderNeeds, Technician, rank
from core.geo.regions import Region, load_regions
from core.orders.model import ServiceOrder
from core.orders.privacy import ContactView, contact_view, shown_phone
from core.server.deps import DbSession, DeskUser, Now, TechnicianUser
from core.server.details import load_order
from core.server.params import MAX_PAGE, PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.sla.deadlines import RegionStandard, appointment_due
from core.storage import dispatch_desk as desk
from core.storage.dispatch_policies import effective_for
from core.storage.orders import OrderRepository
from core.storage.people import TechnicianView, technicians
from core.storage.queue import QueueFilter, queue_page

router = APIRouter(prefix="/v1", tags=["people"])


REFUSAL_WINDOW = timedelta(days=30)


def refusal_counts(session: Session, now: datetime) -> Counter[int]:
    return Counter(r.technician_id for r in desk.refusals(session, since=now - REFUSAL_WINDOW))


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


@router.get("/technicians", response_model=list[TechnicianOut], responses=PROBLEM_RESPONSES)
def list_technicians(session: DbSession, user: DeskUser, now: Now,
                     limit: PageSize = MAX_PAGE) -> list[TechnicianOut]:
    refused = refusal_counts(session, now)
    contact = contact_view(user.role)
    return [technician_out(v, refused[v.record.id], contact)
            for v in technicians(session)[:limit]]


@router.get("/technicians/me/orders", response_model=list[OrderRow],
            responses=PROBLEM_RESPONSES)
def my_orders(session: DbSession, user: TechnicianUser) -> list[OrderRow]:
    """The calling technician's open orders, oldest first."""
    if user.technician_id is None:
        return []
    rows, _ = queue_page(session, QueueFilter(technician_id=user.technician_id, open=True),
                         "created_at", "asc", 1000)
    return rows


def sla_due(created: datetime, county: str, hours: int | None) -> datetime:
    """When the order must have its appointment by its county's standard (core.sla)."""
    return appointment_due(created, RegionStandard(county, appoint_hours=hours) if hours else None)


def ranked_candidates(session: Session, order: ServiceOrder, now: datetime,
                      contact: ContactView = ContactView.FULL) -> list[CandidateOut]:
    """Every active technician for the order, ranked by the county's policy: eligible ones
    first, the others after them with the rules they would break."""
    views = {v.record.id: v for v in technicians(session, active_only=True)}
    keys = desk.point_keys(session)
    county = order.county_adcode or ""
    hours = desk.appoint_hours(session, [county]).get(county)
    needs = OrderNeeds(
        order.county_adcode, tuple(order.skills), order.lng, order.lat,
        order.service_type.value if order.service_type else None,
        sla_due(order.created_at, county, hours),
        frozenset(r.technician_id for r in desk.refusals(session, order_id=order.id)),
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
                     has_capacity=r.has_capacity)
        for n, r in enumerate(rank(needs, pool, load_regions(), ctx), start=1)
    ]


@router.get("/orders/{order_id}/candidates", response_model=list[CandidateOut],
            responses=PROBLEM_RESPONSES)
def candidates(order_id: RowId, session: DbSession, user: DeskUser, now: Now,
               limit: PageSize = 200) -> list[CandidateOut]:
    """Active technicians ranked best first; those breaking a rule follow, flagged, with reasons."""
    order = load_order(OrderRepository(session), order_id, user)
    return ranked_candidates(session, order, now, contact_view(user.role))[:limit]


def _region_out(r: Region) -> RegionOut:
    return RegionOut(adcode=r.adcode, name=r.name, level=r.level, parent=r.parent,
                     lng=r.lng, lat=r.lat)


@router.get("/regions", response_model=list[RegionOut], responses=PROBLEM_RESPONSES)
def regions(
    _user: DeskUser,
    level: Literal["province", "city", "county"] = "province",
    parent: str | None = None,
) -> list[RegionOut]:
    """Regions of one level, optionally only the children of `parent`."""
    index = load_regions()
    if parent is not None and index.get(parent) is None:
        raise field_error(422, ["query", "parent"], f"'{parent}' is not a known adcode")
    found = index.all(level) if parent is None else [
        r for r in index.children(parent) if r.level == level
    ]
    return [_region_out(r) for r in found]
