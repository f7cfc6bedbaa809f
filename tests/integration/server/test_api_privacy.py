"""Customers' personal data over HTTP on SQLite and PostgreSQL: finance sees it masked, the
change feed never carries it, a technician sees it only on his own order until his visit is
done (core/orders/privacy.py is the one rule)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor
from core.storage.uow import UnitOfWork

SEEDED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
T0 = SEEDED + timedelta(hours=1)
AGENT = Actor("agent", Role.AGENT)
INTAKE = Actor("intake", Role.SYSTEM)
# conftest's order 1: customer_phone 13800000001, address "1 chaoyang road".
PHONE, ADDRESS = "13800000001", "1 chaoyang road"
NEW_PHONE, NEW_ADDRESS = "13912345678", "北京市朝阳区建国路88号院3号楼501"


def _act(engine: Engine, order_id: int, *steps: tuple[str, Actor, dict[str, Any]]) -> None:
    for action, actor, args in steps:
        with UnitOfWork(engine) as uow:
            order = uow.orders.get(order_id)
            assert order is not None
            order.perform(action, actor, T0, "测试", **args)
            uow.orders.save(order)
            uow.commit()


def _tech1(api: TestClient, auth: Login) -> Actor:
    me = api.get("/v1/me", headers=auth("tech1")).json()
    return Actor("tech1", Role.TECHNICIAN, me["technician_id"])


def _assign_to_tech1(engine: Engine, tech: Actor) -> None:
    _act(engine, 1, ("audit", AGENT, {}), ("place", AGENT, {"county_adcode": "110105"}),
         ("classify", AGENT, {"service_type": "install"}),
         ("open_dispatch", AGENT, {"mode": "manual"}),
         ("assign", AGENT, {"technician_id": tech.technician_id}))


def _detail(api: TestClient, auth: Login, who: str, order_id: int = 1) -> dict[str, Any]:
    r = api.get(f"/v1/orders/{order_id}", headers=auth(who))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


@pytest.mark.parametrize("who", ["agent", "supervisor", "admin"])
def test_the_desk_that_calls_and_sends_people_sees_the_full_contact(
    api: TestClient, auth: Login, who: str
) -> None:
    detail = _detail(api, auth, who)

    assert (detail["customer_phone"], detail["address"]) == (PHONE, ADDRESS)


def test_finance_sees_the_phone_masked_and_the_street_without_the_house_number(
    api: TestClient, auth: Login
) -> None:
    detail = _detail(api, auth, "finance")

    assert detail["customer_phone"] == "138****0001"
    assert detail["address"] == "chaoyang road"


def test_finance_reads_no_full_phone_or_address_in_the_queue_or_the_feed(
    api: TestClient, auth: Login
) -> None:
    queue = api.get("/v1/orders", headers=auth("finance"))
    feed = api.get("/v1/changes", headers=auth("finance"))

    assert queue.status_code == feed.status_code == 200
    for body in (queue.text, feed.text):
        assert PHONE not in body and ADDRESS not in body


def test_finance_sees_technicians_phones_masked_the_desk_in_full(
    api: TestClient, auth: Login
) -> None:
    finance = api.get("/v1/technicians", headers=auth("finance")).json()
    agent = api.get("/v1/technicians", headers=auth("agent")).json()
    candidates = api.get("/v1/orders/1/candidates", headers=auth("finance")).json()

    assert {t["phone"] for t in agent} == {"13900000001", "13900000002", "13900000003"}
    assert {t["phone"] for t in finance} == {"139****0001", "139****0002", "139****0003"}
    assert all("****" in c["technician"]["phone"] for c in candidates)


def test_a_changed_phone_and_address_leave_no_values_in_the_events(
    api: TestClient, auth: Login, world: Engine
) -> None:
    with UnitOfWork(world) as uow:
        order = uow.orders.get(1)
        assert order is not None
        order.note_intake(INTAKE, T0, "天猫平台更新了订单：电话、地址",
                          customer_phone=NEW_PHONE, address=NEW_ADDRESS)
        uow.orders.save(order)
        uow.commit()

    feed = api.get("/v1/changes", headers=auth("agent")).json()
    detail = _detail(api, auth, "agent")

    update = feed["events"][-1]
    assert update["kind"] == "intake_update"
    assert update["data"] == {"changed": ["address", "customer_phone"]}
    assert NEW_PHONE not in json.dumps(feed, ensure_ascii=False)
    assert "建国路88号" not in json.dumps(feed, ensure_ascii=False)
    assert NEW_PHONE not in json.dumps(detail["timeline"], ensure_ascii=False)
    # The order itself has them, for those who may see them.
    assert (detail["customer_phone"], detail["address"]) == (NEW_PHONE, NEW_ADDRESS)


def test_a_technician_sees_the_contact_of_his_own_order_while_the_visit_lies_ahead(
    api: TestClient, auth: Login, world: Engine
) -> None:
    tech = _tech1(api, auth)
    _assign_to_tech1(world, tech)

    detail = _detail(api, auth, "tech1")

    assert detail["state"] == OrderState.ASSIGNED
    assert (detail["customer_phone"], detail["address"]) == (PHONE, ADDRESS)


def test_a_technician_reading_his_finished_order_gets_no_contact(
    api: TestClient, auth: Login, world: Engine
) -> None:
    tech = _tech1(api, auth)
    _assign_to_tech1(world, tech)
    start = T0 + timedelta(hours=2)
    _act(world, 1, ("accept", tech, {}),
         ("appoint", tech, {"start": start, "end": start + timedelta(hours=2)}),
         ("check_in", tech, {}), ("complete", tech, {}))

    detail = _detail(api, auth, "tech1")
    mine = api.get("/v1/technicians/me/orders", headers=auth("tech1")).json()

    assert detail["state"] == OrderState.SERVED
    assert (detail["customer_phone"], detail["address"]) == ("138****0001", "chaoyang road")
    assert PHONE not in json.dumps(mine)


def test_a_technician_reading_another_technicians_order_gets_nothing(
    api: TestClient, auth: Login, world: Engine
) -> None:
    _assign_to_tech1(world, _tech1(api, auth))

    r = api.get("/v1/orders/1", headers=auth("tech2"))

    assert r.status_code == 403 and PHONE not in r.text and ADDRESS not in r.text


DOOR = (116.473215, 39.921468)  # an address geocode: the customer's door


def _placed_at_the_door(engine: Engine) -> None:
    _act(engine, 1, ("audit", AGENT, {}),
         ("place", AGENT, {"county_adcode": "110105", "lng": DOOR[0], "lat": DOOR[1]}),
         ("classify", AGENT, {"service_type": "install"}),
         ("open_dispatch", AGENT, {"mode": "manual"}))


def test_finance_sees_the_orders_point_only_to_about_a_kilometre_everywhere(
    api: TestClient, auth: Login, world: Engine
) -> None:
    _placed_at_the_door(world)
    exact, rounded = "116.473215", (116.47, 39.92)

    detail = _detail(api, auth, "finance")
    queue = api.get("/v1/orders", headers=auth("finance"))
    feed = api.get("/v1/changes", headers=auth("finance"))
    waiting = api.get("/v1/dispatch/needs-person", headers=auth("finance"))

    assert (detail["lng"], detail["lat"]) == rounded
    row = next(r for r in queue.json()["rows"] if r["id"] == 1)
    assert (row["lng"], row["lat"]) == rounded
    assert {(e["order"]["lng"], e["order"]["lat"]) for e in feed.json()["events"]
            if e["order_id"] == 1} == {rounded}
    assert [(w["order"]["lng"], w["order"]["lat"]) for w in waiting.json()] == [rounded]
    for body in (queue.text, feed.text, waiting.text):
        assert exact not in body
    # The desk that sends people sees the door.
    assert (_detail(api, auth, "agent")["lng"], _detail(api, auth, "agent")["lat"]) == DOOR
    assert exact in api.get("/v1/changes", headers=auth("agent")).text


def test_a_technician_sees_the_door_while_the_visit_lies_ahead_and_not_after(
    api: TestClient, auth: Login, world: Engine
) -> None:
    tech = _tech1(api, auth)
    _placed_at_the_door(world)
    _act(world, 1, ("assign", AGENT, {"technician_id": tech.technician_id}))
    ahead = _detail(api, auth, "tech1")
    start = T0 + timedelta(hours=2)
    _act(world, 1, ("accept", tech, {}),
         ("appoint", tech, {"start": start, "end": start + timedelta(hours=2)}),
         ("check_in", tech, {}), ("complete", tech, {}))

    after = _detail(api, auth, "tech1")
    mine = api.get("/v1/technicians/me/orders", headers=auth("tech1")).json()

    assert (ahead["lng"], ahead["lat"]) == DOOR
    assert (after["lng"], after["lat"]) == (116.47, 39.92)
    assert all((r["lng"], r["lat"]) != DOOR for r in mine)
