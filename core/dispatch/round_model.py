"""What one dispatch round sees (a snapshot) and what it decides (decisions); pure data.

The storage layer fills a Snapshot with a few queries, `core.dispatch.engine.plan` turns it
into decisions, and the storage layer applies them through ServiceOrder.perform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.dispatch import eligibility
from core.dispatch.policy import Effective, RegionPolicy
from core.orders.lifecycle import DispatchMode, OrderState, RefusalCode, ServiceType

# Escalation codes (event data "code"): why an order moved to another mode.
NO_ELIGIBLE = "no_eligible"
UNCOVERED = "uncovered"
AFTER_SALES = "after_sales"
CENTRAL_EXHAUSTED = "central_exhausted"
UNCLAIMED = "unclaimed"
REFUSED_TOO_OFTEN = "refused_too_often"
TIMEOUT = RefusalCode.TIMEOUT.value
POLICY = "policy"  # the region's first mode is manual
DISPATCH_FAILED = "dispatch_failed"  # the round could not apply its decision to the order


def city_of(county: str) -> str:
    """The county's city as core.dispatch.eligibility tests it (a four-digit adcode prefix)."""
    return eligibility.city_of(county)


@dataclass(frozen=True)
class WaitingOrder:
    """An order the round may act on: classified, dispatching, or assigned past accept_by."""

    id: int
    version: int
    state: OrderState
    county: str
    lng: float | None
    lat: float | None
    skills: frozenset[str]
    service_type: ServiceType | None
    mode: DispatchMode | None
    dispatch_since: datetime | None
    created_at: datetime
    tags: frozenset[str] = frozenset()
    pinned: bool = False
    technician_id: int | None = None
    accept_by: datetime | None = None
    # Technicians who refused it, let it time out or had it taken back: never offered again.
    excluded: frozenset[int] = frozenset()
    refusals: int = 0  # refusals and acceptance timeouts so far
    # When a technician must have accepted it (the accept step's SLA limit, core.sla.limits).
    acceptance_due: datetime | None = None
    offer_open: bool = False  # grab mode: an open offer exists
    offer_expires: datetime | None = None

    @property
    def city(self) -> str:
        return city_of(self.county)


@dataclass(frozen=True)
class Tech:
    """An active technician as central dispatch sees them today."""

    id: int
    name: str
    county: str
    skills: frozenset[str]
    lng: float
    lat: float
    daily_capacity: int
    load: int = 0  # orders held now (assigned .. checked in)
    rating: float = 4.5
    qualifications: frozenset[str] = frozenset()
    point: str | None = None  # service point key

    @property
    def city(self) -> str:
        return city_of(self.county)

    @property
    def capacity_left(self) -> int:
        return max(self.daily_capacity - self.load, 0)


@dataclass(frozen=True)
class Point:
    """A service point: its county (whose policy sets its share) and its day so far."""

    key: str
    county: str
    daily_capacity: int = 0  # 0: no limit of its own
    assigned_today: int = 0


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    orders: Sequence[WaitingOrder]
    technicians: Sequence[Tech]
    policies: Mapping[str, Effective]  # county adcode -> effective policy (orders' and points')
    points: Mapping[str, Point] = field(default_factory=dict)
    # Today's assignments per (order county, service point key): the ratio's history.
    assigned_today: Mapping[tuple[str, str], int] = field(default_factory=dict)
    # service_regions.covered per county; a county missing here is judged by its technicians.
    covered: Mapping[str, bool] = field(default_factory=dict)

    def policy(self, county: str) -> RegionPolicy:
        found = self.policies.get(county)
        return found.policy if found else RegionPolicy()


# -- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDispatch:
    order_id: int
    mode: DispatchMode
    reason: str
    code: str = ""  # set when an escalation rule sent it straight to a person


@dataclass(frozen=True)
class Assign:
    order_id: int
    technician_id: int
    technician_name: str
    accept_by: datetime
    terms: Mapping[str, Any]
    reason: str


@dataclass(frozen=True)
class Escalate:
    order_id: int
    mode: DispatchMode
    code: str
    reason: str


@dataclass(frozen=True)
class Withdraw:
    """Take an assignment back; mode None keeps the order's mode (an Escalate may follow)."""

    order_id: int
    code: str  # a RefusalCode: timeout
    mode: DispatchMode | None
    reason: str


@dataclass(frozen=True)
class Offer:
    """A grab-mode order without an open offer gets one for the minutes its stage has left."""

    order_id: int
    minutes: int


Decision = OpenDispatch | Assign | Escalate | Withdraw | Offer


@dataclass
class Plan:
    """The round's decisions in the order they must be applied (per order: as listed)."""

    decisions: list[Decision] = field(default_factory=list)
    waiting: int = 0  # auto-mode orders left waiting for capacity
    cost: int = 0  # the batch assignment's objective

    def count(self, kind: type) -> int:
        return sum(isinstance(d, kind) for d in self.decisions)
