"""Appointment routes: failed contact attempts, booking and rescheduling (the technician, or the
desk for a customer on the phone), the technician's free windows, the supervisor's decision on
a reschedule past the client's limit, and the client's appointment policy. The AXB routes (the
provider's signed push, an order's calls) are in core.server.fieldwork.calls."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from core.contracts.fieldwork.appointments import (
    AppointmentIn,
    AppointmentOut,
    AppointmentPolicyOut,
    AppointmentPolicyUpdate,
    AppointmentResult,
    BusyOut,
    ContactAttemptIn,
    ContactAttemptOut,
    FreeWindowsOut,
    RescheduleDecisionIn,
    SlotOut,
)
from core.contracts.fieldwork.checkin import FlagOut
from core.fieldwork.appointments import SHANGHAI, BookingStatus, Slot
from core.orders.lifecycle import Role
from core.server.deps import AnyUser, CurrentUser, DeskUser, Uow, allow
from core.server.fieldwork.codes import Sms
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.appointment_policies import (
    ChangeAppointmentPolicy,
    handle_change_appointment_policy,
    handle_show_appointment_policy,
)
from core.services.fieldwork.appointments import (
    BookAppointment,
    Booked,
    DecideReschedule,
    FreeWindows,
    ListContactAttempts,
    OrderBookings,
    RecordContactAttempt,
    attempt_text,
    handle_book,
    handle_bookings,
    handle_contact_attempt,
    handle_contact_attempts,
    handle_decide_reschedule,
    handle_free_windows,
    handle_pending_reschedules,
    slot_of,
)
from core.storage.fieldwork.appointments import AppointmentRecord, ContactAttemptRecord

router = APIRouter(prefix="/v1", tags=["appointments"])
# The lifecycle's field roles: the technician on his own order, the desk for him.
FieldUser = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR,
                                                 Role.ADMIN))]
Approver = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
ClientCode = Annotated[str, Path(min_length=1, max_length=32)]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile, or not now"},
}


def slot_out(slot: Slot) -> SlotOut:
    return SlotOut(kind=slot.kind.value, part=slot.part.value if slot.part else "",
                   start=slot.start, end=slot.end, text=slot.words())


def booking_out(row: AppointmentRecord) -> AppointmentOut:
    return AppointmentOut(
        id=row.id, order_id=row.order_id, technician_id=row.technician_id, start=row.starts_at,
        end=row.ends_at, kind=row.kind, part=row.part, text=slot_of(row).words(),
        initiated_by=row.initiated_by, reschedule=row.reschedule, reason_code=row.reason_code,
        reason=row.reason, requested_by=row.requested_by, requested_role=row.requested_role,
        requested_at=row.requested_at, status=row.status, decided_by=row.decided_by,
        decided_at=row.decided_at, decision_reason=row.decision_reason,
        call_verdict=row.call_verdict, call_record_id=row.call_record_id)


def _result(done: Booked) -> AppointmentResult:
    assert done.order.id is not None
    return AppointmentResult(
        order_id=done.order.id, version=done.order.version, state=done.order.state.value,
        appointment=booking_out(done.booking),
        flags=[FlagOut(kind=f.kind.value, text=f.text(), detail=f.detail)
               for f in done.authenticity.flags])


def attempt_out(row: ContactAttemptRecord) -> ContactAttemptOut:
    return ContactAttemptOut(
        id=row.id, order_id=row.order_id, technician_id=row.technician_id,
        reason_code=row.reason_code, reason_text=attempt_text(row), note=row.note,
        next_contact_at=row.next_contact_at, at=row.at, recorded_by=row.recorded_by,
        recorded_role=row.recorded_role)


@router.post("/orders/{order_id}/contact-attempts", response_model=ContactAttemptOut,
             status_code=201, responses=_REFUSALS)
def record_contact_attempt(order_id: RowId, body: ContactAttemptIn, user: FieldUser,
                           uow: Uow) -> ContactAttemptOut:
    """A failed attempt to reach or book the customer, with the platforms' reason code and
    when to try again (the reason's default when not given)."""
    return attempt_out(handle_contact_attempt(RecordContactAttempt(
        order_id, user.actor, body.reason_code, body.note, body.next_contact_at), uow))


@router.get("/orders/{order_id}/contact-attempts", response_model=list[ContactAttemptOut],
            responses=PROBLEM_RESPONSES)
def list_contact_attempts(order_id: RowId, user: AnyUser, uow: Uow) -> list[ContactAttemptOut]:
    """The order's failed contact attempts, oldest first (desk roles; the order's technician)."""
    return [attempt_out(r) for r in handle_contact_attempts(ListContactAttempts(order_id,
                                                                                user.actor), uow)]


@router.post("/orders/{order_id}/appointment", response_model=AppointmentResult,
             responses={**_REFUSALS, 202: {"description": "a reschedule past the client's "
                                                          "limit, waiting for a supervisor"}})
def book(order_id: RowId, body: AppointmentIn, user: FieldUser, uow: Uow, sms: Sms,
         response: Response) -> AppointmentResult:
    """Book (or, on an appointed order, reschedule) a 2-hour window or a half-day part. A
    technician's booking without a real call before it is flagged, never refused. A reschedule
    past the client's limit answers 202 and waits for a supervisor; the order is unchanged."""
    if body.part is not None and body.date is not None:
        slot = Slot.of_part(body.date, body.part)
    else:
        assert body.start is not None and body.end is not None  # the body's own check
        slot = Slot(body.start, body.end)
    done = handle_book(BookAppointment(order_id, body.version, user.actor, slot,
                                       body.reason_code, body.reason, sms), uow)
    if done.booking.status == BookingStatus.PENDING.value:
        response.status_code = 202
    return _result(done)


@router.get("/orders/{order_id}/appointments", response_model=list[AppointmentOut],
            responses=PROBLEM_RESPONSES)
def list_bookings(order_id: RowId, user: AnyUser, uow: Uow) -> list[AppointmentOut]:
    """Every slot asked for on the order, oldest first, with its status and call verdict."""
    return [booking_out(r) for r in handle_bookings(OrderBookings(order_id, user.actor), uow)]


@router.get("/technicians/{technician_id}/free-windows", response_model=FreeWindowsOut,
            responses=PROBLEM_RESPONSES)
def free_windows(
    technician_id: RowId, user: FieldUser, uow: Uow,
    day: Annotated[date, Query(alias="date", description="a day, Beijing time")],
    for_order: Annotated[int | None, Query(ge=1, le=2**63 - 1,
                                           description="leave this order's slot out")] = None,
) -> FreeWindowsOut:
    """The technician's free 2-hour windows and half-day parts on a day, in Beijing time (desk
    roles; the technician himself)."""
    found = handle_free_windows(FreeWindows(technician_id, day, user.actor, for_order), uow)
    return FreeWindowsOut(technician_id=technician_id, date=day,
                          free=[slot_out(s) for s in found.free],
                          busy=[BusyOut(order_id=o, start=s.astimezone(SHANGHAI),
                                        end=e.astimezone(SHANGHAI))
                                for o, s, e in found.busy])


@router.get("/reschedules", response_model=list[AppointmentOut], responses=PROBLEM_RESPONSES)
def pending_reschedules(user: Approver, uow: Uow) -> list[AppointmentOut]:
    """Reschedules waiting for a supervisor, oldest first."""
    return [booking_out(r) for r in handle_pending_reschedules(uow)]


@router.post("/reschedules/{booking_id}/decision", response_model=AppointmentResult,
             responses=_REFUSALS)
def decide_reschedule(booking_id: RowId, body: RescheduleDecisionIn, user: Approver, uow: Uow,
                      sms: Sms) -> AppointmentResult:
    """Approve (the order takes the slot) or refuse (the earlier slot stays) a waiting
    reschedule, saying why."""
    return _result(handle_decide_reschedule(DecideReschedule(
        booking_id, user.actor, body.approve, body.reason, sms), uow))


@router.get("/appointment-policies/{client_code}", response_model=AppointmentPolicyOut,
            responses=PROBLEM_RESPONSES)
def appointment_policy(client_code: ClientCode, _user: DeskUser,
                       uow: Uow) -> AppointmentPolicyOut:
    """A client's reschedule limit and call window ('default': every client without its own)."""
    return handle_show_appointment_policy(client_code, uow)


@router.put("/appointment-policies/{client_code}", response_model=AppointmentPolicyOut,
            responses=_REFUSALS)
def change_appointment_policy(client_code: ClientCode, body: AppointmentPolicyUpdate,
                              user: Approver, uow: Uow) -> AppointmentPolicyOut:
    """Change a client's policy from the version seen (0: never changed), with why."""
    return handle_change_appointment_policy(ChangeAppointmentPolicy(
        client_code, body.reschedule_limit, body.call_window_hours, body.version, body.reason,
        user.username), uow)
