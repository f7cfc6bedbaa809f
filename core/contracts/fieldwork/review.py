"""Verification review on the wire: the queue of served orders, one order's evidence chain, the
desk's decision, and a client's evidence requirements (core.fieldwork.verification has the
rule; the evidence reuses each slice's own shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.contracts.fields import Reason, Strict
from core.contracts.fieldwork.appointments import AppointmentOut, OrderCallsOut
from core.contracts.fieldwork.checkin import CheckInOut, FlagOut
from core.contracts.fieldwork.codes import CodeStatusOut
from core.contracts.fieldwork.photos import OrderPhotosOut
from core.contracts.fieldwork.serials import OrderSerialsOut
from core.fieldwork.verification import MAX_PHOTOS_PER_UNIT
from core.orders.lifecycle import ServiceType

BIGINT_MAX = 2**63 - 1
VerdictName = Literal["ready", "incomplete", "flagged"]
StatusName = Literal["satisfied", "missing", "flagged"]
ItemName = Literal["call", "checkin", "code", "photos", "serial", "flags"]


class RequirementIn(Strict):
    """What one product kind must show: the completion code used, the check-in inside the
    tolerance, photos per unit (0: none) and whether none may be flagged, a real call behind
    the appointment, the serial number of each unit (none seen on another order)."""

    code: bool
    checkin: bool
    photos_per_unit: int = Field(ge=0, le=MAX_PHOTOS_PER_UNIT)
    photos_clean: bool
    call: bool
    serial: bool


class RequirementOut(BaseModel):
    code: bool
    checkin: bool
    photos_per_unit: int
    photos_clean: bool
    call: bool
    serial: bool


class RequirementsPut(Strict):
    """A client's requirements ('default': every client without its own): `default` for every
    product kind, `service_types` for those with their own; from the version seen (0: the
    client has none of its own yet), and why."""

    version: int = Field(ge=0, le=2**31 - 1)
    reason: Reason
    default: RequirementIn
    service_types: dict[ServiceType, RequirementIn] = Field(default_factory=dict)


class RequirementsOut(BaseModel):
    """A client's requirements and where they come from: its own, the 'default' client's, or
    the built-in default (code, check-in, 4 photos per unit none flagged, a real call; version
    0 unless its own)."""

    client_code: str
    source: Literal["own", "default", "built_in"]
    version: int
    default: RequirementOut
    service_types: dict[str, RequirementOut]
    updated_by: str
    updated_at: datetime | None


class FindingOut(BaseModel):
    """One required item: satisfied, missing or flagged; its words Chinese first."""

    item: ItemName
    status: StatusName
    text: str
    detail: dict[str, Any]


class AssessmentOut(BaseModel):
    """The order against its client's requirement for its kind: ready (every item satisfied,
    nothing flagged), incomplete (something missing) or flagged."""

    verdict: VerdictName
    text: str
    client_code: str
    service_type: str
    requirement: RequirementOut
    findings: list[FindingOut]


class ReviewRowOut(BaseModel):
    """A served order waiting for verification, as the queue lists it."""

    order_id: int
    order_no: str
    version: int
    platform: str
    client_code: str
    service_type: str
    county_name: str
    customer_name: str
    address: str
    technician_id: int | None
    technician_name: str
    served_at: datetime
    units: int
    photos: int
    photos_required: int
    serials: int = 0  # units with a serial in force
    flags: int
    verdict: VerdictName
    open_items: list[ItemName]
    text: str


class ReviewQueueOut(BaseModel):
    """Served orders, flagged or incomplete first, then the longest served; `served` counts
    them all, `rows` holds at most the limit asked (the longest served)."""

    served: int
    rows: list[ReviewRowOut]


class EvidenceOrderOut(BaseModel):
    """The order under review: its contact as the caller's role may see it."""

    id: int
    order_no: str
    version: int
    state: str
    platform: str
    client_code: str
    service_type: str
    customer_name: str
    customer_phone: str
    address: str
    county_name: str
    technician_id: int | None
    technician_name: str
    units: int
    appointment_start: datetime | None
    appointment_end: datetime | None
    served_at: datetime | None


class EvidenceOut(BaseModel):
    """One order's evidence chain: the booking the visit was made on and every booking with
    its call verdict, the virtual-number binding and calls, the check-ins with distance and
    outcome, the code's status (never the code), the photos with their time, place and
    judgement, the serial numbers by unit (with every earlier one), every flag, and the
    assessment."""

    order: EvidenceOrderOut
    appointment: AppointmentOut | None
    bookings: list[AppointmentOut]
    calls: OrderCallsOut
    check_ins: list[CheckInOut]
    code: CodeStatusOut
    photos: OrderPhotosOut
    serials: OrderSerialsOut | None = None  # None only from a server before serial numbers
    flags: list[FlagOut]
    assessment: AssessmentOut


class VerificationDecision(Strict):
    """Approve (the order is verified) or reject (the order is frozen and its fee with it),
    from the order's version the reviewer saw, and why."""

    approve: bool
    version: int = Field(ge=1, le=BIGINT_MAX)
    reason: Reason


class VerificationDecisionOut(BaseModel):
    """The order after the decision and the reason as recorded in its timeline."""

    order_id: int
    order_no: str
    approved: bool
    state: str
    version: int
    reason: str


class RequirementChangeOut(BaseModel):
    """One change of a client's requirements: who, when, why, before and after."""

    id: int
    client_code: str
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
