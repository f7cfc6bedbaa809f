"""Ranking technicians for an order: hard rules reported as breaks, weighted goals as a score.

Pure rules (no FastAPI, no SQL). A rule the choice would break is never a reason to hide a
technician: the agent sees every active one, eligible first, the breaks in plain Chinese, so a
person can break a rule on purpose (and the timeline says they did). The hard rules themselves
are core.dispatch.eligibility's, the same grab and central dispatch apply.

The order of the list (`standing`): eligible ones by score; then those breaking rules within
the order's city, fewest rules first, then by score; then technicians of other cities; last,
whoever turned this very order down, the most often last. Only technicians of other cities may
be left out (`rank(..., other_cities=False)`, the desk's default view).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.dispatch import eligibility
from core.dispatch import round_reasons as say
from core.dispatch.eligibility import Job, Rule, Worker
from core.dispatch.eligibility_text import skill_name, words
from core.dispatch.policy import RegionPolicy
from core.dispatch.round_reasons import Said
from core.geo.distance import haversine_km
from core.geo.regions import RegionIndex

# skill_name stays importable from here: the console's technician table names skills with it.
__all__ = ["Context", "OrderNeeds", "Ranked", "Technician", "rank", "rank_one", "skill_name",
           "standing"]
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
    # When the order must have its appointment (the appointment step's SLA limit).
    appointment_due: datetime | None = None
    # Technicians who refused it or let it time out: ids, or id -> times (the words then say
    # how often; core.dispatch.refusals.turned_down_times).
    refused_by: Collection[int] | Mapping[int, int] = frozenset()
    taken_back_from: frozenset[int] = frozenset()  # technicians a person took it back from


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
    active: bool = True


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
    rules: tuple[Rule, ...] = ()  # the rules of `breaks`, in the same order
    refused_times: int = 0  # how many times this technician turned this order down
    # `reasons` and `breaks` in English, item for item (the console shows one language).
    reasons_en: list[str] = field(default_factory=list)
    breaks_en: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.breaks

    @property
    def turned_down(self) -> bool:
        return Rule.TURNED_DOWN in self.rules


@dataclass(frozen=True)
class Context:
    """What ranking needs beyond the order and the technician: the region's rules, the time,
    and how many of the region's orders each service point took today (for the ratio goal)."""

    policy: RegionPolicy = field(default_factory=RegionPolicy)
    now: datetime | None = None
    point_counts: Mapping[str, int] = field(default_factory=dict)


def _location(order: OrderNeeds, regions: RegionIndex) -> tuple[float, float] | None:
    if order.lng is not None and order.lat is not None:
        return order.lng, order.lat
    county = regions.get(order.county_adcode) if order.county_adcode else None
    if county and county.lng is not None and county.lat is not None:
        return county.lng, county.lat
    return None


def _minutes_left(order: OrderNeeds, now: datetime | None) -> float | None:
    if order.appointment_due is None or now is None:
        return None
    return (order.appointment_due - now).total_seconds() / 60


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


def _job(order: OrderNeeds) -> Job:
    return Job(order.county_adcode, order.skills, order.service_type, order.lng, order.lat,
               order.refused_by, order.taken_back_from)


def _worker(tech: Technician) -> Worker:
    return Worker(tech.id, tech.county_adcode, tech.skills, tech.qualifications, tech.home_lng,
                  tech.home_lat, tech.daily_capacity, tech.load_today, tech.active)


def rank_one(order: OrderNeeds, tech: Technician, regions: RegionIndex,
             ctx: Context | None = None) -> Ranked:
    ctx = ctx or Context()
    weights = ctx.policy.weights
    same_county = bool(order.county_adcode) and order.county_adcode == tech.county_adcode
    same_city = eligibility.same_city(order.county_adcode, tech.county_adcode)
    where = _location(order, regions)
    distance = None if where is None else round(
        haversine_km(tech.home_lng, tech.home_lat, *where), 1)
    # The rules judge the order's own location; the county's centre only ranks.
    found = eligibility.breaks(_job(order), _worker(tech), ctx.policy)
    broken = tuple(b.rule for b in found)
    breaks = [words(b) for b in found]

    said: list[Said] = []
    horizon = float(ctx.policy.max_distance_km or DISTANCE_HORIZON_KM)
    if distance is None:
        said.append(Said("订单还没有位置", "the order has no location yet"))
        near = 0.5
    else:
        said.append(say.distance(distance))
        near = max(0.0, 1.0 - distance / horizon)
    capacity = max(tech.daily_capacity, 0)
    said.append(say.load(tech.load_today, capacity))
    said.append(say.rating(tech.rating))
    left = _minutes_left(order, ctx.now)
    if left is not None:
        said.append(say.time_left(left))
    if same_county:
        said.append(Said("同区县", "same county"))
    elif same_city:
        said.append(Said("同城其他区县", "another county of the same city"))
    reasons = [zh for zh, _ in said]
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
                  skills_ok=Rule.MISSING_SKILLS not in broken, region_ok=same_city,
                  has_capacity=Rule.FULL not in broken, rules=broken,
                  refused_times=next((b.times for b in found if b.rule is Rule.TURNED_DOWN), 0),
                  reasons_en=[en for _, en in said], breaks_en=[words(b, "en") for b in found])


def standing(r: Ranked) -> tuple[bool, int, bool, int, float, int]:
    """Where a candidate stands in the list (smaller first): see the module's docstring. A
    technician who turned this order down goes behind everyone, another city's too."""
    return (r.turned_down, r.refused_times, not r.region_ok, len(r.rules), -r.score,
            r.technician_id)


def rank(order: OrderNeeds, techs: list[Technician], regions: RegionIndex,
         ctx: Context | None = None, *, other_cities: bool = True) -> list[Ranked]:
    """Best first (`standing`); technicians breaking a rule come after every eligible one,
    flagged. `other_cities` False leaves out technicians of another city than the order's
    (all stay when the order's county is not known)."""
    if not other_cities and order.county_adcode:
        techs = [t for t in techs if eligibility.same_city(order.county_adcode, t.county_adcode)]
    return sorted((rank_one(order, t, regions, ctx) for t in techs), key=standing)
