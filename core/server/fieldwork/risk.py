"""Technician risk over HTTP, for supervisors and admins only: the list, one technician's
flagged orders, and routing his completions to manual review (audited, from the version seen).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.fieldwork.risk import (
    ReviewCompletionsUpdate,
    RiskListOut,
    TechnicianReviewOut,
    TechnicianRiskDetailOut,
)
from core.fieldwork.risk import DEFAULT_DAYS, MAX_DAYS
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, Uow, allow
from core.server.params import PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.risk import (
    DRILL_DOWN_ORDERS,
    ListRisk,
    SetReviewCompletions,
    ShowRisk,
    handle_risk_detail,
    handle_risk_list,
    handle_set_review,
)

router = APIRouter(prefix="/v1", tags=["technician risk"])
Lead = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
Days = Annotated[int, Query(ge=1, le=MAX_DAYS, description="the window: the last N days")]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile: not the current version"},
}


@router.get("/technicians/risk", response_model=RiskListOut, responses=PROBLEM_RESPONSES)
def risk_list(user: Lead, uow: Uow, days: Days = DEFAULT_DAYS) -> RiskListOut:
    """Every technician's risk score from his flags in the window, the highest first."""
    return handle_risk_list(ListRisk(user.actor, days), uow)


@router.get("/technicians/{technician_id}/risk", response_model=TechnicianRiskDetailOut,
            responses=PROBLEM_RESPONSES)
def risk_detail(technician_id: RowId, user: Lead, uow: Uow, days: Days = DEFAULT_DAYS,
                limit: PageSize = DRILL_DOWN_ORDERS) -> TechnicianRiskDetailOut:
    """The technician's score and his flagged orders with their flags, the latest first."""
    return handle_risk_detail(ShowRisk(technician_id, user.actor, days, limit), uow)


@router.put("/technicians/{technician_id}/review-completions",
            response_model=TechnicianReviewOut, responses=_REFUSALS)
def set_review_completions(technician_id: RowId, body: ReviewCompletionsUpdate, user: Lead,
                           uow: Uow) -> TechnicianReviewOut:
    """Route the technician's completions to manual review (or stop), with why."""
    return handle_set_review(SetReviewCompletions(
        technician_id, body.review, body.version, body.reason, user.actor), uow)
