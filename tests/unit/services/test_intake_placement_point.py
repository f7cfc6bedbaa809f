"""Which point an intake order takes: the platform's geocode near the placed county, else the
county's centre with the reason in the place step; field execution then calls the former an
address and the latter a centre (core.fieldwork.position.point_kind)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.contracts.intake import PlacementOut
from core.fieldwork.position import PointKind, point_kind
from core.geo.distance import haversine_km
from core.intake.model import AddressPoint
from core.orders import commands as c
from core.orders.model import OrderItem, ServiceOrder
from core.services.intake.steps import (
    INTAKE_ACTOR,
    NEAR_COUNTY_KM,
    OrderPoint,
    order_point,
    place_and_classify,
)

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHAOYANG = (116.443205, 39.921506)  # 110105's centre in resources/regions/regions.csv
GUOMAO = AddressPoint(116.4613, 39.9087)  # a house in 朝阳区, ~2 km from the centre
SHANGHAI = AddressPoint(121.4737, 31.2304)  # ~1,068 km away: not an address in 朝阳区


def placement(lng: float | None = CHAOYANG[0], lat: float | None = CHAOYANG[1]) -> PlacementOut:
    return PlacementOut(adcode="110105", province="北京市", city="", county="朝阳区",
                        lng=lng, lat=lat, confidence=0.95, method="text",
                        note="按地址文本定位：北京市朝阳区")


def audited(**fields: object) -> ServiceOrder:
    order = ServiceOrder.receive(
        INTAKE_ACTOR, AT, order_no="LM1", platform="own", platform_order_id="A-1",
        customer_name="张三", customer_phone="13800000000", address="北京市朝阳区建国路88号",
        items=[OrderItem("K1", "空调", 1, 100)], county_adcode="110105", county_name="朝阳区",
        **fields)
    order.apply(c.Audit(), INTAKE_ACTOR, AT, "自动审核通过")
    return order


def test_a_point_near_the_county_is_taken() -> None:
    point = order_point(*CHAOYANG, GUOMAO)

    assert (point.lng, point.lat, point.taken) == (GUOMAO.lng, GUOMAO.lat, True)
    assert "采用平台提供的地址坐标" in point.note


def test_a_point_1000_km_away_keeps_the_centre_and_says_why() -> None:
    assert haversine_km(SHANGHAI.lng, SHANGHAI.lat, *CHAOYANG) > 1_000

    point = order_point(*CHAOYANG, SHANGHAI)

    assert (point.lng, point.lat, point.taken) == (*CHAOYANG, False)
    assert "未采用" in point.note and "150 公里" in point.note and "not used" in point.note
    assert "1,068 公里" in point.note  # the distance, in km
    assert "121.47" not in point.note and "31.23" not in point.note  # never the house itself


def test_the_limit_is_the_distance_from_the_centre() -> None:
    # Due north: 1 degree of latitude is ~111.2 km, so 1.3 degrees are inside, 1.4 outside.
    inside = AddressPoint(CHAOYANG[0], CHAOYANG[1] + 1.3)
    outside = AddressPoint(CHAOYANG[0], CHAOYANG[1] + 1.4)

    assert order_point(*CHAOYANG, inside).taken
    assert not order_point(*CHAOYANG, outside).taken
    assert NEAR_COUNTY_KM == 150.0


def test_no_point_sent_is_the_centre_without_a_word() -> None:
    assert order_point(*CHAOYANG, None) == OrderPoint(*CHAOYANG, taken=False, note="")


def test_a_county_without_a_centre_cannot_check_the_point() -> None:
    point = order_point(None, None, GUOMAO)

    assert (point.lng, point.lat, point.taken) == (None, None, False)
    assert "无法" in point.note


def test_the_place_step_takes_the_platforms_point_and_fieldwork_calls_it_an_address() -> None:
    order = audited(lng=GUOMAO.lng, lat=GUOMAO.lat)

    place_and_classify(order, AT, placement(), "install", ["aircon"], "", GUOMAO)

    assert (order.lng, order.lat) == (GUOMAO.lng, GUOMAO.lat)
    place = next(e for e in order.pending_events if e.kind == "place")
    assert "采用平台提供的地址坐标" in place.reason
    assert point_kind(order.lat, order.lng) is PointKind.ADDRESS


def test_the_place_step_ignores_a_far_point_with_the_reason() -> None:
    order = audited(lng=CHAOYANG[0], lat=CHAOYANG[1])

    place_and_classify(order, AT, placement(), "install", ["aircon"], "", SHANGHAI)

    assert (order.lng, order.lat) == CHAOYANG
    place = next(e for e in order.pending_events if e.kind == "place")
    assert place.reason.startswith("按地址定位到 北京市朝阳区") and "未采用" in place.reason
    assert point_kind(order.lat, order.lng) is PointKind.CENTRE


def test_without_a_point_the_place_step_is_as_before() -> None:
    order = audited()

    place_and_classify(order, AT, placement(), "install", ["aircon"], "")

    assert (order.lng, order.lat) == CHAOYANG
    place = next(e for e in order.pending_events if e.kind == "place")
    # Bilingual pieces joined by "；" (the console shows each in one language).
    assert place.reason == ("按地址定位到 北京市朝阳区 (placed by the address in 北京市朝阳区)"
                            "；按地址文本定位：北京市朝阳区")


@pytest.mark.parametrize(("received", "kind"), [
    ((GUOMAO.lng, GUOMAO.lat), PointKind.ADDRESS), (CHAOYANG, PointKind.CENTRE)])
def test_a_reviewed_order_keeps_the_point_it_was_received_with(
    received: tuple[float, float], kind: PointKind
) -> None:
    # An approval places the order without the platform's message: the point on the order
    # (checked on receipt) stays when it is not the centre.
    order = audited(lng=received[0], lat=received[1])

    place_and_classify(order, AT, placement(), "install", ["aircon"], "")

    assert (order.lng, order.lat) == received
    assert point_kind(order.lat, order.lng) is kind
