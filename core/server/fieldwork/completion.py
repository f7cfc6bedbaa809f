"""The end of the visit: complete (the backend verifies at once when the evidence is ready and
the technician is not routed to manual review), or cannot complete with a reason code. The
technician on his order, or a desk role acting for him."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from core.contracts.fieldwork.checkin import FlagOut
from core.contracts.fieldwork.completion import (
    CannotCompleteRequest,
    CannotCompleteResult,
    CompleteRequest,
    CompleteResult,
)
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, Uow, allow
from core.server.fieldwork.review import assessment_out
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.completion import (
    CompleteVisit,
    Outcome,
    ReportCannotComplete,
    handle_cannot_complete,
    handle_complete,
)

router = APIRouter(prefix="/v1", tags=["completion"])
FieldUser = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR,
                                                  Role.ADMIN))]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile, or not in a state for it"},
}


@router.post("/orders/{order_id}/complete", response_model=CompleteResult, responses=_REFUSALS)
def complete(order_id: RowId, body: CompleteRequest, user: FieldUser,
             uow: Uow) -> CompleteResult:
    """Complete a checked-in order from the version seen (a desk role says why in `note`).
    Then the backend checks the evidence with the review queue's rule: ready and the
    technician not under manual review -> verified and in its review period; otherwise it
    waits in the review queue and `outcome` says why."""
    done = handle_complete(CompleteVisit(order_id, body.version, user.actor, body.note), uow)
    order = done.order
    assert order.id is not None
    service_type = order.service_type.value if order.service_type else ""
    return CompleteResult(
        order_id=order.id, order_no=order.order_no, state=order.state.value,
        version=order.version, outcome=done.outcome.value,
        verified=done.outcome is Outcome.VERIFIED, text=done.text,
        assessment=assessment_out(done.assessment, done.client_code, service_type,
                                  done.requirement))


@router.post("/orders/{order_id}/cannot-complete", response_model=CannotCompleteResult,
             responses=_REFUSALS)
def cannot_complete(order_id: RowId, body: CannotCompleteRequest, user: FieldUser,
                    uow: Uow) -> CannotCompleteResult:
    """The visit cannot be done: customer_absent, parts_missing or site_not_ready send the
    order back to the technician to book again; customer_declines, needs_other_trade or other
    send it to a person at dispatch (manual mode, the technician released). Flagged
    (cannot_complete) in the same step."""
    done = handle_cannot_complete(ReportCannotComplete(
        order_id, body.version, user.actor, body.reason_code, body.note), uow)
    order = done.order
    assert order.id is not None
    return CannotCompleteResult(
        order_id=order.id, order_no=order.order_no, state=order.state.value,
        version=order.version, revisit=done.revisit, technician_id=order.technician_id,
        dispatch_mode=order.dispatch_mode.value if order.dispatch_mode else None,
        dispatch_note=order.dispatch_note,
        flag=FlagOut(kind=done.flag.kind.value, text=done.flag.text(), detail=done.flag.detail))
