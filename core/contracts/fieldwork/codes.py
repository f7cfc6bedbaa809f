"""Wire schemas of verification codes: issue, check, status, a client's code policy.

No answer ever carries a code or its hash: the customer hears the code by SMS only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from core.contracts.fields import Reason, Strict
from core.fieldwork.codes import MAX_ATTEMPTS_LIMIT, MAX_DIGITS, MAX_VALID_HOURS

# ASCII digits only (not any Unicode digit), bounded before anything reads it.
CodeDigits = Annotated[str, Field(min_length=1, max_length=MAX_DIGITS, pattern=r"^[0-9]+$")]
CodeStateName = Literal["none", "issued", "used", "expired", "locked", "voided"]
SmsStatus = Literal["pending", "sent", "failed", "cancelled"]


class CodeIssue(Strict):
    """Issue a code (a reissue voids the current one): why."""

    reason: Reason


class CodeCheck(Strict):
    """The code the customer read out."""

    code: CodeDigits


class SmsOut(BaseModel):
    """Where the code's SMS is: pending (with the next try), sent, failed or cancelled."""

    status: SmsStatus
    phone: str  # masked: 138****5678
    tries: int
    next_try_at: datetime | None
    sent_at: datetime | None
    last_error: str


class CodeOut(BaseModel):
    """One code, without the code: its state and every fact with who and when."""

    id: int
    state: CodeStateName
    digits: int
    issued_at: datetime
    issued_by: str
    reason: str
    expires_at: datetime
    attempts: int
    max_attempts: int
    attempts_left: int
    locked_at: datetime | None
    used_at: datetime | None
    used_by: str
    voided_at: datetime | None
    voided_by: str
    void_reason: str
    sms: SmsOut | None


class CodeStatusOut(BaseModel):
    """An order's current code (none yet: state "none") and the codes before it, newest first."""

    order_id: int
    state: CodeStateName
    current: CodeOut | None
    earlier: list[CodeOut]


class CodeCheckOut(BaseModel):
    """A code accepted: the completion is verified by the customer's code."""

    order_id: int
    state: Literal["used"]
    used_at: datetime


class CodePolicyOut(BaseModel):
    """A client's codes ('default': every client without a policy of its own)."""

    client_code: str
    digits: int
    valid_hours: int
    max_attempts: int
    version: int  # 0: never changed, the built-in defaults
    updated_by: str
    updated_at: datetime | None


class CodePolicyUpdate(Strict):
    """A supervisor's change of a client's codes, from the version seen, with why."""

    version: int = Field(ge=0, le=2**31 - 1)
    reason: Reason
    digits: Literal[4, 10]  # core.fieldwork.codes.DIGIT_CHOICES
    valid_hours: int = Field(ge=1, le=MAX_VALID_HOURS)
    max_attempts: int = Field(ge=1, le=MAX_ATTEMPTS_LIMIT)
