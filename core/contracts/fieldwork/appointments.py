"""Appointments on the wire: a booking or reschedule, failed contact attempts, free windows, the
supervisor's decision, the AXB provider's call-record push, an order's calls, a client's
appointment policy (core.fieldwork.appointments has the rules)."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import date as Day
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, model_validator

from core.contracts.fields import OptionalReason, Reason, Strict
from core.contracts.fieldwork.checkin import FlagOut
from core.fieldwork.appointments import (
    MAX_CALL_WINDOW_HOURS,
    MAX_RESCHEDULE_LIMIT,
    ContactReason,
    DayPart,
    RescheduleReason,
)

BIGINT_MAX = 2**63 - 1
MAX_RECORDS = 100  # call records in one push
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(value: datetime) -> datetime:
    """A time between 2000 and 2099 (a year-1 date with +14:00 has no UTC time)."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = EARLIEST.replace(year=1)
    if not EARLIEST <= utc < LATEST:
        raise ValueError("时间须在 2000 年到 2100 年之间 (times must lie within the years 2000 "
                         "to 2099)")
    return utc


When = Annotated[AwareDatetime, AfterValidator(_plausible)]
# A provider's id: printable ASCII without spaces, bounded.
ProviderId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")]


class ContactAttemptIn(Strict):
    """A failed attempt to reach or book the customer: the platforms' reason code, a note, and
    when to try again (null: the reason's default; none for cancelled or a wrong number)."""

    reason_code: ContactReason
    note: OptionalReason = ""
    next_contact_at: When | None = None


class ContactAttemptOut(BaseModel):
    id: int
    order_id: int
    technician_id: int | None
    reason_code: str
    reason_text: str
    note: str
    next_contact_at: datetime | None
    at: datetime
    recorded_by: str
    recorded_role: str


class AppointmentIn(Strict):
    """Book (or, on an appointed order, reschedule) from the order's version: a window
    (`start`, `end`: at most 2 hours) or a half-day part (`part` on `date`, Beijing time). A
    reschedule needs `reason_code`; `reason` says more."""

    version: int = Field(ge=1, le=BIGINT_MAX)
    start: When | None = None
    end: When | None = None
    part: DayPart | None = None
    date: Day | None = None
    reason_code: RescheduleReason | None = None
    reason: OptionalReason = ""

    @model_validator(mode="after")
    def _one_kind_of_slot(self) -> AppointmentIn:
        window = self.start is not None or self.end is not None
        part = self.part is not None or self.date is not None
        if window == part:
            raise ValueError("请给出时段 start 和 end，或 part 和 date 之一 (give either start "
                             "and end, or part and date)")
        if window and (self.start is None or self.end is None):
            raise ValueError("时段须同时给出 start 和 end (a window needs start and end)")
        if part and (self.part is None or self.date is None):
            raise ValueError("半天时段须同时给出 part 和 date (a part needs part and date)")
        return self


class AppointmentOut(BaseModel):
    """One slot asked for on the order: who asked and why, how the call behind it was judged
    (real, no_call, desk, found_late), and its status (booked, pending, approved, refused)."""

    id: int
    order_id: int
    technician_id: int | None
    start: datetime
    end: datetime
    kind: str
    part: str
    text: str
    initiated_by: str
    reschedule: bool
    reason_code: str
    reason: str
    requested_by: str
    requested_role: str
    requested_at: datetime
    status: str
    decided_by: str
    decided_at: datetime | None
    decision_reason: str
    call_verdict: str
    call_record_id: int | None


class AppointmentResult(BaseModel):
    """The order afterwards (its version and state), the booking, and the flags it raised. A
    reschedule past the client's limit answers 202 with the booking `pending`."""

    order_id: int
    version: int
    state: str
    appointment: AppointmentOut
    flags: list[FlagOut]


class RescheduleDecisionIn(Strict):
    """A supervisor lets a pending reschedule through, or refuses it; why, either way."""

    approve: bool
    reason: Reason


class SlotOut(BaseModel):
    kind: str
    part: str
    start: datetime
    end: datetime
    text: str


class BusyOut(BaseModel):
    order_id: int
    start: datetime
    end: datetime


class FreeWindowsOut(BaseModel):
    """The technician's free slots on a day (2-hour windows and half-day parts that overlap
    none of his appointments and begin after now) and what keeps him busy."""

    technician_id: int
    date: Day
    free: list[SlotOut]
    busy: list[BusyOut]


class CallRecordIn(Strict):
    """One call as the provider reports it; `caller_side`: who dialled the virtual number."""

    record_id: ProviderId
    binding_id: ProviderId
    caller_side: Literal["technician", "customer"]
    started_at: When
    duration_s: int = Field(ge=0, le=86_400)
    connected: bool
    recording: bool = False


class CallRecordPush(Strict):
    records: list[CallRecordIn] = Field(min_length=1, max_length=MAX_RECORDS)


class CallPushReceipt(BaseModel):
    """What a push did: records stored, ones seen before (not stored again), records of
    bindings we do not know (named, not stored), bookings a late call now backs."""

    taken: int
    duplicates: int
    unmatched: list[str]
    found_late: int


class CallOut(BaseModel):
    id: int
    record_id: str
    caller_side: str
    started_at: datetime
    duration_s: int
    connected: bool
    recording: bool
    received_at: datetime


class BindingOut(BaseModel):
    """A virtual-number binding: pending while the provider is down (with its next try),
    bound, unbinding, unbound or failed (with why). Phones as the caller may see them."""

    id: int
    status: str
    virtual_number: str
    technician_id: int | None
    technician_phone: str
    customer_phone: str
    record_calls: bool
    expires_at: datetime | None
    tries: int
    next_try_at: datetime | None
    last_error: str
    created_at: datetime
    bound_at: datetime | None
    unbound_at: datetime | None


class OrderCallsOut(BaseModel):
    """The order's current binding (null: none yet), every binding newest first, and its calls
    earliest first."""

    order_id: int
    binding: BindingOut | None
    bindings: list[BindingOut]
    calls: list[CallOut]


class VirtualNumberOut(BaseModel):
    """The number the technician dials to reach the customer (empty while pending)."""

    order_id: int
    status: str
    virtual_number: str
    expires_at: datetime | None


class AppointmentPolicyUpdate(Strict):
    """A client's reschedule limit (0: every reschedule waits for a supervisor) and call
    window, from the version seen (0: never changed), and why."""

    reschedule_limit: int = Field(ge=0, le=MAX_RESCHEDULE_LIMIT)
    call_window_hours: int = Field(ge=1, le=MAX_CALL_WINDOW_HOURS)
    version: int = Field(ge=0, le=BIGINT_MAX)
    reason: Reason


class AppointmentPolicyOut(BaseModel):
    client_code: str
    reschedule_limit: int
    call_window_hours: int
    version: int
    updated_by: str
    updated_at: datetime | None
