"""Urges over HTTP (SQLite and PostgreSQL): a technician reads and answers only his own urges,
a desk role cannot answer as the technician, the supervisor answers escalations, agents urge by
hand, text limits, stale and second replies, and the urging policy's audited change."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from api_tokens import Login
from deadline_support import OPEN_DISPATCH, perform, scan, t
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.demo.acting import StepReport
from core.demo.api import ApiSession
from core.demo.urge_replies import ApiUrgeLine, UrgeAnswers
from core.server.app import create_app
from core.services.sla.urging import UrgeRound, handle_urge_round
from core.storage.uow import UnitOfWork


@pytest.fixture
def urged(world: Engine) -> Iterator[TestClient]:
    """Order 1 assigned to tech1 (technician 1) and urged at 预警, 警告 and 严重; order 2 in
    dispatch, nobody assigned."""
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 1), [("assign", {"technician_id": 1})])
    perform(world, 2, t(10, 2), OPEN_DISPATCH)
    clock = SimulatedClock(t(10, 16))
    for at in (t(10, 16), t(10, 23)):
        clock.jump_to(at)
        scan(world, clock)
        handle_urge_round(UrgeRound(), UnitOfWork(world, clock=clock))
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


def _list(api: TestClient, who: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = api.get("/v1/sla/urges", params=params, headers=who)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_a_technician_sees_and_answers_only_his_own_urges(urged: TestClient,
                                                          auth: Login) -> None:
    mine = _list(urged, auth("tech1"))
    assert {(u["order_id"], u["level"], u["target"]) for u in mine} == {
        (1, "预警", "technician"), (1, "警告", "service_point")}
    urge = mine[0]
    assert _list(urged, auth("tech2")) == []
    assert urged.get(f"/v1/sla/urges/{urge['id']}",
                     headers=auth("tech2")).status_code == 403
    body = {"text": "马上到", "version": urge["version"]}
    assert urged.post(f"/v1/sla/urges/{urge['id']}/reply", json=body,
                      headers=auth("tech2")).status_code == 403
    assert urged.post(f"/v1/sla/urges/{urge['id']}/reply", json=body,
                      headers=auth("agent")).status_code == 403  # not as the technician

    answered = urged.post(f"/v1/sla/urges/{urge['id']}/reply", json=body,
                          headers=auth("tech1"))

    assert answered.status_code == 200, answered.text
    assert (answered.json()["reply"], answered.json()["replied_by"]) == ("马上到", "tech1")
    again = urged.post(f"/v1/sla/urges/{urge['id']}/reply", json=body, headers=auth("tech1"))
    assert again.status_code == 409
    listed = _list(urged, auth("agent"), order_id=1)
    assert [u["reply"] is None for u in listed] == [True, False]  # unanswered first


BAD_REPLIES = [
    ({"text": "x" * 501, "version": 1}, "text"),
    ({"text": " \n ", "version": 1}, "text"),
    ({"text": "ok\x00", "version": 1}, "text"),
    ({"text": "ok", "version": 0}, "version"),
    ({"text": "ok", "version": 1, "by": "tech9"}, "by"),
]


def test_bad_replies_are_refused_naming_the_field(urged: TestClient, auth: Login) -> None:
    # One world for the table: each case is refused before anything changes.
    urge = _list(urged, auth("tech1"))[0]

    for body, field in BAD_REPLIES:
        response = urged.post(f"/v1/sla/urges/{urge['id']}/reply", json=body,
                              headers=auth("tech1"))
        assert response.status_code == 422, body
        assert field in response.text


def test_a_stale_reply_is_a_conflict(urged: TestClient, auth: Login) -> None:
    urge = _list(urged, auth("tech1"))[0]

    response = urged.post(f"/v1/sla/urges/{urge['id']}/reply",
                          json={"text": "好的", "version": urge["version"] + 1},
                          headers=auth("tech1"))

    assert response.status_code == 409
    assert response.json()["current_version"] == urge["version"]


def test_agents_urge_by_hand_and_the_technician_sees_it(urged: TestClient,
                                                        auth: Login) -> None:
    made = urged.post("/v1/sla/urges", json={"order_id": 1, "text": "客户来电催了"},
                      headers=auth("agent"))

    assert made.status_code == 201, made.text
    assert (made.json()["source"], made.json()["by_actor"]) == ("manual", "agent")
    assert made.json()["id"] in {u["id"] for u in _list(urged, auth("tech1"))}


REFUSED_URGES = [
    ("tech1", {"order_id": 1, "text": "hurry"}, 403),
    ("finance", {"order_id": 1, "text": "hurry"}, 403),
    ("agent", {"order_id": 999, "text": "hurry"}, 404),
    ("agent", {"order_id": 2, "text": "hurry"}, 409),  # nobody assigned yet
    ("agent", {"order_id": 1, "text": "x" * 501}, 422),
    ("agent", {"order_id": 1, "text": "hurry", "target": "desk"}, 422),
]


def test_urges_by_hand_are_refused(urged: TestClient, auth: Login) -> None:
    for user, body, status in REFUSED_URGES:
        response = urged.post("/v1/sla/urges", json=body, headers=auth(user))
        assert response.status_code == status, (user, body, response.text)
    assert len(_list(urged, auth("agent"), source="manual")) == 0


def test_lists_are_refused_to_finance_and_bad_filters_name_the_field(
        urged: TestClient, auth: Login) -> None:
    assert urged.get("/v1/sla/urges", headers=auth("finance")).status_code == 403
    assert urged.get("/v1/sla/urges").status_code == 401
    bad = urged.get("/v1/sla/urges", params={"step": "nap"}, headers=auth("agent"))
    assert bad.status_code == 422 and "step" in bad.text


def test_the_policy_is_changed_by_a_supervisor_from_the_version_seen_with_a_reason(
        urged: TestClient, auth: Login) -> None:
    shown = urged.get("/v1/sla/urge-policy", headers=auth("agent")).json()
    body = {"steps": {"on_site": {"warning": "supervisor"}}}
    assert shown["version"] == 0
    assert urged.put("/v1/sla/urge-policy", json={"body": body, "version": 0, "reason": "x"},
                     headers=auth("agent")).status_code == 403
    bad = urged.put("/v1/sla/urge-policy", headers=auth("supervisor"), json={
        "body": {"steps": {"on_site": {"warning": "boss"}}}, "version": 0, "reason": "why"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "body", "steps", "on_site", "warning"]

    changed = urged.put("/v1/sla/urge-policy", headers=auth("supervisor"),
                        json={"body": body, "version": 0, "reason": "网点太慢"})

    assert changed.status_code == 200, changed.text
    assert changed.json()["body"]["steps"]["on_site"]["warning"] == "supervisor"
    assert changed.json()["version"] == 1
    stale = urged.put("/v1/sla/urge-policy", headers=auth("supervisor"),
                      json={"body": body, "version": 0, "reason": "again"})
    assert stale.status_code == 409
    (entry,) = urged.get("/v1/sla/urge-policy/log", headers=auth("agent")).json()
    assert (entry["actor"], entry["reason"]) == ("supervisor", "网点太慢")


def test_the_demo_technician_answers_his_urges_over_http(urged: TestClient,
                                                        auth: Login) -> None:
    async def answer() -> int:
        transport = httpx.ASGITransport(app=urged.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            tech = ApiSession(client, "tech1", "demo")
            await tech.login()
            answers = UrgeAnswers(random.Random(2), delay=timedelta(0))
            return await answers.answer(ApiUrgeLine(tech), StepReport(), t(12))

    answered = asyncio.run(answer())

    replies = [u["replied_by"] for u in _list(urged, auth("agent"), order_id=1)]
    assert answered >= 1  # seeded: of his two urges, at least one drawn to be answered
    assert replies.count("tech1") == answered


def test_urges_whose_step_moved_on_are_settled_and_listed_after_those_awaiting_an_answer(
        urged: TestClient, world: Engine, auth: Login) -> None:
    perform(world, 1, t(10, 24), [("accept", {})])  # the accept step stops
    made = urged.post("/v1/sla/urges", json={"order_id": 1, "text": "请尽快联系客户"},
                      headers=auth("agent")).json()

    listed = _list(urged, auth("agent"), order_id=1)

    assert [(u["id"] == made["id"], u["settled"]) for u in listed] == [
        (True, False), (False, True), (False, True)]
