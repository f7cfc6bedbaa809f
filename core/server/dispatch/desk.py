"""Manual dispatch: orders needing a person, bulk assignment, refusals per technician.

Routes only: the reads are core.services.desk's handlers; bulk assignment is
core.services.assign (the same handler as an order's `assign` action): each order its own unit
of work and its own result; two agents assigning the same order at once get one 200 and one 409.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query

from core.contracts.dispatch import AssignmentResult, BulkAssign, NeedsPersonRow, RefusalCount
from core.server.deps import DeskUser, Uow
from core.server.params import PageSize
from core.server.problems import PROBLEM_RESPONSES
from core.server.seen import row_as_seen
from core.services.assign import AssignOrder, assign_each
from core.services.desk import (
    CountRefusals,
    ListNeedsPerson,
    handle_needs_person,
    handle_refusal_counts,
)

router = APIRouter(prefix="/v1", tags=["manual dispatch"])


@router.get("/dispatch/needs-person", response_model=list[NeedsPersonRow],
            responses=PROBLEM_RESPONSES)
def needs_person(user: DeskUser, uow: Uow, limit: PageSize = 500) -> list[NeedsPersonRow]:
    """Orders in manual dispatch with why; the most urgent (earliest SLA due) first."""
    return [r.model_copy(update={"order": row_as_seen(r.order, user.role)})
            for r in handle_needs_person(ListNeedsPerson(limit), uow)]


@router.post("/dispatch/assign", response_model=list[AssignmentResult],
             responses=PROBLEM_RESPONSES)
def assign(body: BulkAssign, user: DeskUser, uow: Uow) -> list[AssignmentResult]:
    """Assign each order to the technician given, or to its best eligible candidate.

    Answers 200 with one result per order (status 200, 403, 404, 409 or 422 each)."""
    cmds = [AssignOrder(item.order_id, item.version, user.actor, body.reason,
                        technician_id=item.technician_id, pinned=body.pinned)
            for item in body.assignments]
    return [AssignmentResult(ok=r.status == 200, **asdict(r))
            for r in assign_each(cmds, uow)]


@router.get("/dispatch/refusals", response_model=list[RefusalCount],
            responses=PROBLEM_RESPONSES)
def refusals(_user: DeskUser, uow: Uow,
             days: int = Query(30, ge=1, le=365)) -> list[RefusalCount]:
    """Refusals and acceptance timeouts per technician over the last `days` days, by code."""
    return handle_refusal_counts(CountRefusals(days), uow)
