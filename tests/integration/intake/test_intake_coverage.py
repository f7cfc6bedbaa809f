"""Coverage: covered-only clients refuse uncovered counties; accept-all ones report gaps."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from intake_support import UNCOVERED_ADDRESS, Login, Post, SetPolicy, own_order
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.storage.tables import OrderRecord


def _orders(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(OrderRecord)) or 0)


def test_a_covered_only_client_refuses_an_uncovered_county_and_creates_nothing(
    post_own: Post, set_policy: SetPolicy, world: Engine, api: TestClient, auth: Login
) -> None:
    set_policy(coverage_mode="covered_only")

    (outcome,) = post_own(own_order("SHOP1", address=UNCOVERED_ADDRESS)).json()["outcomes"]

    assert outcome["outcome"] == "refused"
    assert "西湖区" in outcome["reason"] and "不在服务" in outcome["reason"]
    assert _orders(world) == 0
    message = api.get(f"/v1/intake/messages/{outcome['message_id']}",
                      headers=auth("agent")).json()
    assert message["status"] == "refused" and message["reason"] == outcome["reason"]


def test_an_accept_all_client_takes_it_and_reports_the_gap(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    (outcome,) = post_own(own_order("SHOP1", address=UNCOVERED_ADDRESS)).json()["outcomes"]
    post_own(own_order("SHOP2", address="浙江省杭州市西湖区文一路2号",
                       customer_phone="13900001111"))

    gaps = api.get("/v1/intake/coverage-gaps", headers=auth("agent")).json()
    origin = api.get(f"/v1/orders/{outcome['order_ids'][0]}/origin",
                     headers=auth("agent")).json()

    assert outcome["outcome"] == "created"
    assert origin["covered"] is False and origin["region_standard"] is None
    assert [(g["county_adcode"], g["county_name"], g["city"], g["orders"]) for g in gaps] == [
        ("330106", "西湖区", "杭州市", 2)]


def test_a_covered_county_carries_its_standard_in_the_origin(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    (outcome,) = post_own(own_order("SHOP1")).json()["outcomes"]

    origin = api.get(f"/v1/orders/{outcome['order_ids'][0]}/origin",
                     headers=auth("agent")).json()

    assert origin["covered"] is True
    assert origin["placement"]["adcode"] == "110105"
    assert origin["region_standard"]["adcode"] == "110105"
    assert origin["region_standard"]["fee_level"] == "premium"
    assert origin["platform_order_ids"] == ["SHOP1"] and origin["audit_decision"] == "pass"
    assert api.get("/v1/intake/coverage-gaps", headers=auth("agent")).json() == []


def test_an_order_not_from_intake_has_no_origin(
    api: TestClient, auth: Login, make_order: Callable[..., OrderCreate]
) -> None:
    body = make_order(1).model_dump(mode="json")
    order = api.post("/v1/orders", json=body, headers=auth("agent")).json()

    assert api.get(f"/v1/orders/{order['id']}/origin", headers=auth("agent")).status_code == 404
