"""The audit review queue: held orders, approve (audit, place, classify), reject with reason."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from intake_support import Login, Post, SetPolicy, own_order


def _held(post_own: Post, set_policy: SetPolicy, poid: str = "SHOP1") -> int:
    set_policy(audit_mode="manual")
    (outcome,) = post_own(own_order(poid)).json()["outcomes"]
    assert outcome["outcome"] == "review", outcome
    order_id: int = outcome["order_ids"][0]
    return order_id


def _decide(api: TestClient, auth: Login, order_id: int, **body: object) -> Response:
    return api.post(f"/v1/intake/reviews/{order_id}", json=body, headers=auth("agent"))


def test_a_manual_client_sends_its_orders_to_review_and_they_stay_new(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login
) -> None:
    order_id = _held(post_own, set_policy)

    page = api.get("/v1/intake/reviews", headers=auth("agent")).json()

    (item,) = page["rows"]
    assert page["total"] == 1
    assert (item["order"]["id"], item["order"]["state"]) == (order_id, "new")
    assert item["order"]["county_adcode"] == "110105"
    assert item["amount_fen"] == 289900 and item["platform_order_id"] == "SHOP1"


def test_a_suspicious_order_of_an_auto_client_is_held_with_its_flags(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    token = own_order("SHOP1", customer_phone="13000000000", items=[
        {"sku": "AC-KFR35", "name": "空调挂机 1.5匹", "quantity": 1, "unit_price_fen": 1}])

    (outcome,) = post_own(token).json()["outcomes"]

    assert outcome["outcome"] == "review"
    (item,) = api.get("/v1/intake/reviews", headers=auth("agent")).json()["rows"]
    codes = {f["code"] for f in item["flags"]}
    assert "blacklisted" in codes and item["score"] >= 40


def test_approving_audits_places_and_classifies(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login
) -> None:
    order_id = _held(post_own, set_policy)

    response = _decide(api, auth, order_id, approve=True, version=1)

    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["state"] == "classified"
    assert [(e["kind"], e["actor"]) for e in detail["timeline"]] == [
        ("created", "intake"), ("audit", "agent"), ("place", "intake"), ("classify", "intake")]
    assert api.get("/v1/intake/reviews", headers=auth("agent")).json()["total"] == 0


def test_rejecting_needs_a_reason_and_cancels(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login
) -> None:
    order_id = _held(post_own, set_policy)

    blank = _decide(api, auth, order_id, approve=False, version=1)
    done = _decide(api, auth, order_id, approve=False, version=1, reason="刷单：同一手机号多地址")

    assert blank.status_code == 422
    assert done.status_code == 200
    detail = done.json()
    assert detail["state"] == "cancelled"
    assert detail["timeline"][-1]["reason"] == "刷单：同一手机号多地址"


def test_a_decision_on_a_stale_version_is_409(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login
) -> None:
    order_id = _held(post_own, set_policy)
    post_own(own_order("SHOP1", intent="update", customer_name="李四"))  # version 2 now

    response = _decide(api, auth, order_id, approve=True, version=1)

    assert response.status_code == 409
    assert response.json()["current_version"] == 2


def test_an_order_not_in_review_cannot_be_decided(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    (outcome,) = post_own(own_order("SHOP1")).json()["outcomes"]

    response = _decide(api, auth, outcome["order_ids"][0], approve=True, version=4)
    missing = _decide(api, auth, 9999, approve=True, version=1)

    assert response.status_code == 409
    assert missing.status_code == 404
