"""Builders for the dispatch planner tests (no tests here; the name keeps it with them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from core.dispatch.policy import Effective, RegionPolicy, effective
from core.dispatch.round_model import Point, Snapshot, Tech, WaitingOrder
from core.orders.lifecycle import DispatchMode, OrderState, ServiceType

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COUNTY = "330106"  # 杭州市西湖区
LNG, LAT = 120.0, 30.0  # 0.01 degree of latitude is about 1.1 km


def order(i: int, dlat: float = 0.0, *, state: OrderState = OrderState.DISPATCHING,
          mode: DispatchMode | None = DispatchMode.AUTO, since_minutes: float = 1,
          county: str = COUNTY, skills: Sequence[str] = ("aircon",),
          service_type: ServiceType = ServiceType.INSTALL, **fields: Any) -> WaitingOrder:
    values: dict[str, Any] = {
        "id": i, "version": 3, "state": state, "county": county, "lng": LNG, "lat": LAT + dlat,
        "skills": frozenset(skills), "service_type": service_type, "mode": mode,
        "dispatch_since": NOW - timedelta(minutes=since_minutes),
        "created_at": NOW - timedelta(minutes=since_minutes + 1),
        "acceptance_due": NOW + timedelta(minutes=40),
    }
    values.update(fields)
    return WaitingOrder(**values)


def tech(i: int, dlat: float = 0.0, *, capacity: int = 8, load: int = 0, county: str = COUNTY,
         skills: Sequence[str] = ("aircon", "general"), point: str | None = None,
         rating: float = 4.8, qualifications: Sequence[str] = ()) -> Tech:
    return Tech(i, f"师傅{i}", county, frozenset(skills), LNG, LAT + dlat, capacity, load, rating,
                frozenset(qualifications), point)


def policies(body: Mapping[str, Any] | None = None,
             counties: Sequence[str] = (COUNTY,)) -> dict[str, Effective]:
    """Every county's effective policy when the default scope sets `body`."""
    return {c: effective(c, {"": dict(body or {})}) for c in counties}


def snapshot(orders: Sequence[WaitingOrder], techs: Sequence[Tech], *,
             body: Mapping[str, Any] | None = None, now: datetime = NOW,
             points: Sequence[Point] = (), assigned_today: Mapping[tuple[str, str], int] = {},
             covered: Mapping[str, bool] = {}) -> Snapshot:
    counties = {o.county for o in orders} | {p.county for p in points} | {COUNTY}
    return Snapshot(now, list(orders), list(techs), policies(body, sorted(counties)),
                    {p.key: p for p in points}, dict(assigned_today), dict(covered))


def default_policy() -> RegionPolicy:
    return RegionPolicy()
