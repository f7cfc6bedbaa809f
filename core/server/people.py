"""Technicians (with their load), a technician's own work, candidates for an order, regions."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from core.contracts import Candidate, OrderRow, RegionOut, TechnicianOut
from core.dispatch.ranking import OrderNeeds, Technician, rank
from core.geo.regions import Region, load_regions
from core.server.deps import DbSession, DeskUser, TechnicianUser
from core.server.details import load_order
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.storage.orders import OrderRepository
from core.storage.people import TechnicianView, technicians
from core.storage.queue import QueueFilter, queue_page

router = APIRouter(prefix="/v1", tags=["people"])


def technician_out(view: TechnicianView) -> TechnicianOut:
    t = view.record
    county = load_regions().get(t.county_adcode)
    return TechnicianOut(
        id=t.id, name=t.name, phone=t.phone, skills=list(t.skills),
        county_adcode=t.county_adcode, county_name=county.name if county else "",
        service_point=view.service_point, home_lng=t.home_lng, home_lat=t.home_lat,
        daily_capacity=t.daily_capacity, load_today=view.load_today, active=t.active,
        username=t.username,
    )


@router.get("/technicians", response_model=list[TechnicianOut], responses=PROBLEM_RESPONSES)
def list_technicians(session: DbSession, _user: DeskUser) -> list[TechnicianOut]:
    return [technician_out(v) for v in technicians(session)]


@router.get("/technicians/me/orders", response_model=list[OrderRow],
            responses=PROBLEM_RESPONSES)
def my_orders(session: DbSession, user: TechnicianUser) -> list[OrderRow]:
    """The calling technician's open orders, oldest first."""
    if user.technician_id is None:
        return []
    rows, _ = queue_page(session, QueueFilter(technician_id=user.technician_id, open=True),
                         "created_at", "asc", 1000)
    return rows


@router.get("/orders/{order_id}/candidates", response_model=list[Candidate],
            responses=PROBLEM_RESPONSES)
def candidates(order_id: int, session: DbSession, user: DeskUser) -> list[Candidate]:
    """Active technicians ranked best first; ineligible ones follow, flagged, with reasons."""
    order = load_order(OrderRepository(session), order_id, user)
    views = {v.record.id: v for v in technicians(session, active_only=True)}
    needs = OrderNeeds(order.county_adcode, tuple(order.skills), order.lng, order.lat)
    pool = [
        Technician(v.record.id, tuple(v.record.skills), v.record.county_adcode,
                   v.record.home_lng, v.record.home_lat, v.record.daily_capacity, v.load_today)
        for v in views.values()
    ]
    return [
        Candidate(technician=technician_out(views[r.technician_id]), distance_km=r.distance_km,
                  skills_ok=r.skills_ok, region_ok=r.region_ok, has_capacity=r.has_capacity,
                  score=r.score, reasons=r.reasons)
        for r in rank(needs, pool, load_regions())
    ]


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
