"""Review period routes: the follow-up worklist and a call's outcome, one order's review,
complaints and their ruling, and clients' review policies. Agents, supervisors and admins call
(they see the customer's contact); supervisors and admins rule complaints and change policies;
finance reads an order's review with the contact masked; technicians get none of it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from core.contracts.fieldwork.followups import (
    ComplaintOut,
    ComplaintRuling,
    ComplaintRulingOut,
    ComplaintsOut,
    FollowupOut,
    FollowupOutcomeIn,
    FollowupOutcomeOut,
    OrderReviewOut,
    ReviewPeriodOut,
    ReviewPolicyChangeOut,
    ReviewPolicyOut,
    ReviewPolicyPut,
    WorklistOut,
    WorklistRowOut,
)
from core.fieldwork.followups import (
    ComplaintType,
    Outcome,
    OutcomeKind,
    ReviewPolicy,
    SampleReason,
    complaint_text,
    reason_text,
    script,
)
from core.orders.lifecycle import OrderState, Role
from core.orders.privacy import contact_view, shown_address, shown_phone
from core.server.deps import CurrentUser, DeskUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.client_settings import SettingShown
from core.services.fieldwork.complaints import (
    ListComplaints,
    RuleComplaint,
    handle_complaints,
    handle_rule_complaint,
    names_of,
)
from core.services.fieldwork.followups import (
    OrderReview,
    RecordOutcome,
    ShowOrderReview,
    Worklist,
    handle_order_review,
    handle_record_outcome,
    handle_worklist,
)
from core.services.fieldwork.review_policy import (
    handle_change_review_policy,
    handle_review_policy_log,
    handle_show_review_policy,
)
from core.storage.fieldwork.followups import ComplaintRecord, FollowupRecord

router = APIRouter(prefix="/v1", tags=["follow-up calls"])
Caller = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]
Reader = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN,
                                              Role.FINANCE))]
Judge = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
ClientCode = Annotated[str, Path(min_length=1, max_length=32)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=200)]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile, already closed, or the "
                                                  "order is not in review"},
}


def followup_out(f: FollowupRecord) -> FollowupOut:
    reasons = [SampleReason(r) for r in f.reasons]
    return FollowupOut(
        id=f.id, order_id=f.order_id, technician_id=f.technician_id,
        reasons=[r.value for r in reasons],
        reasons_text="；".join(reason_text(r) for r in reasons), due_at=f.due_at,
        attempts=f.attempts, max_attempts=f.max_attempts, status=f.status,  # type: ignore[arg-type]
        outcome=f.outcome, rating=f.rating,  # type: ignore[arg-type]
        complaint_type=f.complaint_type, note=f.note,  # type: ignore[arg-type]
        recorded_by=f.recorded_by, recorded_at=f.recorded_at, created_at=f.created_at,
        version=f.version)


def complaint_out(c: ComplaintRecord, numbers: dict[int, str],
                  names: dict[int, str]) -> ComplaintOut:
    return ComplaintOut(
        id=c.id, order_id=c.order_id, order_no=numbers.get(c.order_id, ""),
        followup_id=c.followup_id, complaint_type=c.complaint_type,  # type: ignore[arg-type]
        complaint_text=complaint_text(ComplaintType(c.complaint_type)), note=c.note,
        technician_id=c.technician_id, technician_name=names.get(c.technician_id or 0, ""),
        repeat_fault=c.repeat_fault, free_visit=c.repeat_fault,
        charged_technician_id=c.charged_technician_id,
        after_sales_order_id=c.after_sales_order_id,
        after_sales_order_no=numbers.get(c.after_sales_order_id or 0, ""),
        status=c.status, raised_by=c.raised_by, raised_at=c.raised_at,  # type: ignore[arg-type]
        ruled_by=c.ruled_by, ruled_at=c.ruled_at, ruling_reason=c.ruling_reason,
        version=c.version)


# -- the worklist ---------------------------------------------------------------------------------

@router.get("/followups", response_model=WorklistOut, responses=PROBLEM_RESPONSES)
def followup_worklist(user: Caller, uow: Uow,
                      scope: Annotated[Literal["due", "open"], Query()] = "due",
                      offset: Offset = 0, limit: Limit = 50) -> WorklistOut:
    """Open follow-up calls (`due`: due now; `open`: every open one), due ones first, each
    with the customer's contact, why it was picked and the script to read."""
    page = handle_worklist(Worklist(user.actor, scope == "due", offset, limit), uow)
    rows = []
    for f, order, period in page.found.rows:
        view = contact_view(user.role, state=OrderState(order.state))
        reasons = [SampleReason(r) for r in f.reasons]
        tech = page.technician_names.get(f.technician_id or 0, "")
        rows.append(WorklistRowOut(
            followup_id=f.id, version=f.version, order_id=order.id, order_no=order.order_no,
            order_version=order.version, order_state=order.state,
            client_code=period.client_code if period else "",
            service_type=order.service_type or "", customer_name=order.customer_name,
            customer_phone=shown_phone(view, order.customer_phone),
            address=shown_address(view, order.address, order.county_name),
            county_name=order.county_name, technician_id=f.technician_id,
            technician_name=tech, review_until=period.until if period else None,
            reasons=[r.value for r in reasons],
            reasons_text="；".join(reason_text(r) for r in reasons), due_at=f.due_at,
            due=f.due_at <= page.now, attempts=f.attempts, max_attempts=f.max_attempts,
            script=script(order.order_no, order.service_type or "", tech)))
    return WorklistOut(scope=scope, total=page.found.total, due=page.found.due, offset=offset,
                       limit=limit, rows=rows)


@router.post("/followups/{followup_id}/outcome", response_model=FollowupOutcomeOut,
             responses=_REFUSALS)
def record_followup_outcome(followup_id: RowId, body: FollowupOutcomeIn, user: Caller,
                            uow: Uow) -> FollowupOutcomeOut:
    """A call's outcome from the follow-up's version seen: satisfied (1-5; the order becomes
    settleable unless something else is open on it), a problem (an after-sales order opened,
    the order frozen with its fee, the complaint recorded), or unreachable (the next try)."""
    outcome = Outcome(OutcomeKind(body.outcome), body.rating,
                      ComplaintType(body.complaint_type) if body.complaint_type else None,
                      body.note, body.retry_at)
    done = handle_record_outcome(RecordOutcome(followup_id, body.version, outcome,
                                               user.actor), uow)
    complaint = None
    if done.complaint is not None:
        numbers, names = names_of(uow, [done.complaint])
        complaint = complaint_out(done.complaint, numbers, names)
    assert done.order.id is not None
    return FollowupOutcomeOut(followup=followup_out(done.followup), order_id=done.order.id,
                              order_state=done.order.state.value,
                              order_version=done.order.version, complaint=complaint,
                              technician_rating=done.technician_rating)


# -- one order's review ---------------------------------------------------------------------------

def order_review_out(found: OrderReview, user: CurrentUser) -> OrderReviewOut:
    order, period = found.order, found.period
    assert order.id is not None
    view = contact_view(user.role, state=order.state)
    return OrderReviewOut(
        order_id=order.id, order_no=order.order_no, state=order.state.value,
        version=order.version, customer_name=order.customer_name,
        customer_phone=shown_phone(view, order.customer_phone),
        address=shown_address(view, order.address, order.county_name),
        technician_id=order.technician_id, technician_name=found.technician_name,
        period=None if period is None else ReviewPeriodOut(
            order_id=period.order_id, client_code=period.client_code,
            started_at=period.started_at, until=period.until, closed_at=period.closed_at,
            outcome=period.outcome, closed_by=period.closed_by),  # type: ignore[arg-type]
        followups=[followup_out(f) for f in found.followups],
        complaints=[complaint_out(c, found.order_numbers,
                                  {order.technician_id or 0: found.technician_name})
                    for c in found.complaints])


@router.get("/orders/{order_id}/review", response_model=OrderReviewOut,
            responses=PROBLEM_RESPONSES)
def order_review(order_id: RowId, user: Reader, uow: Uow) -> OrderReviewOut:
    """The order's review period, follow-up calls and complaints; the customer's contact as
    the caller's role may see it (finance: masked)."""
    return order_review_out(handle_order_review(ShowOrderReview(order_id, user.actor), uow),
                            user)


# -- complaints -----------------------------------------------------------------------------------

@router.get("/complaints", response_model=ComplaintsOut, responses=PROBLEM_RESPONSES)
def complaints(user: Caller, uow: Uow,
               status: Annotated[Literal["open", "all"], Query()] = "open",
               offset: Offset = 0, limit: Limit = 50) -> ComplaintsOut:
    """Complaints from follow-up calls, open ones first (the oldest first)."""
    page = handle_complaints(ListComplaints(user.actor, status == "open", offset, limit), uow)
    return ComplaintsOut(total=page.total, open=page.open, offset=offset, limit=limit,
                         rows=[complaint_out(c, page.order_numbers, page.technician_names)
                               for c in page.rows])


@router.post("/complaints/{complaint_id}/ruling", response_model=ComplaintRulingOut,
             responses=_REFUSALS)
def rule_complaint(complaint_id: RowId, body: ComplaintRuling, user: Judge,
                   uow: Uow) -> ComplaintRulingOut:
    """Uphold (the order flagged, the technician's rating lowered, the order stays frozen) or
    dismiss (the order back to review) from the complaint's version seen, with why."""
    done = handle_rule_complaint(RuleComplaint(complaint_id, body.version, body.uphold,
                                               body.reason, user.actor), uow)
    numbers, names = names_of(uow, [done.complaint])
    return ComplaintRulingOut(complaint=complaint_out(done.complaint, numbers, names),
                              order_state=done.order.state.value,
                              order_version=done.order.version,
                              technician_rating=done.technician_rating)


# -- review policies ------------------------------------------------------------------------------

def policy_out(shown: SettingShown[ReviewPolicy]) -> ReviewPolicyOut:
    return ReviewPolicyOut(client_code=shown.client_code, source=shown.source,
                           version=shown.version, updated_by=shown.updated_by,
                           updated_at=shown.updated_at, **shown.value.values())


@router.get("/review-policies/{client_code}", response_model=ReviewPolicyOut,
            responses=PROBLEM_RESPONSES)
def review_policy(client_code: ClientCode, _user: DeskUser, uow: Uow) -> ReviewPolicyOut:
    """A client's review period and sampling ('default': every client without its own)."""
    return policy_out(handle_show_review_policy(client_code, uow))


@router.put("/review-policies/{client_code}", response_model=ReviewPolicyOut,
            responses=_REFUSALS)
def change_review_policy(client_code: ClientCode, body: ReviewPolicyPut, user: Judge,
                         uow: Uow) -> ReviewPolicyOut:
    """Replace a client's policy from the version seen (0: none of its own yet), with why;
    logged with who, when, why, before and after."""
    values = body.model_dump(exclude={"version", "reason"})
    return policy_out(handle_change_review_policy(client_code, values, body.version,
                                                  body.reason, user.username, uow))


@router.get("/review-policies/{client_code}/log", response_model=list[ReviewPolicyChangeOut],
            responses=PROBLEM_RESPONSES)
def review_policy_log(client_code: ClientCode, _user: DeskUser, uow: Uow,
                      limit: Limit = 100) -> list[ReviewPolicyChangeOut]:
    """The client's changes, newest first: who, when, why, before and after."""
    return [ReviewPolicyChangeOut(id=e.id, client_code=e.subject, at=e.at, actor=e.actor,
                                  reason=e.reason, before=e.before, after=e.after)
            for e in handle_review_policy_log(client_code, uow, limit)]
