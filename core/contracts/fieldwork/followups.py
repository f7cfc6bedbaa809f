"""The review period and follow-up calls on the wire: the worklist, a call's outcome, one
order's review (period, follow-ups, complaints), complaints and their ruling, and a client's
review policy (core.fieldwork.followups has the rule)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.contracts.fields import OptionalReason, Reason, Strict

BIGINT_MAX = 2**63 - 1
ReasonName = Literal["random", "high_value", "flagged", "new_technician"]
ComplaintName = Literal["attitude", "quality", "timeliness", "overcharging", "non_standard"]
OutcomeName = Literal["satisfied", "problem", "unreachable"]
# open: to call; done: an outcome closed it; gave_up: unreachable too often; expired: the
# review period ended before anyone reached the customer.
FollowupStatusName = Literal["open", "done", "gave_up", "expired"]
ComplaintStatusName = Literal["open", "upheld", "dismissed"]
# approved: a satisfied call; lapsed: the period ended without a problem; complaint: a problem
# froze the order (reopened when the complaint is dismissed).
PeriodOutcomeName = Literal["approved", "lapsed", "complaint"]


class FollowupOut(BaseModel):
    """One follow-up call of an order: why it was picked, when it is due, what came of it."""

    id: int
    order_id: int
    technician_id: int | None
    reasons: list[ReasonName]
    reasons_text: str
    due_at: datetime
    attempts: int
    max_attempts: int
    status: FollowupStatusName
    outcome: OutcomeName | None
    rating: int | None
    complaint_type: ComplaintName | None
    note: str
    recorded_by: str
    recorded_at: datetime | None
    created_at: datetime
    version: int


class WorklistRowOut(BaseModel):
    """A follow-up to call, with the customer as the caller's role may see them and the script
    to read out. `version` is the follow-up's (send it with the outcome)."""

    followup_id: int
    version: int
    order_id: int
    order_no: str
    order_version: int
    order_state: str
    client_code: str
    service_type: str
    customer_name: str
    customer_phone: str
    address: str
    county_name: str
    technician_id: int | None
    technician_name: str
    review_until: datetime | None
    reasons: list[ReasonName]
    reasons_text: str
    due_at: datetime
    due: bool  # due now
    attempts: int
    max_attempts: int
    script: str


class WorklistOut(BaseModel):
    """Open follow-ups, due ones first (the longest due first), then the rest by due time;
    `total` counts those the filter matches, `due` those due now."""

    scope: Literal["due", "open"]
    total: int
    due: int
    offset: int
    limit: int
    rows: list[WorklistRowOut]


class FollowupOutcomeIn(Strict):
    """A call's outcome from the follow-up's version seen: satisfied with a rating (1-5),
    a problem with a complaint type and a note, or unreachable with an optional retry time
    (after now, within the review period; none: the client's retry delay)."""

    version: int = Field(ge=1, le=BIGINT_MAX)
    outcome: OutcomeName
    rating: int | None = Field(default=None, ge=-1000, le=1000)
    complaint_type: ComplaintName | None = None
    note: OptionalReason = ""
    retry_at: datetime | None = None


class ComplaintOut(BaseModel):
    """A complaint from a follow-up call: the after-sales order opened for it, whether the
    second visit is free to the customer and charged to the original technician (a repeat
    fault), and the supervisor's ruling."""

    id: int
    order_id: int
    order_no: str
    followup_id: int | None
    complaint_type: ComplaintName
    complaint_text: str
    note: str
    technician_id: int | None
    technician_name: str
    repeat_fault: bool
    free_visit: bool
    charged_technician_id: int | None
    after_sales_order_id: int | None
    after_sales_order_no: str
    status: ComplaintStatusName
    raised_by: str
    raised_at: datetime
    ruled_by: str
    ruled_at: datetime | None
    ruling_reason: str
    version: int


class FollowupOutcomeOut(BaseModel):
    """The follow-up after its outcome, the order as it is now (settleable after a satisfied
    call with nothing else open, frozen after a problem), the complaint and after-sales order a
    problem opened, and the technician's rating when a rating moved it."""

    followup: FollowupOut
    order_id: int
    order_state: str
    order_version: int
    complaint: ComplaintOut | None
    technician_rating: float | None


class ReviewPeriodOut(BaseModel):
    order_id: int
    client_code: str
    started_at: datetime
    until: datetime
    closed_at: datetime | None
    outcome: PeriodOutcomeName | None
    closed_by: str


class OrderReviewOut(BaseModel):
    """One order's review: its period, follow-ups and complaints (oldest first); the contact
    as the caller's role may see it."""

    order_id: int
    order_no: str
    state: str
    version: int
    customer_name: str
    customer_phone: str
    address: str
    technician_id: int | None
    technician_name: str
    period: ReviewPeriodOut | None
    followups: list[FollowupOut]
    complaints: list[ComplaintOut]


class ComplaintsOut(BaseModel):
    """Complaints, open ones first (the oldest first), then ruled ones (the latest first)."""

    total: int
    open: int
    offset: int
    limit: int
    rows: list[ComplaintOut]


class ComplaintRuling(Strict):
    """Uphold (the original order is flagged, the technician's rating falls, the order stays
    frozen) or dismiss (the order returns to review), from the complaint's version seen."""

    uphold: bool
    version: int = Field(ge=1, le=BIGINT_MAX)
    reason: Reason


class ComplaintRulingOut(BaseModel):
    complaint: ComplaintOut
    order_state: str
    order_version: int
    technician_rating: float | None


class ReviewPolicyFields(BaseModel):
    """A client's review period and sampling rules."""

    review_days: int = Field(ge=1, le=90)
    sample_percent: float = Field(ge=0, le=100)
    high_value_fen: int = Field(ge=0, le=BIGINT_MAX)
    sample_flagged: bool
    first_orders: int = Field(ge=0, le=100)
    max_attempts: int = Field(ge=1, le=10)
    retry_hours: int = Field(ge=1, le=72)
    repeat_fault_days: int = Field(ge=0, le=90)


class ReviewPolicyPut(Strict, ReviewPolicyFields):
    """A client's policy ('default': every client without its own) from the version seen (0:
    none of its own yet), and why."""

    version: int = Field(ge=0, le=2**31 - 1)
    reason: Reason


class ReviewPolicyOut(ReviewPolicyFields):
    """A client's policy and where it comes from: its own, the 'default' client's, or the
    built-in one (7 days, 10 %, 5,000 yuan, flagged, first 5 orders, 3 tries 4 h apart, repeat
    faults within 7 days); version 0 unless its own."""

    client_code: str
    source: Literal["own", "default", "built_in"]
    version: int
    updated_by: str
    updated_at: datetime | None


class ReviewPolicyChangeOut(BaseModel):
    """One change of a client's review policy: who, when, why, before and after."""

    id: int
    client_code: str
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
