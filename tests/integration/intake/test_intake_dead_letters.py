"""The problem list: dead letters kept whole, fixed and retried, or discarded with a reason."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from intake_support import Login, Post, own_order
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.storage.tables import IntakeMessageRecord, OrderRecord

RETRIES = 6


def _dead_record(post_own: Post) -> dict[str, object]:
    bad = own_order("SHOP9", customer_phone="12")
    (outcome,) = post_own(bad).json()["outcomes"]
    assert outcome["outcome"] == "dead" and outcome["field"] == "customer_phone"
    return outcome


def test_a_fixed_dead_letter_retried_creates_the_order(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    dead = _dead_record(post_own)
    fixed = json.dumps(own_order("SHOP9", customer_phone="13812345678"), ensure_ascii=False)

    response = api.post(f"/v1/intake/messages/{dead['message_id']}/retry",
                        json={"payload": fixed}, headers=auth("agent"))

    assert response.status_code == 200, response.text
    (outcome,) = response.json()["outcomes"]
    assert outcome["outcome"] == "created" and outcome["order_ids"]
    original = api.get(f"/v1/intake/messages/{dead['message_id']}", headers=auth("agent")).json()
    assert (original["status"], original["retried_as"]) == ("retried", outcome["message_id"])
    assert original["resolved_by"] == "agent" and original["resolved_at"]
    retried = api.get(f"/v1/intake/messages/{outcome['message_id']}",
                      headers=auth("agent")).json()
    assert (retried["channel"], retried["status"]) == ("retry", "converted")


def test_a_retry_that_is_still_wrong_is_422_and_changes_nothing(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    dead = _dead_record(post_own)

    response = api.post(f"/v1/intake/messages/{dead['message_id']}/retry", json={},
                        headers=auth("agent"))

    assert response.status_code == 422
    assert response.json()["detail"].startswith("customer_phone")
    again = api.get(f"/v1/intake/messages/{dead['message_id']}", headers=auth("agent")).json()
    assert again["status"] == "dead"
    assert len(api.get("/v1/intake/messages", headers=auth("agent")).json()["rows"]) == 1


def test_a_whole_dead_envelope_can_be_retried_with_a_fix(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    assert post_own(b"[{oops").status_code == 422
    (dead,) = api.get("/v1/intake/messages?status=dead", headers=auth("agent")).json()["rows"]
    fixed = json.dumps([own_order("SHOP1"), own_order("SHOP2", address="上海市黄浦区南京东路1号")],
                       ensure_ascii=False)

    response = api.post(f"/v1/intake/messages/{dead['id']}/retry", json={"payload": fixed},
                        headers=auth("agent"))

    assert [o["outcome"] for o in response.json()["outcomes"]] == ["created", "created"]


def test_a_dead_letter_is_discarded_with_the_reason(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    dead = _dead_record(post_own)
    url = f"/v1/intake/messages/{dead['message_id']}/discard"

    blank = api.post(url, json={"reason": "  "}, headers=auth("agent"))
    done = api.post(url, json={"reason": "测试数据，平台已撤回"}, headers=auth("agent"))
    again = api.post(url, json={"reason": "再来一次"}, headers=auth("agent"))

    assert blank.status_code == 422
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["resolution"], body["resolved_by"]) == (
        "discarded", "测试数据，平台已撤回", "agent")
    assert again.status_code == 409


def test_a_converted_message_cannot_be_retried(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    (outcome,) = post_own(own_order("SHOP1")).json()["outcomes"]

    response = api.post(f"/v1/intake/messages/{outcome['message_id']}/retry", json={},
                        headers=auth("agent"))

    assert response.status_code == 409


def test_messages_page_newest_first_and_filter(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    post_own([own_order(f"SHOP{n}") for n in range(5)])
    _dead_record(post_own)

    first = api.get("/v1/intake/messages?limit=4", headers=auth("agent")).json()
    second = api.get(f"/v1/intake/messages?limit=4&cursor={first['next_cursor']}",
                     headers=auth("agent")).json()
    dead = api.get("/v1/intake/messages?status=dead", headers=auth("agent")).json()

    ids = [m["id"] for m in first["rows"] + second["rows"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 6
    assert second["next_cursor"] is None
    assert [m["platform_order_id"] for m in dead["rows"]] == ["SHOP9"]
    assert api.get("/v1/intake/messages?cursor=abc",
                   headers=auth("agent")).status_code == 422


def test_technicians_may_not_read_the_problem_list(api: TestClient, auth: Login) -> None:
    assert api.get("/v1/intake/messages", headers=auth("tech1")).status_code == 403


def _state(world: Engine) -> tuple[list[tuple[int, str]], int]:
    """Every message's (id, status), and how many orders there are."""
    with Session(world) as session:
        messages = [(int(key), str(status)) for key, status in session.execute(
            select(IntakeMessageRecord.id, IntakeMessageRecord.status)
            .order_by(IntakeMessageRecord.id))]
        orders = int(session.scalar(select(func.count()).select_from(OrderRecord)) or 0)
    return messages, orders


@pytest.mark.parametrize("fix", [
    "", "   ", "[]", "{}", "null", "[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
], ids=["empty", "blank", "empty-list", "empty-object", "null", "deep-list", "deep-object"])
def test_a_retry_with_an_empty_or_deeply_nested_payload_is_422_and_changes_nothing(
    fix: str, post_own: Post, api: TestClient, auth: Login, world: Engine
) -> None:
    dead = _dead_record(post_own)
    assert post_own(b"[{oops").status_code == 422  # a whole envelope kept dead as well
    envelope = max(row["id"] for row in api.get(
        "/v1/intake/messages?status=dead", headers=auth("agent")).json()["rows"])
    before = _state(world)

    for message_id in (dead["message_id"], envelope):
        response = api.post(f"/v1/intake/messages/{message_id}/retry", json={"payload": fix},
                            headers=auth("agent"))
        assert response.status_code == 422, response.text

    assert _state(world) == before


def test_two_retries_at_once_take_the_letter_in_once(
    post_own: Post, api: TestClient, auth: Login, world: Engine
) -> None:
    dead = _dead_record(post_own)
    fixed = json.dumps(own_order("SHOP9", customer_phone="13812345678"), ensure_ascii=False)
    headers = auth("agent")
    start = threading.Barrier(RETRIES)

    def send(_: int) -> int:
        start.wait()
        return api.post(f"/v1/intake/messages/{dead['message_id']}/retry",
                        json={"payload": fixed}, headers=headers).status_code

    with ThreadPoolExecutor(RETRIES) as pool:
        codes = sorted(pool.map(send, range(RETRIES)))

    assert codes == [200] + [409] * (RETRIES - 1)
    messages, orders = _state(world)
    assert orders == 1 and len(messages) == 2  # the dead letter and its one retry
    original = api.get(f"/v1/intake/messages/{dead['message_id']}", headers=headers).json()
    assert (original["status"], original["retried_as"]) == ("retried", messages[1][0])
