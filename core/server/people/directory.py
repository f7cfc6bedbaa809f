"""Technicians (with their load), a technician's own work, candidates for an order, regions."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from core.contracts import OrderRow, RegionOut, TechnicianOut
from core.contracts.dispatch import CandidateOut
from core.geo.regions import Region, load_regions
from core.orders.privacy import contact_view
from core.server.deps import DbSession, DeskUser, Now, TechnicianUser, Uow
from core.server.params import MAX_PAGE, PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.server.seen import rows_as_seen
from core.services.candidates import (
    ListCandidates,
    handle_candidates,
    refusal_counts,
    technician_out,
)
from core.storage.orders.queue import QueueFilter, queue_page
from core.storage.people.accounts import technicians

router = APIRouter(prefix="/v1", tags=["people"])


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
    return rows_as_seen(rows, user.role, user.technician_id)


@router.get("/orders/{order_id}/candidates", response_model=list[CandidateOut],
            responses=PROBLEM_RESPONSES)
def candidates(order_id: RowId, user: DeskUser, uow: Uow, limit: PageSize = 200,
               all_cities: bool = False) -> list[CandidateOut]:
    """Active technicians of the order's city (`all_cities`: of every city) ranked best first;
    those breaking a rule follow, flagged, with reasons; who refused this order comes last."""
    return handle_candidates(ListCandidates(order_id, user.actor, limit, all_cities), uow)


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
        raise field_error(422, ["query", "parent"],
                          f"'{parent}' 不是已知的行政区划代码 ('{parent}' is not a known adcode)")
    found = index.all(level) if parent is None else [
        r for r in index.children(parent) if r.level == level
    ]
    return [_region_out(r) for r in found]
