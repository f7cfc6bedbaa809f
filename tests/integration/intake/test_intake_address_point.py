"""An own-shop order that brings its address's geocode keeps it, end to end over HTTP: the point
near the placed county becomes the order's point (which field execution judges check-ins
against), a far one leaves the county's centre with the reason, half a pair is a dead letter,
and later updates move the point with the address."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from intake_support import Login, Post, SetPolicy, own_order

from core.fieldwork.position import PointKind, point_kind

CHAOYANG = (116.443205, 39.921506)  # 110105's centre (resources/regions/regions.csv)
HAIDIAN = (116.298262, 39.95993)  # 110108's
GUOMAO = {"lng": 116.4613, "lat": 39.9087}  # 建国路, 朝阳区
ZHONGGUANCUN = {"lng": 116.3162, "lat": 39.9841}  # 中关村大街, 海淀区
SHANGHAI = {"lng": 121.4737, "lat": 31.2304}  # ~1,068 km from 朝阳区's centre


def _posted(post_own: Post, record: dict[str, Any]) -> dict[str, Any]:
    response = post_own(record)
    assert response.status_code == 200, response.text
    (outcome,) = response.json()["outcomes"]
    return dict(outcome)


def _detail(api: TestClient, auth: Login, order_id: int) -> dict[str, Any]:
    body: dict[str, Any] = api.get(f"/v1/orders/{order_id}", headers=auth("agent")).json()
    return body


def _point(detail: dict[str, Any]) -> tuple[float, float]:
    return detail["lng"], detail["lat"]


def test_the_shops_point_becomes_the_orders_and_is_an_address(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    outcome = _posted(post_own, own_order("SHOP1", **GUOMAO))

    assert outcome["outcome"] == "created"
    detail = _detail(api, auth, outcome["order_ids"][0])
    assert detail["county_adcode"] == "110105" and detail["state"] == "classified"
    assert _point(detail) == (GUOMAO["lng"], GUOMAO["lat"])
    assert point_kind(detail["lat"], detail["lng"]) is PointKind.ADDRESS
    place = next(e for e in detail["timeline"] if e["kind"] == "place")
    assert "采用平台提供的地址坐标" in place["reason"]


def test_without_a_point_the_order_has_its_countys_centre(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    outcome = _posted(post_own, own_order("SHOP1"))

    detail = _detail(api, auth, outcome["order_ids"][0])
    assert _point(detail) == CHAOYANG
    assert point_kind(detail["lat"], detail["lng"]) is PointKind.CENTRE


def test_a_point_1000_km_from_the_county_is_ignored_with_the_reason(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    outcome = _posted(post_own, own_order("SHOP1", **SHANGHAI))

    assert outcome["outcome"] == "created"
    detail = _detail(api, auth, outcome["order_ids"][0])
    assert _point(detail) == CHAOYANG
    place = next(e for e in detail["timeline"] if e["kind"] == "place")
    assert "未采用" in place["reason"] and "1,068 公里" in place["reason"]
    assert "121.47" not in str(detail["timeline"])  # the geocode stays on the order


def test_half_a_pair_is_a_dead_letter_with_the_reason(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    outcome = _posted(post_own, own_order("SHOP1", lng=116.4613))

    assert (outcome["outcome"], outcome["field"]) == ("dead", "lat")
    message = api.get(f"/v1/intake/messages/{outcome['message_id']}",
                      headers=auth("agent")).json()
    assert message["status"] == "dead" and "缺少 lat" in message["reason"]
    assert '"lng":116.4613' in message["payload"]  # kept as sent, for the agents


def test_a_point_out_of_range_is_a_dead_letter(post_own: Post) -> None:
    outcome = _posted(post_own, own_order("SHOP1", lng=116.4613, lat=139.9))

    assert (outcome["outcome"], outcome["field"]) == ("dead", "lat")
    assert "超出范围" in outcome["reason"]


def test_an_address_update_with_a_point_moves_the_orders_point(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _posted(post_own, own_order("SHOP1", **GUOMAO))["order_ids"][0]

    update = _posted(post_own, own_order("SHOP1", intent="update",
                                         address="北京市海淀区中关村大街1号", **ZHONGGUANCUN))

    assert update["outcome"] == "updated"
    detail = _detail(api, auth, order_id)
    assert detail["county_adcode"] == "110108"
    assert _point(detail) == (ZHONGGUANCUN["lng"], ZHONGGUANCUN["lat"])
    assert "采用平台提供的地址坐标" in detail["timeline"][-1]["reason"]


def test_an_address_update_without_a_point_falls_back_to_the_new_countys_centre(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _posted(post_own, own_order("SHOP1", **GUOMAO))["order_ids"][0]

    _posted(post_own, own_order("SHOP1", intent="update", address="北京市海淀区中关村大街1号"))

    assert _point(_detail(api, auth, order_id)) == HAIDIAN  # the old house's point is gone


def test_a_phone_update_without_a_point_keeps_the_address_point(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _posted(post_own, own_order("SHOP1", **GUOMAO))["order_ids"][0]

    update = _posted(post_own, own_order("SHOP1", intent="update",
                                         customer_phone="13900000000"))

    assert update["outcome"] == "updated"
    detail = _detail(api, auth, order_id)
    assert detail["customer_phone"] == "13900000000"
    assert _point(detail) == (GUOMAO["lng"], GUOMAO["lat"])


def test_a_held_order_keeps_its_point_through_the_review(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login
) -> None:
    set_policy(audit_mode="manual")
    outcome = _posted(post_own, own_order("SHOP1", **GUOMAO))
    assert outcome["outcome"] == "review"
    order_id = outcome["order_ids"][0]

    response = api.post(f"/v1/intake/reviews/{order_id}", json={"approve": True, "version": 1},
                        headers=auth("agent"))

    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["state"] == "classified"
    assert _point(detail) == (GUOMAO["lng"], GUOMAO["lat"])
    assert point_kind(detail["lat"], detail["lng"]) is PointKind.ADDRESS
