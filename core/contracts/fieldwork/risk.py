"""Wire schemas of technician risk: the list (a score per technician, highest first), one
technician's flagged orders, and routing his completions to manual review."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool

from core.contracts.fields import Reason, Strict

BandName = Literal["low", "watch", "high"]


class RiskReasonOut(BaseModel):
    """What one kind of flag added: on how many orders, how many flags, how many points."""

    kind: str
    text: str  # the kind in words, "中文 (English)"
    orders: int
    flags: int
    points: int


class TechnicianRiskOut(BaseModel):
    technician_id: int
    name: str
    service_point: str
    county_name: str
    active: bool
    score: float  # 0-100
    band: BandName
    points: int
    orders: int  # worked in the window: checked in, completed or flagged
    flagged_orders: int
    reasons: list[RiskReasonOut]  # most points first
    review_completions: bool  # his completions go to manual review
    review_version: int  # 0: never set


class RiskListOut(BaseModel):
    days: int
    since: datetime
    until: datetime
    technicians: list[TechnicianRiskOut]  # highest score first


class RiskFlagOut(BaseModel):
    kind: str
    text: str
    detail: dict[str, Any]
    at: datetime
    raised_by: str


class FlaggedOrderOut(BaseModel):
    order_id: int
    order_no: str
    state: str
    last_at: datetime
    flags: list[RiskFlagOut]  # oldest first


class TechnicianRiskDetailOut(BaseModel):
    days: int
    since: datetime
    until: datetime
    risk: TechnicianRiskOut
    orders: list[FlaggedOrderOut]  # the latest flag first


class ReviewCompletionsUpdate(Strict):
    """Route the technician's completions to manual review (or stop), from the version seen
    (0: never set), with why."""

    review: StrictBool
    version: int = Field(ge=0, le=2**31 - 1)
    reason: Reason


class TechnicianReviewOut(BaseModel):
    technician_id: int
    review_completions: bool
    version: int
    updated_by: str
    updated_at: datetime | None
