"""The end of the visit on the wire: complete (and what the backend's check of the evidence
did), or cannot complete with a reason code."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.contracts.fields import OptionalReason, Reason, Strict
from core.contracts.fieldwork.checkin import FlagOut
from core.contracts.fieldwork.review import AssessmentOut
from core.orders.lifecycle import CannotCompleteCode

BIGINT_MAX = 2**63 - 1
OutcomeName = Literal["verified", "incomplete", "flagged", "manual_review"]


class CompleteRequest(Strict):
    """Complete from the order's version seen; a desk role completing for the technician must
    say why in `note`."""

    version: int = Field(ge=1, le=BIGINT_MAX)
    note: OptionalReason = ""


class CompleteResult(BaseModel):
    """The order after completion, and what the backend's check did: `verified` (evidence
    complete, the order verified and in its review period), or why it waits in the review
    queue (`incomplete`, `flagged`, `manual_review`); `text` says it Chinese first."""

    order_id: int
    order_no: str
    state: str
    version: int
    outcome: OutcomeName
    verified: bool
    text: str
    assessment: AssessmentOut


class CannotCompleteRequest(Strict):
    """Why the visit cannot be done: a code (customer_absent, parts_missing, site_not_ready:
    back to the technician to book again; customer_declines, needs_other_trade, other: to a
    person at dispatch) and what happened, from the version seen."""

    version: int = Field(ge=1, le=BIGINT_MAX)
    reason_code: CannotCompleteCode
    note: Reason


class CannotCompleteResult(BaseModel):
    """The order afterwards: back with its technician to book again (`revisit`), or at
    dispatch for a person (the dispatch note says why); the flag raised."""

    order_id: int
    order_no: str
    state: str
    version: int
    revisit: bool
    technician_id: int | None
    dispatch_mode: str | None
    dispatch_note: str
    flag: FlagOut
