"""SLA time limits on the wire: what a scope sets (its body, core.sla.limit_body), a county's
effective limits per step for a service type with where each field comes from, and the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.contracts.fields import Reason, Strict


class LimitsScopeOut(BaseModel):
    """What one scope ('' default, or a province/city/county adcode) sets itself."""

    scope: str
    scope_name: str
    level: str  # default | province | city | county
    body: dict[str, Any]
    version: int
    updated_by: str
    updated_at: datetime | None


class LimitsPut(Strict):
    """Replace what a scope sets, from the version seen (0: it sets nothing yet), saying why.
    Fields left out are inherited."""

    body: dict[str, Any] = Field(examples=[{"steps": {"accept": {"any": {
        "due": {"minutes": 45}, "clock": "natural"}}}}])
    version: int = Field(ge=0)
    reason: Reason


class LimitSource(BaseModel):
    """Where a field's value comes from: a scope and service type ('any' for every type)."""

    scope: str
    scope_name: str
    service_type: str


class StepLimitOut(BaseModel):
    """One step's limit as it applies, ours and the platform's beside it. `sources` names, per
    field, where it comes from; a field missing there is built in."""

    step: str
    step_name: str  # 接单, 首次联系, ...
    due: dict[str, int]  # {"minutes": N} or {"end_of_day": days after the agreed day}
    clock: str  # natural | business
    warn_percent: list[int]  # 预警, 警告; 严重 is the deadline
    start: list[str]
    stop: list[str]
    pause: list[str]
    resume: list[str]
    platform: dict[str, Any] | None
    sources: dict[str, LimitSource]


class EffectiveLimitsOut(BaseModel):
    county_adcode: str
    county_name: str
    service_type: str
    steps: list[StepLimitOut]
    working_day: dict[str, str]
    suspensions: list[dict[str, str]]
    # "working_day" / "suspensions" -> where they come from (missing: built in).
    sources: dict[str, LimitSource]
    events: dict[str, str]  # event -> its words, for showing start/stop conditions


class LimitsLogEntry(BaseModel):
    id: int
    scope: str
    scope_name: str
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
