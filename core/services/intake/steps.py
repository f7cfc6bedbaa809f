"""The automatic first steps of an intake order: audit, place, classify, by the actor `intake`;
and which point the order takes (`order_point`): the platform's geocode or the county's centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.contracts.intake import PlacementOut
from core.geo.distance import haversine_km
from core.intake.model import AddressPoint
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder

INTAKE_ACTOR = Actor("intake", Role.SYSTEM)  # the backend itself, not an admin

# How far from the placed county's centre a platform's geocode may lie and still be taken.
# A county's houses lie within a few tens of km of its centre (most counties are 1,000-3,000
# km², a radius of 20-30 km; the large ones of Inner Mongolia or Heilongjiang ~20,000 km², ~80
# km), and a centre taken from the city when the county has none is a city's width away: 150
# km keeps all of those. What it refuses are the geocodes that are not this address: a (0, 0)
# placeholder, a geocode of a same-named street in another province, a point left from an old
# address (lng and lat swapped are out of range and refused by the adapters already). The cost
# of refusing is small (the order keeps its centre and its check-ins go unjudged, as before);
# of keeping a wrong point, every check-in flagged outside. The few counties wider than this
# (若羌, 格尔木, ~100,000 km² and more) keep their centre.
NEAR_COUNTY_KM = 150.0


@dataclass(frozen=True)
class OrderPoint:
    """The point an order takes, and why when a platform sent one."""

    lng: float | None
    lat: float | None
    taken: bool = False  # the platform's geocode (False: the placement's centre)
    note: str = ""  # for the timeline, Chinese with the English; "" when no geocode was sent


def order_point(centre_lng: float | None, centre_lat: float | None,
                sent: AddressPoint | None) -> OrderPoint:
    """The platform's geocode when it lies within NEAR_COUNTY_KM of the placed county's centre,
    else the centre, with a note either way when a geocode was sent. The note never holds the
    coordinates: timelines travel the change feed to every desk, and a geocode is the house."""
    if sent is None:
        return OrderPoint(centre_lng, centre_lat)
    if centre_lng is None or centre_lat is None:
        return OrderPoint(centre_lng, centre_lat, False, (
            "平台提供的地址坐标无法与区县中心核对（区县没有中心坐标），未采用 "
            "(the platform's address point cannot be checked against the county: "
            "the county has no centre; not used)"))
    km = haversine_km(sent.lng, sent.lat, centre_lng, centre_lat)
    if km <= NEAR_COUNTY_KM:
        return OrderPoint(sent.lng, sent.lat, True, (
            "采用平台提供的地址坐标 (the platform's address point is used)"))
    return OrderPoint(centre_lng, centre_lat, False, (
        f"平台提供的地址坐标距区县中心 {km:,.0f} 公里，"
        f"超过 {NEAR_COUNTY_KM:.0f} 公里，未采用，取区县中心 "
        f"(the platform's address point is {km:,.0f} km from the county centre, beyond "
        f"{NEAR_COUNTY_KM:.0f} km: not used; the county centre is kept)"))


def auto_audit(order: ServiceOrder, at: datetime, score: int) -> None:
    order.apply(c.Audit(), INTAKE_ACTOR, at,
                f"自动审核通过（风险分 {score}） (passed the automatic audit: risk score {score})")


def place_and_classify(
    order: ServiceOrder, at: datetime, placement: PlacementOut | None,
    service_type: str | None, skills: list[str], classify_note: str,
    sent: AddressPoint | None = None,
) -> None:
    """Place the audited order when its county is known, then classify it when it can be.

    The point is the platform's geocode `sent` when it is near the county (order_point). An
    order the audit held back is placed when an agent approves it, without `sent`: the point it
    was received with stays when that is not the centre (it was checked on receipt)."""
    if order.state is not OrderState.AUDITED or placement is None or not placement.adcode:
        return
    where = f"{placement.province}{placement.city}{placement.county}" or placement.adcode
    # "中文 (English)" pieces joined by "；": the console shows each in one language.
    notes = [f"按地址定位到 {where} (placed by the address in {where})", placement.note]
    if sent is None and order.lng is not None and order.lat is not None \
            and (order.lng, order.lat) != (placement.lng, placement.lat):
        sent = AddressPoint(order.lng, order.lat)
    point = order_point(placement.lng, placement.lat, sent)
    notes.append(point.note)
    reason = "；".join(note for note in notes if note)
    has_point = point.lng is not None and point.lat is not None
    order.apply(c.Place(county_adcode=placement.adcode,
                        county_name=placement.county or order.county_name,
                        lng=point.lng if has_point else None,
                        lat=point.lat if has_point else None), INTAKE_ACTOR, at, reason)
    if not service_type:
        return
    why = "按商品目录分类 (classified by the catalogue)" + (
        f"；{classify_note}" if classify_note else "")
    order.apply(c.Classify(service_type=service_type, skills=skills), INTAKE_ACTOR, at, why)
