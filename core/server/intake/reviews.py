"""The intake workspace's other views: audit review queue, arrivals, coverage gaps."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from fastapi import APIRouter, Query

from core.contracts import OrderDetail
from core.contracts.intake import ArrivalStats, CoverageGap, ReviewDecision, ReviewPage
from core.intake.adapters import get_adapter, platforms
from core.server.deps import DbSession, DeskUser, IntakeUser, Now, Uow
from core.server.orders.details import order_detail
from core.server.params import PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.services.intake.commands import DecideReview
from core.services.intake.reviews import handle_decide_review
from core.storage.intake.reviews import review_page
from core.storage.intake.stats import arrivals, coverage_gaps
from core.storage.orders.numbers import BUSINESS_TZ

router = APIRouter(prefix="/v1/intake", tags=["intake"])


@router.get("/reviews", response_model=ReviewPage, responses=PROBLEM_RESPONSES)
def list_reviews(session: DbSession, _user: IntakeUser,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100) -> ReviewPage:
    """Orders the audit held back, oldest first."""
    return review_page(session, limit)


@router.post("/reviews/{order_id}", response_model=OrderDetail,
             responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {
                 "description": "the order changed meanwhile, or is not in review"}})
def review_order(order_id: RowId, body: ReviewDecision, user: IntakeUser, uow: Uow,
                 session: DbSession) -> OrderDetail:
    """Approve (audit, then place and classify) or reject (cancel; a reason is required)."""
    handle_decide_review(DecideReview(order_id, body.approve, body.version, body.reason,
                                      user.actor), uow)
    return order_detail(session, order_id, user, check_visible=False)


@router.get("/arrivals", response_model=ArrivalStats, responses=PROBLEM_RESPONSES)
def arrival_stats(session: DbSession, _user: DeskUser, now: Now,
                  since: datetime | None = None) -> ArrivalStats:
    """Records received per platform since a time (default: today 00:00 in Shanghai)."""
    if since is None:
        today = now.astimezone(BUSINESS_TZ).date()
        since = datetime.combine(today, time(0), tzinfo=BUSINESS_TZ)
    elif since.tzinfo is None:
        raise field_error(422, ["query", "since"], "时间须带时区 (give the time with its zone)")
    labels = {name: get_adapter(name).label for name in platforms()}
    return arrivals(session, since, labels)


@router.get("/coverage-gaps", response_model=list[CoverageGap], responses=PROBLEM_RESPONSES)
def list_coverage_gaps(session: DbSession, _user: DeskUser,
                       limit: PageSize = 500) -> list[CoverageGap]:
    """Counties with accepted orders the network does not cover, most orders first."""
    return coverage_gaps(session)[:limit]
