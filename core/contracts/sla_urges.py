"""Urges (催单) on the wire: an urge with its reply, an urge by hand, a reply, and the urging
policy (whom each alert level of each step urges) with its audited change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.contracts.fields import Reason, Strict

# What an urge or a reply says: the rules of a reason (required, visible characters, line
# breaks allowed, at most 500 characters: core.sla.urging.MAX_URGE_TEXT, the column's size).
UrgeText = Reason


class UrgeOut(BaseModel):
    id: int
    order_id: int
    order_no: str
    source: str  # alert | manual | platform
    step: str  # '' when not about one step
    step_name: str
    level: str  # 预警 | 警告 | 严重, '' unless from an alert
    target: str  # technician | service_point | supervisor | desk
    target_name: str
    technician_id: int | None
    service_point_id: int | None
    text: str
    by_actor: str
    by_role: str
    at: datetime
    due: datetime | None  # the deadline it urges toward
    time_left: timedelta | None  # now to `due`; negative: over
    to_manual: str  # escalated | withdrawn: the breach took it back to manual dispatch
    settled: bool  # the step it urged about has stopped since: no answer is awaited
    platform: str | None
    reply: str | None
    replied_by: str | None
    replied_role: str | None
    replied_at: datetime | None
    version: int


class UrgeIn(Strict):
    """An agent's or supervisor's urge by hand."""

    order_id: int = Field(ge=1, le=2**63 - 1)
    text: UrgeText
    target: Literal["technician", "service_point", "supervisor"] = "technician"


class UrgeReplyIn(Strict):
    """The one answer to an urge, from the version seen."""

    text: UrgeText
    version: int = Field(ge=1, le=2**31 - 1)


class UrgePolicyOut(BaseModel):
    body: dict[str, Any]  # {"steps": {step: {notice, warning, severe, to_manual}}}
    version: int  # 0: the built-in policy
    updated_by: str
    updated_at: datetime | None
    targets: dict[str, str]  # target -> its name


class UrgePolicyPut(Strict):
    body: dict[str, Any] = Field(examples=[{"steps": {"accept": {
        "notice": "technician", "warning": "service_point", "severe": "supervisor",
        "to_manual": True}}}])
    version: int = Field(ge=0, le=2**31 - 1)
    reason: Reason


class UrgePolicyLogEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
