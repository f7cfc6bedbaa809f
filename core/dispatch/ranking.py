"""Ranking technicians for an order: hard checks shown as flags, a score, reasons in words.

Pure rules (no FastAPI, no SQL).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.geo.distance import haversine_km
from core.geo.regions import RegionIndex

# A technician this far from the order earns no distance points at all.
DISTANCE_HORIZON_KM = 30.0
WEIGHT_DISTANCE, WEIGHT_LOAD, WEIGHT_REGION = 50.0, 30.0, 20.0


@dataclass(frozen=True)
class OrderNeeds:
    county_adcode: str | None
    skills: tuple[str, ...]
    lng: float | None
    lat: float | None


@dataclass(frozen=True)
class Technician:
    id: int
    skills: tuple[str, ...]
    county_adcode: str
    home_lng: float
    home_lat: float
    daily_capacity: int
    load_today: int


@dataclass(frozen=True)
class Ranked:
    technician_id: int
    distance_km: float | None
    skills_ok: bool
    region_ok: bool
    has_capacity: bool
    score: float
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return self.skills_ok and self.region_ok and self.has_capacity


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


def rank_one(order: OrderNeeds, tech: Technician, regions: RegionIndex) -> Ranked:
    reasons: list[str] = []
    missing = [s for s in order.skills if s not in tech.skills]
    reasons.append(f"lacks skill: {', '.join(missing)}" if missing else "has the skills needed")
    same_county = order.county_adcode == tech.county_adcode
    same_city = bool(order.county_adcode) and (
        _city(regions, order.county_adcode or "") == _city(regions, tech.county_adcode)
    )
    if same_county:
        reasons.append("same county")
    elif same_city:
        reasons.append("same city, other county")
    else:
        reasons.append("outside the order's city")
    capacity = max(tech.daily_capacity, 0)
    has_capacity = tech.load_today < capacity
    reasons.append(f"{tech.load_today} of {capacity} jobs today"
                   + ("" if has_capacity else ": no capacity left"))
    where = _location(order, regions)
    distance = None
    if where is None:
        reasons.append("order has no location yet")
        distance_part = 0.5
    else:
        distance = round(haversine_km(tech.home_lng, tech.home_lat, *where), 1)
        reasons.append(f"{distance:.1f} km from home")
        distance_part = max(0.0, 1.0 - distance / DISTANCE_HORIZON_KM)
    load_part = 1.0 - min(tech.load_today / capacity, 1.0) if capacity else 0.0
    region_part = 1.0 if same_county else 0.5 if same_city else 0.0
    score = (WEIGHT_DISTANCE * distance_part + WEIGHT_LOAD * load_part
             + WEIGHT_REGION * region_part)
    return Ranked(tech.id, distance, not missing, same_county or same_city, has_capacity,
                  round(score, 1), reasons)


def rank(order: OrderNeeds, techs: list[Technician], regions: RegionIndex) -> list[Ranked]:
    """Best first; technicians failing a hard check come after every eligible one."""
    ranked = [rank_one(order, t, regions) for t in techs]
    return sorted(ranked, key=lambda r: (not r.eligible, -r.score, r.technician_id))
