"""The webhook: signatures, per-record outcomes, dead letters, the change feed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from intake_support import Login, Post, own_order, payload
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.storage.tables import IntakeMessageRecord, OrderRecord


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_signed_order_is_created_with_its_automatic_steps(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    response = post_own(own_order("SHOP000000000001"))

    assert response.status_code == 200, response.text
    receipt = response.json()
    (outcome,) = receipt["outcomes"]
    assert (receipt["received"], outcome["outcome"]) == (1, "created")
    detail = api.get(f"/v1/orders/{outcome['order_ids'][0]}", headers=auth("agent")).json()
    assert detail["state"] == "classified"
    assert detail["county_adcode"] == "110105" and detail["service_type"] == "install"
    assert [(e["kind"], e["actor"]) for e in detail["timeline"]] == [
        ("created", "intake"), ("audit", "intake"), ("place", "intake"), ("classify", "intake")]


def test_a_created_order_is_on_the_change_feed(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = post_own(own_order("SHOP000000000001")).json()["outcomes"][0]["order_ids"][0]

    page = api.get("/v1/changes?after=0", headers=auth("agent")).json()

    assert [e["kind"] for e in page["events"] if e["order_id"] == order_id] == [
        "created", "audit", "place", "classify"]
    assert page["last_seq"] >= 4


def test_a_bad_signature_is_refused_and_nothing_is_kept(post_own: Post, world: Engine) -> None:
    response = post_own(own_order("SHOP000000000001"), secret="not-the-secret")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert _count(world, IntakeMessageRecord) == 0 and _count(world, OrderRecord) == 0


def test_a_missing_signature_is_refused(post_own: Post, world: Engine) -> None:
    assert post_own(own_order("SHOP000000000001"), secret=None).status_code == 401
    assert _count(world, IntakeMessageRecord) == 0


def test_the_secret_from_the_environment_wins(
    post_own: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LASTMILE_INTAKE_SECRET_OWN", "from-env")

    assert post_own(own_order("SHOP1"), secret="demo-own-secret").status_code == 401
    assert post_own(own_order("SHOP1"), secret="from-env").status_code == 200


def test_an_unknown_platform_is_404(api: TestClient) -> None:
    response = api.post("/v1/intake/nowhere", content=b"{}")

    assert response.status_code == 404
    assert "nowhere" in response.json()["detail"]


def test_a_malformed_payload_is_422_and_kept_as_a_dead_letter(
    post_own: Post, api: TestClient, auth: Login, world: Engine
) -> None:
    response = post_own(b'{"platform_order_id": "SHOP1", ')

    assert response.status_code == 422
    assert "malformed JSON" in response.json()["detail"]
    page = api.get("/v1/intake/messages?status=dead", headers=auth("agent")).json()
    (dead,) = page["rows"]
    assert dead["payload"] == '{"platform_order_id": "SHOP1", '
    assert dead["channel"] == "webhook" and "malformed JSON" in dead["reason"]
    assert _count(world, OrderRecord) == 0


def test_a_bad_record_is_a_dead_letter_naming_the_field_and_the_others_go_through(
    post_own: Post, api: TestClient, auth: Login, world: Engine
) -> None:
    bad = own_order("SHOP2")
    del bad["customer_phone"]

    response = post_own([own_order("SHOP1"), bad])

    assert response.status_code == 200
    first, second = response.json()["outcomes"]
    assert first["outcome"] == "created"
    assert (second["outcome"], second["field"], second["platform_order_id"]) == (
        "dead", "customer_phone", "SHOP2")
    message = api.get(f"/v1/intake/messages/{second['message_id']}",
                      headers=auth("agent")).json()
    assert message["status"] == "dead" and "customer_phone" not in message["payload"]
    assert '"SHOP2"' in message["payload"]
    assert _count(world, OrderRecord) == 1


def test_absurd_values_are_refused_naming_the_field(post_own: Post) -> None:
    huge = own_order("SHOP1", address="北京市朝阳区" + "很" * 100_000)
    negative = own_order("SHOP2", items=[{"sku": "AC-KFR35", "name": "空调", "quantity": 1,
                                          "unit_price_fen": -5}])

    outcomes = post_own([huge, negative]).json()["outcomes"]

    assert [(o["outcome"], o["field"]) for o in outcomes] == [
        ("dead", "address"), ("dead", "items[0].unit_price_fen")]


def test_platforms_lists_every_adapter(api: TestClient, auth: Login) -> None:
    names = {p["name"]: p for p in api.get("/v1/intake/platforms",
                                             headers=auth("agent")).json()}

    assert {"own", "jd", "tmall"} <= set(names)
    assert names["own"]["label"] == "自营商城"


def test_every_record_is_stored_with_its_raw_text(post_own: Post, world: Engine) -> None:
    post_own(payload([own_order("SHOP1"), own_order("SHOP2")]))

    with Session(world) as session:
        texts = session.scalars(select(IntakeMessageRecord.payload)).all()
    assert len(texts) == 2 and all(b'"platform_order_id"' in t for t in texts)
