"""A check-in's position judged against the order's address: WGS-84 -> GCJ-02, the distance, the
region's tolerance and one outcome per check-in, flagged, never blocked.

A phone reports WGS-84; Chinese maps and the address geocodes are GCJ-02, about 100-700 m away,
so the fix is converted first (`wgs84_to_gcj02`, the published algorithm on the Krasovsky
ellipsoid, as googollee/eviltransform and wandergis/coordtransform implement it). Positions
outside China are returned unchanged (`in_china`).

An order's point is an address only when it is not a region's centre: intake places an order in
its county and takes the county's centre (its city's or province's when the county has none,
core.geo.placement.Locator._centre), so a point equal to a centre in resources/regions is a
placement, not an address (`point_kind`). A check-in is never judged against a centre.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple

from core.fieldwork.flags import Flag, FlagKind
from core.geo.distance import haversine_km
from core.geo.regions import REGIONS_CSV, load_regions
from core.text import both

BOUNDARIES = REGIONS_CSV.parent / "boundaries.geojson"


class LatLng(NamedTuple):
    lat: float
    lng: float


# -- WGS-84 -> GCJ-02 ---------------------------------------------------------------------------

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the published algorithm has it
_EE = 0.00669342162296594323  # its first eccentricity squared
# The published algorithm's own box: outside it nothing is shifted.
_WEST, _EAST, _SOUTH, _NORTH = 72.004, 137.8347, 0.8293, 55.8271
NEAR_CENTRE_KM = 30.0  # within this of a region's centre counts as China (islands, coasts)
NEAR_OUTLINE_KM = 5.0  # within this of an outline too (the outlines are simplified to ~2 km)


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def _offset(lat: float, lng: float) -> LatLng:
    dlat = _shift_lat(lng - 105.0, lat - 35.0)
    dlng = _shift_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return LatLng(lat + dlat, lng + dlng)


def wgs84_to_gcj02(lat: float, lng: float) -> LatLng:
    """The GCJ-02 position of a WGS-84 one; unchanged outside China."""
    return _offset(lat, lng) if in_china(lat, lng) else LatLng(lat, lng)


def gcj02_to_wgs84(lat: float, lng: float) -> LatLng:
    """The WGS-84 position whose GCJ-02 is (lat, lng), to well under a metre: the forward
    shift is smooth, so subtracting it and correcting twice converges (what a phone at a
    mapped address would report)."""
    guess = LatLng(lat, lng)
    for _ in range(3):
        shifted = wgs84_to_gcj02(guess.lat, guess.lng)
        guess = LatLng(guess.lat + lat - shifted.lat, guess.lng + lng - shifted.lng)
    return guess


def in_china(lat: float, lng: float) -> bool:
    """Inside the published algorithm's box and, within it, on the mainland, Hong Kong or Macau:
    within NEAR_CENTRE_KM of a region's centre (islands the outlines drop), inside a province
    outline (resources/regions/boundaries.geojson, simplified to ~2 km) or within
    NEAR_OUTLINE_KM of one (coasts and borders the simplification cut). Seoul, Ulaanbaatar,
    Hanoi or Kathmandu, inside the box, stay unshifted; Taiwan, which the mainland's maps do
    not shift, too."""
    if not (_WEST <= lng <= _EAST and _SOUTH <= lat <= _NORTH):
        return False
    return _near_a_centre(lat, lng) or _inside_outline(lat, lng) or _near_outline(lat, lng)


def _near_a_centre(lat: float, lng: float) -> bool:
    reach = NEAR_CENTRE_KM / 111.0 + 0.01  # degrees of latitude, a quick pre-filter
    cos_lat = max(math.cos(math.radians(lat)), 0.05)
    for c_lat, c_lng in _centres():
        if abs(c_lat - lat) <= reach and abs(c_lng - lng) * cos_lat <= reach \
                and haversine_km(lng, lat, c_lng, c_lat) <= NEAR_CENTRE_KM:
            return True
    return False


@cache
def _centres() -> tuple[LatLng, ...]:
    return tuple(LatLng(r.lat, r.lng) for r in load_regions().all()
                 if r.lat is not None and r.lng is not None)


Ring = tuple[tuple[float, float, float, float], tuple[tuple[float, float], ...]]


@cache
def _outlines() -> tuple[tuple[tuple[float, float, float, float], tuple[Ring, ...]], ...]:
    """Each mainland, Hong Kong and Macau province-level polygon as (bbox, rings)."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    polygons = []
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("level") != "province" or props.get("adcode") == "710000":
            continue
        geometry = feature["geometry"]
        parts = geometry["coordinates"]
        for polygon in ([parts] if geometry["type"] == "Polygon" else parts):
            rings: list[Ring] = []
            for ring in polygon:
                points = tuple((float(p[0]), float(p[1])) for p in ring)
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                rings.append(((min(xs), min(ys), max(xs), max(ys)), points))
            polygons.append((rings[0][0], tuple(rings)))
    return tuple(polygons)


def _inside_outline(lat: float, lng: float) -> bool:
    for (west, south, east, north), rings in _outlines():
        if west <= lng <= east and south <= lat <= north:
            inside = False
            for _, points in rings:  # even-odd over the outer ring and its holes
                inside ^= _crossings(points, lng, lat)
            if inside:
                return True
    return False


def _near_outline(lat: float, lng: float) -> bool:
    """Within NEAR_OUTLINE_KM of an outline's edge (flat-earth distance: a few km only)."""
    reach = NEAR_OUTLINE_KM / 111.0
    kx = max(math.cos(math.radians(lat)), 0.05)  # km per degree of longitude / of latitude
    for (west, south, east, north), rings in _outlines():
        if not (west - reach / kx <= lng <= east + reach / kx
                and south - reach <= lat <= north + reach):
            continue
        for _, points in rings:
            for (x1, y1), (x2, y2) in itertools.pairwise(points):
                if _segment_km(((x1 - lng) * kx, y1 - lat), ((x2 - lng) * kx, y2 - lat)) \
                        <= NEAR_OUTLINE_KM:
                    return True
    return False


def _segment_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from the origin to the segment a-b, both in degrees of latitude, in km."""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / span))
    return math.hypot(ax + t * dx, ay + t * dy) * 111.0


def _crossings(points: tuple[tuple[float, float], ...], x: float, y: float) -> bool:
    odd = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            odd = not odd
    return odd


# -- the order's point --------------------------------------------------------------------------

class PointKind(StrEnum):
    ADDRESS = "address"  # a geocode of the address (or a point a person set)
    CENTRE = "centre"  # a region's centre from placement: where the county is, not the house
    NONE = "none"  # the order has no point at all


@cache
def _centre_keys() -> frozenset[tuple[float, float]]:
    return frozenset((round(c.lat, 6), round(c.lng, 6)) for c in _centres())


def point_kind(lat: float | None, lng: float | None) -> PointKind:
    """What the order's point is: a region's centre (to 6 decimals, ~0.1 m) is a placement."""
    if lat is None or lng is None:
        return PointKind.NONE
    if (round(lat, 6), round(lng, 6)) in _centre_keys():
        return PointKind.CENTRE
    return PointKind.ADDRESS


# -- the region's tolerance ---------------------------------------------------------------------

DISTRICT_M = 500  # a city district (区): streets, geocodes to the building
COUNTY_M = 1_000  # a county, banner or county-level city: villages geocode to the village
REMOTE_COUNTY_M = 3_000  # a county or banner where houses lie kilometres apart (below)
# Fewer than ~25 people per km²: Inner Mongolia, Tibet, Qinghai, Xinjiang (NBS 2020 census).
REMOTE_PROVINCES = {"15": "内蒙古自治区", "54": "西藏自治区", "63": "青海省",
                    "65": "新疆维吾尔自治区"}
MIN_TOLERANCE_M, MAX_TOLERANCE_M = 50, 20_000  # what a region may be set to


class ToleranceFrom(StrEnum):
    COUNTY = "county"  # the county's own setting
    CITY = "city"
    PROVINCE = "province"
    RULE = "rule"  # no setting: the default rule by kind of county


@dataclass(frozen=True)
class Tolerance:
    metres: int
    source: ToleranceFrom


def region_chain(county_adcode: str | None) -> list[tuple[str, ToleranceFrom]]:
    """The adcodes whose setting applies to a county, most specific first."""
    if not county_adcode or len(county_adcode) != 6 or not county_adcode.isdigit():
        return []
    chain: dict[str, ToleranceFrom] = {}
    for code, source in ((county_adcode, ToleranceFrom.COUNTY),
                         (county_adcode[:4] + "00", ToleranceFrom.CITY),
                         (county_adcode[:2] + "0000", ToleranceFrom.PROVINCE)):
        chain.setdefault(code, source)  # 东莞 441900 is its own city: one entry
    return list(chain.items())


def default_tolerance_m(county_adcode: str | None) -> int:
    """The rule when no region sets its own: a district 500 m; a county, banner or county-level
    city 1 km; a county or banner (县, 旗) in a remote province 3 km. An unknown county: 1 km."""
    region = load_regions().get(county_adcode) if county_adcode else None
    if region is None or region.level != "county":
        return COUNTY_M
    name = region.name
    if name.endswith("区") and not name.endswith(("林区", "特区")):  # 神农架林区, 六枝特区: rural
        return DISTRICT_M
    if name.endswith(("县", "旗")) and region.adcode[:2] in REMOTE_PROVINCES:
        return REMOTE_COUNTY_M
    return COUNTY_M


def tolerance_for(county_adcode: str | None, settings: dict[str, int]) -> Tolerance:
    """The most specific region setting (county, city, province), else the default rule."""
    for code, source in region_chain(county_adcode):
        if code in settings:
            return Tolerance(settings[code], source)
    return Tolerance(default_tolerance_m(county_adcode), ToleranceFrom.RULE)


# -- one check-in's outcome ---------------------------------------------------------------------

class Outcome(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    SKIPPED = "skipped"  # no position sent
    STALE = "stale"  # the fix was not taken at the check-in
    INACCURATE = "inaccurate"  # the fix is too coarse to judge
    NO_ADDRESS_POINT = "no_address_point"  # the order has only a region's centre, or nothing


FLAG_OF = {Outcome.OUTSIDE: FlagKind.CHECKIN_OUTSIDE, Outcome.SKIPPED: FlagKind.CHECKIN_SKIPPED,
           Outcome.STALE: FlagKind.CHECKIN_STALE, Outcome.INACCURATE: FlagKind.CHECKIN_INACCURATE}


@dataclass(frozen=True)
class Fix:
    """A device position as sent: WGS-84, its accuracy radius and when it was taken."""

    lat: float
    lng: float
    accuracy_m: float
    at: datetime


@dataclass(frozen=True)
class CheckinRules:
    """A fix older than `stale_after` at the check-in, or dated more than `ahead_by` after it
    (a device clock not to be trusted), is stale; one less accurate than `worst_accuracy_m` is
    inaccurate. Inside means within the tolerance plus the fix's own accuracy radius (the true
    position may be anywhere in it)."""

    stale_after: timedelta = timedelta(minutes=10)
    ahead_by: timedelta = timedelta(minutes=2)
    worst_accuracy_m: float = 300.0


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    tolerance: Tolerance
    point: PointKind
    gcj: LatLng | None = None
    distance_m: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def flags(self) -> tuple[Flag, ...]:
        kind = FLAG_OF.get(self.outcome)
        return (Flag(kind, dict(self.detail)),) if kind else ()

    def text(self) -> str:
        """The outcome in words, Chinese first with the English after it."""
        d, t = self.detail, self.tolerance.metres
        zh, en = {
            Outcome.INSIDE: (f"签到在范围内：距地址 {d.get('distance_m')} 米（容差 {t} 米）",
                             f"inside: {d.get('distance_m')} m from the address, tolerance {t} m"),
            Outcome.OUTSIDE: (f"签到位置距地址 {d.get('distance_m')} 米，超出容差 {t} 米",
                              f"outside: {d.get('distance_m')} m from the address, "
                              f"tolerance {t} m"),
            Outcome.SKIPPED: ("签到未上传位置", "no position sent"),
            Outcome.STALE: (f"定位时间与签到相差 {d.get('age_s')} 秒，不能代表签到位置",
                            f"stale: the fix is {d.get('age_s')} s from the check-in time"),
            Outcome.INACCURATE: (f"定位精度 {d.get('accuracy_m')} 米，差于 "
                                 f"{d.get('limit_m')} 米，无法判断",
                                 f"inaccurate: accuracy {d.get('accuracy_m')} m, "
                                 f"worse than {d.get('limit_m')} m"),
            Outcome.NO_ADDRESS_POINT: ("工单没有地址坐标（只有区县中心），未判断距离",
                                       "the order has no address point (only its county's "
                                       "centre): distance not judged"),
        }[self.outcome]
        return both(zh, en)


def judge(fix: Fix | None, order_lat: float | None, order_lng: float | None,
          tolerance: Tolerance, at: datetime, rules: CheckinRules | None = None) -> Judgement:
    """One check-in at `at`: the first of skipped, stale, inaccurate, no address point, then
    inside or outside. The distance is measured whenever there is a fix and an address point."""
    rules = rules or CheckinRules()
    point = point_kind(order_lat, order_lng)
    if fix is None:
        return Judgement(Outcome.SKIPPED, tolerance, point)
    gcj = wgs84_to_gcj02(fix.lat, fix.lng)
    distance = None
    detail: dict[str, Any] = {}
    if point is PointKind.ADDRESS and order_lat is not None and order_lng is not None:
        distance = round(haversine_km(gcj.lng, gcj.lat, order_lng, order_lat) * 1000, 1)
        detail["distance_m"] = round(distance)
    age = at - fix.at
    if age > rules.stale_after or -age > rules.ahead_by:
        detail.update(age_s=int(age.total_seconds()),
                      limit_s=int(rules.stale_after.total_seconds()))
        return Judgement(Outcome.STALE, tolerance, point, gcj, distance, detail)
    if fix.accuracy_m > rules.worst_accuracy_m:
        detail.update(accuracy_m=round(fix.accuracy_m), limit_m=round(rules.worst_accuracy_m))
        return Judgement(Outcome.INACCURATE, tolerance, point, gcj, distance, detail)
    if distance is None:
        return Judgement(Outcome.NO_ADDRESS_POINT, tolerance, point, gcj, None, detail)
    detail.update(tolerance_m=tolerance.metres, accuracy_m=round(fix.accuracy_m))
    inside = distance - fix.accuracy_m <= tolerance.metres
    return Judgement(Outcome.INSIDE if inside else Outcome.OUTSIDE, tolerance, point, gcj,
                     distance, detail)
