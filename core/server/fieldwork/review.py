"""Verification review routes: the queue of served orders, one order's evidence chain, the
desk's approve (verify) or reject (freeze, the fee with it) with a reason, and clients'
evidence requirements. Agents, supervisors and admins review (they see the full contact);
supervisors and admins change the requirements."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from core.contracts.fieldwork.appointments import OrderCallsOut
from core.contracts.fieldwork.checkin import FlagOut
from core.contracts.fieldwork.photos import OrderPhotosOut
from core.contracts.fieldwork.review import (
    AssessmentOut,
    EvidenceOrderOut,
    EvidenceOut,
    FindingOut,
    RequirementChangeOut,
    RequirementOut,
    RequirementsOut,
    RequirementsPut,
    ReviewQueueOut,
    ReviewRowOut,
    VerificationDecision,
    VerificationDecisionOut,
)
from core.fieldwork.photos import required_photos
from core.fieldwork.verification import ANY_KIND, Assessment, Requirement, Status
from core.orders.lifecycle import OrderState, Role
from core.orders.privacy import contact_view, shown_address, shown_phone
from core.server.deps import CurrentUser, DeskUser, Uow, allow
from core.server.fieldwork.appointments import booking_out
from core.server.fieldwork.calls import binding_out, call_out
from core.server.fieldwork.checkin import check_in_out
from core.server.fieldwork.photos import photo_out
from core.server.fieldwork.serials import serials_out
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.review import (
    DecideVerification,
    OrderEvidence,
    QueueEntry,
    ReviewQueue,
    ShowEvidence,
    handle_decide,
    handle_evidence,
    handle_review_queue,
)
from core.services.fieldwork.review_requirements import (
    ChangeRequirements,
    ClientRequirementsShown,
    handle_change_requirements,
    handle_requirement_log,
    handle_show_requirements,
)
from core.storage.fieldwork.appointments import BOUND, PENDING

router = APIRouter(prefix="/v1", tags=["verification review"])
# Who reviews: the desk roles that see the full contact and the photos of a customer's home.
Reviewer = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]
RequirementEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
ClientCode = Annotated[str, Path(min_length=1, max_length=32)]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile, or not waiting for "
                                                  "verification"},
}


def requirement_out(requirement: Requirement) -> RequirementOut:
    return RequirementOut(**requirement.values())


def assessment_out(assessment: Assessment, client_code: str, service_type: str,
                   requirement: Requirement) -> AssessmentOut:
    return AssessmentOut(
        verdict=assessment.verdict.value, text=assessment.text(), client_code=client_code,
        service_type=service_type, requirement=requirement_out(requirement),
        findings=[FindingOut(item=f.item.value, status=f.status.value, text=f.text(),
                             detail=f.detail) for f in assessment.findings])


def row_out(entry: QueueEntry, user: CurrentUser) -> ReviewRowOut:
    rows, order = entry.rows, entry.rows.order
    view = contact_view(user.role, state=OrderState(order.state))
    return ReviewRowOut(
        order_id=order.id, order_no=order.order_no, version=order.version,
        platform=order.platform, client_code=entry.client_code,
        service_type=order.service_type, county_name=order.county_name,
        customer_name=order.customer_name,
        address=shown_address(view, order.address, order.county_name),
        technician_id=order.technician_id, technician_name=rows.technician_name,
        served_at=order.state_changed_at, units=rows.units, photos=len(rows.photos),
        photos_required=(required_photos(rows.units, entry.requirement.photos_per_unit)
                         if entry.requirement.photos_per_unit else 0),
        serials=len(rows.serials), flags=len(rows.flags), verdict=entry.assessment.verdict.value,
        open_items=[f.item.value for f in entry.assessment.findings
                    if f.status in (Status.MISSING, Status.FLAGGED)],
        text=entry.assessment.text())


@router.get("/verification-reviews", response_model=ReviewQueueOut, responses=PROBLEM_RESPONSES)
def review_queue(user: Reviewer, uow: Uow,
                 limit: Annotated[int, Query(ge=1, le=500)] = 200) -> ReviewQueueOut:
    """Served orders waiting for verification, flagged or incomplete first, then the longest
    served; each with its verdict and what is open (of the `limit` longest served)."""
    queue = handle_review_queue(ReviewQueue(user.actor, limit), uow)
    return ReviewQueueOut(served=queue.served, rows=[row_out(e, user) for e in queue.entries])


def _calls_out(found: OrderEvidence, user: CurrentUser) -> OrderCallsOut:
    view = contact_view(user.role, state=found.order.state)
    bindings = [binding_out(b, view) for b in found.calls.bindings]
    live = next((b for b in bindings if b.status in (PENDING, BOUND)), None)
    assert found.order.id is not None
    return OrderCallsOut(order_id=found.order.id, binding=live or next(iter(bindings), None),
                         bindings=bindings, calls=[call_out(c) for c in found.calls.calls])


def evidence_out(found: OrderEvidence, user: CurrentUser) -> EvidenceOut:
    order = found.order
    assert order.id is not None
    view = contact_view(user.role, state=order.state)
    service_type = order.service_type.value if order.service_type else ""
    photos = found.photos.photos
    return EvidenceOut(
        order=EvidenceOrderOut(
            id=order.id, order_no=order.order_no, version=order.version,
            state=order.state.value, platform=order.platform, client_code=found.client_code,
            service_type=service_type, customer_name=order.customer_name,
            customer_phone=shown_phone(view, order.customer_phone),
            address=shown_address(view, order.address, order.county_name),
            county_name=order.county_name, technician_id=order.technician_id,
            technician_name=found.technician_name, units=found.units,
            appointment_start=order.appointment_start, appointment_end=order.appointment_end,
            served_at=order.state_changed_at if order.state is OrderState.SERVED else None),
        appointment=booking_out(found.booking) if found.booking is not None else None,
        bookings=[booking_out(b) for b in found.bookings],
        calls=_calls_out(found, user),
        check_ins=[check_in_out(c) for c in found.check_ins],
        code=found.code,
        photos=OrderPhotosOut(order_id=order.id, required=found.photos.required,
                              count=len(photos), clean=sum(1 for p in photos if p.judged == "ok"),
                              photos=[photo_out(p) for p in photos]),
        serials=serials_out(found.serials),
        flags=[FlagOut(kind=f.kind.value, text=f.text(), detail=f.detail) for f in found.flags],
        assessment=assessment_out(found.assessment, found.client_code, service_type,
                                  found.requirement))


@router.get("/orders/{order_id}/evidence", response_model=EvidenceOut,
            responses=PROBLEM_RESPONSES)
def order_evidence(order_id: RowId, user: Reviewer, uow: Uow) -> EvidenceOut:
    """The order's evidence chain: the appointment and its call verdict, the calls, the
    check-ins with distance and outcome, the code's status, the photos with their time, place
    and judgement, every flag, and the assessment against its client's requirement."""
    return evidence_out(handle_evidence(ShowEvidence(order_id, user.actor), uow), user)


@router.post("/orders/{order_id}/verification-review", response_model=VerificationDecisionOut,
             responses=_REFUSALS)
def decide_verification(order_id: RowId, body: VerificationDecision, user: Reviewer,
                        uow: Uow) -> VerificationDecisionOut:
    """Approve (the order is verified) or reject (the order is frozen, its fee with it) a
    served order from the version seen, with why (409: changed meanwhile, or not served)."""
    done = handle_decide(DecideVerification(order_id, body.version, body.approve, body.reason,
                                            user.actor), uow)
    return VerificationDecisionOut(order_id=order_id, order_no=done.order.order_no,
                                   approved=body.approve, state=done.order.state.value,
                                   version=done.order.version, reason=done.reason)


def requirements_out(shown: ClientRequirementsShown) -> RequirementsOut:
    requirements = shown.requirements
    return RequirementsOut(
        client_code=shown.client_code, source=shown.source, version=shown.version,
        default=requirement_out(requirements.default),
        service_types={k: requirement_out(v) for k, v in sorted(requirements.by_kind.items())},
        updated_by=shown.updated_by, updated_at=shown.updated_at)


@router.get("/verification-requirements/{client_code}", response_model=RequirementsOut,
            responses=PROBLEM_RESPONSES)
def verification_requirements(client_code: ClientCode, _user: DeskUser,
                              uow: Uow) -> RequirementsOut:
    """What a client's orders must show to be verified, per product kind ('default': every
    client without its own), the serial number of each unit among them."""
    return requirements_out(handle_show_requirements(client_code, uow))


@router.put("/verification-requirements/{client_code}", response_model=RequirementsOut,
            responses=_REFUSALS)
def change_verification_requirements(client_code: ClientCode, body: RequirementsPut,
                                     user: RequirementEditor, uow: Uow) -> RequirementsOut:
    """Replace a client's requirements from the version seen (0: none of its own yet), with
    why; logged with who, when, why, before and after."""
    values = {ANY_KIND: body.default.model_dump(),
              **{k.value: v.model_dump() for k, v in body.service_types.items()}}
    return requirements_out(handle_change_requirements(ChangeRequirements(
        client_code, values, body.version, body.reason, user.username), uow))


@router.get("/verification-requirements/{client_code}/log",
            response_model=list[RequirementChangeOut], responses=PROBLEM_RESPONSES)
def verification_requirement_log(client_code: ClientCode, _user: DeskUser, uow: Uow,
                                 limit: Annotated[int, Query(ge=1, le=500)] = 100
                                 ) -> list[RequirementChangeOut]:
    """The client's changes, newest first: who, when, why, before and after."""
    return [RequirementChangeOut(id=e.id, client_code=e.subject, at=e.at, actor=e.actor,
                                 reason=e.reason, before=e.before, after=e.after)
            for e in handle_requirement_log(client_code, uow, limit)]
