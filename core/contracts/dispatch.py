"""Wire schemas of dispatch: region policies, the grab pool, manual dispatch, day routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from core.contracts.fields import OptionalReason, Reason
from core.contracts.orders import OrderRow, Strict
from core.contracts.people import TechnicianOut

# -- region policies ------------------------------------------------------------------------


class PolicyScopeOut(BaseModel):
    """What one scope ('' default, or a province/city/county adcode) sets itself."""

    scope: str
    scope_name: str
    level: str  # default | province | city | county
    body: dict[str, Any]
    version: int
    updated_by: str
    updated_at: datetime | None


class PolicyPut(Strict):
    """Replace what a scope sets; `version` 0 creates it. Fields left out are inherited."""

    body: dict[str, Any]
    version: int = Field(ge=0)
    reason: Reason


class EffectivePolicyOut(BaseModel):
    """A county's policy as dispatch applies it, and which scope each field comes from."""

    county_adcode: str
    policy: dict[str, Any]
    sources: dict[str, str]
    county_name: str = ""
    # Scope -> display name for every scope in `sources` ('' -> "默认").
    source_names: dict[str, str] = Field(default_factory=dict)


class PolicyLogEntry(BaseModel):
    id: int
    scope: str
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    scope_name: str = ""


class ServicePointOut(BaseModel):
    """A service point of a region, with what its technicians can take a day (for shares)."""

    key: str
    name: str
    county_adcode: str
    county_name: str
    daily_capacity: int  # the point's own limit; 0: only its technicians' capacity counts
    technicians: int  # active ones
    technician_capacity: int  # sum of the active technicians' daily capacity


# -- grab pool ------------------------------------------------------------------------------


class GrabOfferOut(BaseModel):
    """An order offered to the calling technician (what the technician app lists)."""

    order_id: int
    order_no: str
    service_type: str | None
    county_name: str
    address_hint: str  # street level only until claimed: the customer's door stays private
    distance_km: float | None
    price_fen: int | None
    below_floor: bool
    offered_at: datetime
    expires_at: datetime
    offer_id: int = 0
    # The order's version: send it back as ?version= so a claim on a changed order is refused.
    version: int = 0
    skills: list[str] = Field(default_factory=list)


class ClaimOut(BaseModel):
    order_id: int
    technician_id: int
    accept_by: datetime | None
    order: OrderRow
    offer_id: int = 0
    claimed_at: datetime | None = None


class PoolOfferRow(BaseModel):
    """One offer as the pool monitor shows it."""

    offer_id: int
    order_id: int
    order_no: str
    county_adcode: str
    county_name: str
    status: str  # open | claimed | expired | withdrawn
    offered_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    price_fen: int | None
    floor_fen: int
    below_floor: bool
    views: int
    claim_attempts: int
    claimed_by: int | None
    claimed_by_name: str


class PoolSummary(BaseModel):
    open: int
    claimed: int
    expired: int
    withdrawn: int
    views: int
    claim_attempts: int
    below_floor: int
    rows: list[PoolOfferRow]


# -- manual dispatch ------------------------------------------------------------------------


class NeedsPersonRow(BaseModel):
    """An order waiting for an agent, with why it escalated and how long it has waited.

    `sla_due`: when the order must have its appointment by the county's SLA time limits for its
    service type (the appointment step, counted from created_at; core.sla.limits); dispatch has
    to be done well before it."""

    order: OrderRow
    reason: str
    code: str
    since: datetime | None
    sla_due: datetime | None


class CandidateOut(BaseModel):
    """A ranked technician with plain-language reasons and the rules the choice would break."""

    technician: TechnicianOut
    rank: int
    score: float
    distance_km: float | None
    reasons: list[str]
    breaks: list[str]  # empty: eligible
    terms: dict[str, float]
    eligible: bool = True  # no breaks
    # The hard rules one by one (older clients, e.g. the demo simulator, read these).
    skills_ok: bool = True
    region_ok: bool = True
    has_capacity: bool = True
    # How many times this technician refused this order or let it time out (such a one is
    # listed last; its break says the count too).
    refused_this_order: int = 0
    # `reasons` and `breaks` in English, item for item: the console shows the person's language.
    reasons_en: list[str] = []
    breaks_en: list[str] = []


class AssignmentIn(Strict):
    order_id: int
    version: int = Field(ge=1)
    technician_id: int | None = None  # None: the order's best eligible candidate


class BulkAssign(Strict):
    assignments: list[AssignmentIn] = Field(min_length=1, max_length=500)
    reason: OptionalReason = ""
    pinned: bool = True


class AssignmentResult(BaseModel):
    order_id: int
    ok: bool
    technician_id: int | None
    order_no: str = ""
    technician_name: str = ""
    status: int  # 200, 409 (changed meanwhile), 422 (no candidate / not dispatchable)
    detail: str
    current_version: int | None = None


class RefusalCount(BaseModel):
    technician_id: int
    technician_name: str
    refusals: int
    timeouts: int
    by_code: dict[str, int]


# -- day routes -----------------------------------------------------------------------------


class RouteStop(BaseModel):
    order_id: int
    order_no: str
    lng: float
    lat: float
    window_start: datetime
    window_end: datetime
    arrive: datetime
    leave: datetime
    late: bool
    # Added for the timeline: service starts (after any wait for the window), the drive before.
    start: datetime | None = None
    travel_minutes: int = 0
    service_type: str = ""
    state: str = ""


class RouteOut(BaseModel):
    """A technician's day: appointments in visiting order, the path, and totals."""

    technician_id: int
    technician_name: str
    day: date
    start: datetime | None
    end: datetime | None
    home_lng: float
    home_lat: float
    stops: list[RouteStop]
    unplanned: list[int]  # order ids the day cannot fit
    distance_km: float
    feasible: bool
    planned_at: datetime
    # The working hours the route keeps to (the timeline's span), and what `unplanned` holds.
    opens: datetime | None = None
    closes: datetime | None = None
    unplanned_order_nos: list[str] = Field(default_factory=list)
