"""Ranking technicians for an order: hard rules reported as breaks, weighted goals as a score.

Pure rules (no FastAPI, no SQL). A rule the choice would break is never a reason to hide a
technician: the agent sees every active one, eligible first, the breaks in plain Chinese, so a
person can break a rule on purpose (and the timeline says they did).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.dispatch.policy import RegionPolicy
from core.geo.distance import haversine_km
from core.geo.regions import RegionIndex
from core.intake.catalogue import TRADE_LABELS

# Without a distance limit in the policy, a technician this far away earns no distance points.
DISTANCE_HORIZON_KM = 30.0
# The SLA goal looks this far ahead: an order due later than this is not urgent at all.
SLA_HORIZON_MINUTES = 240.0


@dataclass(frozen=True)
class OrderNeeds:
    county_adcode: str | None
    skills: tuple[str, ...]
    lng: float | None
    lat: float | None
    service_type: str | None = None
    sla_due: datetime | None = None
    refused_by: frozenset[int] = frozenset()  # technicians who refused or let it time out


@dataclass(frozen=True)
class Technician:
    id: int
    skills: tuple[str, ...]
    county_adcode: str
    home_lng: float
    home_lat: float
    daily_capacity: int
    load_today: int
    rating: float = 4.5
    qualifications: tuple[str, ...] = ()
    point_key: str = ""


@dataclass(frozen=True)
class Ranked:
    technician_id: int
    distance_km: float | None
    score: float
    reasons: list[str]
    breaks: list[str]
    terms: dict[str, float]
    skills_ok: bool = True
    region_ok: bool = True
    has_capacity: bool = True

    @property
    def eligible(self) -> bool:
        return not self.breaks


@dataclass(frozen=True)
class Context:
    """What ranking needs beyond the order and the technician: the region's rules, the time,
    and how many of the region's orders each service point took today (for the ratio goal)."""

    policy: RegionPolicy = field(default_factory=RegionPolicy)
    now: datetime | None = None
    point_counts: Mapping[str, int] = field(default_factory=dict)


def skill_name(skill: str) -> str:
    return TRADE_LABELS.get(skill, skill)


def _city(regions: RegionIndex, county: str) -> str:
    city = regions.city_of(county)
    # Unknown codes fall back on the adcode rule: a county shares its city's first 4 digits.
    return city.adcode if city else county[:4]


def _location(order: OrderNeeds, regions: RegionIndex) -> tuple[float, float] | None:
    if order.lng is not None and order.lat is not None:
        return order.lng, order.lat
    county = regions.get(order.county_adcode) if order.county_adcode else None
    if county and county.lng is not None and county.lat is not None:
        return county.lng, county.lat
    return None


def _minutes_left(order: OrderNeeds, now: datetime | None) -> float | None:
    if order.sla_due is None or now is None:
        return None
    return (order.sla_due - now).total_seconds() / 60


def _ratio_part(tech: Technician, ctx: Context) -> float:
    """1: the technician's point is far below its share of the region's orders; 0: far above;
    0.5 when the region sets no shares (the goal then favours nobody)."""
    shares = ctx.policy.point_shares
    if not shares:
        return 0.5
    total = sum(ctx.point_counts.values())
    target = shares.get(tech.point_key, 0) / 100
    actual = ctx.point_counts.get(tech.point_key, 0) / total if total else 0.0
    return min(max(0.5 + (target - actual), 0.0), 1.0)


def _breaks(order: OrderNeeds, tech: Technician, ctx: Context, same_city: bool,
            distance: float | None) -> tuple[list[str], bool, bool]:
    policy = ctx.policy
    required = list(order.skills)
    required += [s for s in policy.required_skills.get(order.service_type or "", ())
                 if s not in required]
    missing = [s for s in required if s not in tech.skills]
    breaks = [f"缺少技能「{skill_name(s)}」" for s in missing]
    breaks += [f"缺少资质「{q}」"
               for q in policy.required_qualifications.get(order.service_type or "", ())
               if q not in tech.qualifications]
    if not same_city:
        breaks.append("不在订单所在城市")
    capacity = max(tech.daily_capacity, 0)
    has_capacity = tech.load_today < capacity
    if not has_capacity:
        breaks.append(f"今日已满 {tech.load_today}/{capacity} 单")
    if policy.max_distance_km and distance is not None and distance > policy.max_distance_km:
        breaks.append(f"超出最远距离 {policy.max_distance_km} 公里")
    if tech.id in order.refused_by:
        breaks.append("曾拒绝此单")
    return breaks, not missing, has_capacity


def rank_one(order: OrderNeeds, tech: Technician, regions: RegionIndex,
             ctx: Context | None = None) -> Ranked:
    ctx = ctx or Context()
    weights = ctx.policy.weights
    same_county = bool(order.county_adcode) and order.county_adcode == tech.county_adcode
    same_city = same_county or (bool(order.county_adcode) and _city(
        regions, order.county_adcode or "") == _city(regions, tech.county_adcode))
    where = _location(order, regions)
    distance = None if where is None else round(
        haversine_km(tech.home_lng, tech.home_lat, *where), 1)
    breaks, skills_ok, has_capacity = _breaks(order, tech, ctx, same_city, distance)

    reasons: list[str] = []
    horizon = float(ctx.policy.max_distance_km or DISTANCE_HORIZON_KM)
    if distance is None:
        reasons.append("订单还没有位置")
        near = 0.5
    else:
        reasons.append(f"距离 {distance:.1f} 公里")
        near = max(0.0, 1.0 - distance / horizon)
    capacity = max(tech.daily_capacity, 0)
    reasons.append(f"今日 {tech.load_today}/{capacity} 单")
    reasons.append(f"评分 {tech.rating:.1f}")
    left = _minutes_left(order, ctx.now)
    if left is not None:
        reasons.append(f"时限余 {left:.0f} 分钟" if left >= 0 else f"已超时 {-left:.0f} 分钟")
    if same_county:
        reasons.append("同区县")
    elif same_city:
        reasons.append("同城其他区县")
    # The nearer the deadline, the more a short trip counts (0: relaxed, 1: due now or late).
    urgency = 0.0 if left is None else min(max(1.0 - left / SLA_HORIZON_MINUTES, 0.0), 1.0)
    parts = {
        "distance": near,
        "load": 1.0 - min(tech.load_today / capacity, 1.0) if capacity else 0.0,
        "rating": min(max(tech.rating, 0.0), 5.0) / 5.0,
        "sla": 1.0 - urgency * (1.0 - near),
        "ratio": _ratio_part(tech, ctx),
    }
    terms = {name: round(getattr(weights, name) * part, 1) for name, part in parts.items()}
    return Ranked(tech.id, distance, round(sum(terms.values()), 1), reasons, breaks, terms,
                  skills_ok=skills_ok, region_ok=same_city, has_capacity=has_capacity)


def rank(order: OrderNeeds, techs: list[Technician], regions: RegionIndex,
         ctx: Context | None = None) -> list[Ranked]:
    """Best first; technicians breaking a rule come after every eligible one, flagged."""
    ranked = [rank_one(order, t, regions, ctx) for t in techs]
    return sorted(ranked, key=lambda r: (not r.eligible, -r.score, r.technician_id))
