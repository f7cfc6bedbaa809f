"""The grab pool over HTTP: technicians list and claim offers; the desk's pool monitor.

Each route turns the request into a command for core.services.grab and its result into the
response; the refusals (404, 403, 409, 410, 422) are the handlers' errors, mapped once by
core.server.problems.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core.contracts.dispatch import ClaimOut, GrabOfferOut, PoolSummary
from core.server.deps import DeskUser, TechnicianUser, Uow
from core.server.params import Int64, PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.grab import (
    ClaimOffer,
    ListOffers,
    ShowPool,
    handle_claim,
    handle_list_offers,
    handle_show_pool,
)

router = APIRouter(prefix="/v1", tags=["grab pool"])
_CLAIM_RESPONSES = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "already taken, or the order changed"},
    410: PROBLEM_RESPONSES[422] | {"description": "the offer expired or was withdrawn"},
}


@router.get("/grab/offers", response_model=list[GrabOfferOut], responses=PROBLEM_RESPONSES)
def list_offers(user: TechnicianUser, uow: Uow, limit: PageSize = 100) -> list[GrabOfferOut]:
    """Open offers the caller may claim, nearest first; the address stops at the street."""
    return handle_list_offers(ListOffers(user.technician_id, limit), uow)


@router.post("/grab/offers/{order_id}/claim", response_model=ClaimOut,
             responses=_CLAIM_RESPONSES)
def claim_offer(
    order_id: RowId, user: TechnicianUser, uow: Uow,
    version: Annotated[Int64 | None, Query(ge=0, description="the order version listed")] = None,
) -> ClaimOut:
    """Claim an offered order: exactly one of any number of simultaneous claims wins."""
    won = handle_claim(ClaimOffer(order_id, user.actor, version), uow)
    return ClaimOut(order_id=won.order_id, technician_id=won.technician_id,
                    accept_by=won.accept_by, order=won.order, offer_id=won.offer_id,
                    claimed_at=won.claimed_at)


@router.get("/grab/pool", response_model=PoolSummary, responses=PROBLEM_RESPONSES)
def pool(
    user: DeskUser, uow: Uow,
    status: Annotated[str | None, Query(description="open | claimed | expired | withdrawn")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PoolSummary:
    """The pool monitor: counts over all offers, and the newest offers (of one status)."""
    return handle_show_pool(ShowPool(status, limit), uow)
