"""Order intake, queue, detail, and every lifecycle action through the HTTP API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from core.clock import WALL_CLOCK
from core.contracts import OrderCreate
from core.fieldwork.appointments import SHANGHAI

Auth = Callable[[str], dict[str, str]]
Act = Callable[..., Any]
# Tomorrow 09:00-11:00 Beijing, by the app's clock (the booking route takes no past slot).
_TOMORROW = (WALL_CLOCK.now().astimezone(SHANGHAI) + timedelta(days=1)).date()
_START = datetime.combine(_TOMORROW, time(9), SHANGHAI)
APPOINTMENT = {"start": _START.isoformat(), "end": (_START + timedelta(hours=2)).isoformat()}


def _body(create: OrderCreate) -> dict[str, Any]:
    return create.model_dump(mode="json")


def test_the_queue_lists_orders_newest_first_with_the_feed_position(
    client: TestClient, auth: Auth
) -> None:
    r = client.get("/v1/orders", headers=auth("agent"))

    assert r.status_code == 200
    page = r.json()
    assert [row["order_no"] for row in page["rows"]] == [
        "LM20260302000003", "LM20260302000002", "LM20260302000001"]
    assert page["next_cursor"] is None and page["feed_seq"] == 3


def test_the_queue_pages_with_an_opaque_cursor(client: TestClient, auth: Auth) -> None:
    first = client.get("/v1/orders", params={"limit": 2, "sort": "order_no",
                                             "direction": "asc"}, headers=auth("agent")).json()

    second = client.get("/v1/orders", params={"limit": 2, "sort": "order_no", "direction": "asc",
                                              "cursor": first["next_cursor"]},
                        headers=auth("agent")).json()

    assert [r["id"] for r in first["rows"] + second["rows"]] == [1, 2, 3]
    assert second["next_cursor"] is None


def test_the_queue_filters_by_state_text_and_city(
    client: TestClient, auth: Auth, act: Act
) -> None:
    act(2, "audit")
    h = auth("agent")

    audited = client.get("/v1/orders", params={"state": "audited,placed"}, headers=h).json()
    by_text = client.get("/v1/orders", params={"q": "CUSTOMER 03"}, headers=h).json()
    elsewhere = client.get("/v1/orders", params={"city": "310100"}, headers=h).json()

    assert [r["id"] for r in audited["rows"]] == [2]
    assert [r["id"] for r in by_text["rows"]] == [3]
    assert elsewhere["rows"] == []


@pytest.mark.parametrize("params,field", [
    ({"state": "nonsense"}, "state"), ({"county": "12"}, "county"), ({"limit": 0}, "limit"),
    ({"sort": "price"}, "sort"), ({"cursor": "garbage"}, "cursor"),
])
def test_bad_queue_parameters_are_422_naming_the_field(
    client: TestClient, auth: Auth, params: dict[str, Any], field: str
) -> None:
    r = client.get("/v1/orders", params=params, headers=auth("agent"))

    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["query", field]]


def test_creating_an_order_returns_its_detail_with_the_created_event(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate]
) -> None:
    r = client.post("/v1/orders", json=_body(make_order(10)), headers=auth("agent"))

    assert r.status_code == 201
    detail = r.json()
    assert detail["order_no"].startswith("LM") and len(detail["order_no"]) == 16
    assert (detail["state"], detail["version"], detail["county_name"]) == ("new", 1, "朝阳区")
    assert detail["amount_fen"] == 289900
    assert detail["allowed_actions"] == ["audit", "mark", "cancel", "freeze"]
    assert [(t["kind"], t["actor"]) for t in detail["timeline"]] == [("created", "agent")]


def test_the_same_platform_order_twice_is_409(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate]
) -> None:
    client.post("/v1/orders", json=_body(make_order(10)), headers=auth("agent"))

    r = client.post("/v1/orders", json=_body(make_order(10)), headers=auth("agent"))

    assert r.status_code == 409 and "already received" in r.json()["detail"]


@pytest.mark.parametrize("change,loc", [
    ({"colour": "red"}, ["body", "colour"]),
    ({"county_adcode": "11010"}, ["body", "county_adcode"]),
    ({"county_adcode": "999999"}, ["body", "county_adcode"]),
    ({"items": []}, ["body", "items"]),
])
def test_an_invalid_new_order_is_422_naming_the_field(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate],
    change: dict[str, Any], loc: list[str],
) -> None:
    body = {**_body(make_order(10)), **change}

    r = client.post("/v1/orders", json=body, headers=auth("agent"))

    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in r.json()["errors"]] == [loc]


@pytest.mark.parametrize("role", ["finance", "tech1"])
def test_only_desk_intake_roles_create_orders(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate], role: str
) -> None:
    r = client.post("/v1/orders", json=_body(make_order(10)), headers=auth(role))

    assert r.status_code == 403


def test_an_unknown_order_is_404(client: TestClient, auth: Auth) -> None:
    assert client.get("/v1/orders/999", headers=auth("agent")).status_code == 404
    r = client.post("/v1/orders/999/actions", json={"action": "audit", "version": 1},
                    headers=auth("agent"))
    assert r.status_code == 404


def test_an_order_walks_through_every_step_to_closed(
    client: TestClient, auth: Auth, act: Act
) -> None:
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("audit", "agent", {}),
        ("place", "agent", {"county_adcode": "110105"}),
        ("classify", "supervisor", {"service_type": "install", "skills": ["aircon"]}),
        ("open_dispatch", "agent", {"mode": "manual"}),
        ("assign", "agent", {"technician_id": 1}),
        ("accept", "tech1", {}),
        ("appoint", "tech1", APPOINTMENT),
        ("check_in", "tech1", {}),
        ("complete", "tech1", {}),  # no code, no photos: the review queue
        ("verify", "agent", {}),  # a person approves; the review period begins with it
        ("pass_review", "supervisor", {}),
        ("settle", "finance", {}),
        ("close", "finance", {}),
    ]
    for action, role, fields in steps:
        r = act(1, action, role, **fields)
        assert r.status_code == 200, (action, r.text)

    detail = client.get("/v1/orders/1", headers=auth("admin")).json()
    assert detail["state"] == "closed" and detail["version"] == 15
    kinds = [s[0] for s in steps]
    kinds.insert(kinds.index("verify") + 1, "start_review")
    assert [t["kind"] for t in detail["timeline"]] == ["created", *kinds]
    assigned = detail["timeline"][5]
    assert assigned["data"]["technician_name"] == "Wang Jian" and assigned["actor"] == "agent"
    assert detail["technician_name"] == "Wang Jian"
    assert datetime.fromisoformat(detail["appointment_start"]) == _START


def test_the_action_route_refuses_a_check_in_without_its_position(
    client: TestClient, auth: Auth, act: Act
) -> None:
    for action, fields in [("audit", {}), ("place", {}), ("classify", {}),
                           ("open_dispatch", {}), ("assign", {"technician_id": 1})]:
        assert act(1, action, **fields).status_code == 200
    assert act(1, "accept", "tech1").status_code == 200
    assert act(1, "appoint", "tech1", **APPOINTMENT).status_code == 200
    version = client.get("/v1/orders/1", headers=auth("admin")).json()["version"]

    r = client.post("/v1/orders/1/actions", headers=auth("tech1"),
                    json={"action": "check_in", "version": version})

    assert r.status_code == 422 and "/check-in" in r.json()["detail"]
    assert client.get("/v1/orders/1", headers=auth("admin")).json()["state"] == "appointed"


def test_the_action_route_refuses_an_appointment_that_skips_the_booking_route(
    client: TestClient, auth: Auth, act: Act
) -> None:
    for action, fields in [("audit", {}), ("place", {}), ("classify", {}),
                           ("open_dispatch", {}), ("assign", {"technician_id": 1})]:
        assert act(1, action, **fields).status_code == 200
    assert act(1, "accept", "tech1").status_code == 200
    version = client.get("/v1/orders/1", headers=auth("admin")).json()["version"]

    for who in ("tech1", "agent"):
        r = client.post("/v1/orders/1/actions", headers=auth(who),
                        json={"action": "appoint", "version": version, **APPOINTMENT})

        assert r.status_code == 422 and "/appointment" in r.json()["detail"]
    detail = client.get("/v1/orders/1", headers=auth("admin")).json()
    assert (detail["state"], detail["version"]) == ("accepted", version)
    assert detail["appointment_start"] is None
    assert client.get("/v1/orders/1/appointments", headers=auth("agent")).json() == []


def test_after_sales_opens_a_new_order_and_answers_201(
    client: TestClient, auth: Auth, act: Act
) -> None:
    for action, fields in [("audit", {}), ("place", {}), ("classify", {}),
                           ("open_dispatch", {}), ("assign", {"technician_id": 1})]:
        assert act(1, action, **fields).status_code == 200
    for action in ["accept", "appoint", "check_in", "complete"]:
        assert act(1, action, "tech1", **(APPOINTMENT if action == "appoint" else {})).is_success
    assert act(1, "verify").status_code == 200

    r = act(1, "after_sales", reason="leaking pipe")

    assert r.status_code == 201
    child = r.json()
    assert child["id"] != 1 and child["parent_id"] == 1
    assert (child["state"], child["service_type"]) == ("dispatching", "after_sales")
    assert child["timeline"][0]["data"] == {"after_sales_of": "LM20260302000001"}
    parent = client.get("/v1/orders/1", headers=auth("agent")).json()
    assert parent["state"] == "in_review"
    assert parent["timeline"][-1]["data"]["after_sales_order_no"] == child["order_no"]


def test_an_action_on_an_old_version_is_409_with_the_current_version(
    client: TestClient, auth: Auth, act: Act
) -> None:
    act(1, "audit")

    r = client.post("/v1/orders/1/actions", json={"action": "place", "version": 1},
                    headers=auth("agent"))

    assert r.status_code == 409
    assert r.json()["current_version"] == 2


@pytest.mark.parametrize("action,fields,says", [
    ("place", {}, "not allowed in state 'new'"),
    ("cancel", {}, "needs a reason"),
    ("audit", {"technician_id": 1}, "unexpected arguments: technician_id"),
    ("fly", {}, "unknown action 'fly'"),
])
def test_actions_the_rules_refuse_are_422_with_a_clear_message(
    act: Act, action: str, fields: dict[str, Any], says: str
) -> None:
    r = act(1, action, **fields)

    assert r.status_code == 422
    assert says in r.json()["detail"]


@pytest.mark.parametrize("technician_id", [2_000, 3])
def test_assigning_an_unknown_or_inactive_technician_is_422(
    client: TestClient, act: Act, technician_id: int
) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from core.storage.tables import TechnicianRecord

    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        session.execute(update(TechnicianRecord).where(TechnicianRecord.id == 3)
                        .values(active=False))
        session.commit()
    for action in ["audit", "place", "classify", "open_dispatch"]:
        act(1, action)

    r = act(1, "assign", technician_id=technician_id)

    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "technician_id"]


def test_roles_and_technicians_may_only_take_their_own_actions(act: Act) -> None:
    assert act(1, "audit", "finance").status_code == 403
    for action in ["audit", "place", "classify", "open_dispatch"]:
        act(1, action)
    act(1, "assign", technician_id=1)

    assert act(1, "accept", "tech2").status_code == 403
    assert act(1, "accept", "tech1").status_code == 200


def test_a_technician_sees_their_open_orders_and_their_details(
    client: TestClient, auth: Auth, act: Act
) -> None:
    for action in ["audit", "place", "classify", "open_dispatch"]:
        act(2, action)
    act(2, "assign", technician_id=1)

    mine = client.get("/v1/technicians/me/orders", headers=auth("tech1")).json()
    detail = client.get("/v1/orders/2", headers=auth("tech1")).json()

    assert [r["id"] for r in mine] == [2]
    assert detail["allowed_actions"] == ["accept", "refuse"]
    assert client.get("/v1/orders/2", headers=auth("tech2")).status_code == 403


def _write_transactions(client: TestClient) -> list[str]:
    """Collects the BEGIN IMMEDIATE statements (SQLite's write lock) the app issues."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            seen.append(statement)

    event.listen(client.app.state.engine, "before_cursor_execute", before)  # type: ignore[attr-defined]
    return seen


def test_an_action_takes_the_write_lock_once_and_answers_the_new_detail(
    client: TestClient, auth: Auth
) -> None:
    h = auth("agent")
    version = client.get("/v1/orders/1", headers=h).json()["version"]
    writes = _write_transactions(client)

    r = client.post("/v1/orders/1/actions", json={"action": "audit", "version": version},
                    headers=h)

    assert r.status_code == 200 and len(writes) == 1
    detail = r.json()
    assert detail["state"] == "audited" and detail["version"] == version + 1
    assert [t["kind"] for t in detail["timeline"]] == ["created", "audit"]


def test_creating_an_order_takes_the_write_lock_once(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate]
) -> None:
    writes = _write_transactions(client)

    r = client.post("/v1/orders", json=_body(make_order(42)), headers=auth("agent"))

    assert r.status_code == 201 and len(writes) == 1
    assert [t["kind"] for t in r.json()["timeline"]] == ["created"]


def test_the_queue_search_matches_contained_text_and_short_name_prefixes(
    client: TestClient, auth: Auth, make_order: Callable[..., OrderCreate]
) -> None:
    h = auth("agent")
    for n, name in ((7, "王芳"), (8, "李王明")):
        created = client.post("/v1/orders", json=_body(make_order(n, customer_name=name)),
                              headers=h)
        assert created.status_code == 201

    def names(q: str) -> list[str]:
        page = client.get("/v1/orders", params={"q": q, "sort": "customer", "direction": "asc"},
                          headers=h).json()
        return [r["customer_name"] for r in page["rows"]]

    assert names("王") == ["王芳"]  # 1-2 characters: the start of the name
    assert names("王明") == []
    assert names("李王明") == ["李王明"]  # 3+: contained anywhere
    assert names("00007") == ["王芳"]  # the phone's last digits
    assert names("chaoyang") == ["customer 01", "customer 02", "customer 03", "李王明", "王芳"]


def test_a_claim_is_not_taken_through_the_actions_route(act: Act) -> None:
    for action in ["audit", "place", "classify"]:
        act(1, action)
    act(1, "open_dispatch", mode="grab")

    r = act(1, "claim", "tech1")

    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "action"]
    assert "/v1/grab/offers/" in r.json()["detail"]
