"""Text an attacker sends over HTTP, on SQLite and PostgreSQL: NUL, control characters, bidi
controls and ANSI escapes in searches, filters, path segments, user names, customer names,
skills and reasons are a 422 naming the field, and nothing is stored; a reason needs visible
characters; text lists are bounded as order creation bounds them; ordinary Chinese text, emoji
and punctuation still pass. Line breaks: refused in one-line fields, kept in reasons (typed in
a text box; the console shows them inert).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.storage.tables import OrderEventRecord, OrderRecord, TokenRecord

# What a text field refuses: NUL, other C0/C1 controls, an ANSI colour escape, bidi overrides.
BAD_TEXT = ["a\x00b", "a\x07b", "\x1b[31mred", "a\x85b", "abc\u202edcb", "x\u2066y\u2069"]
INVISIBLE = ["\u200b\u200b", "\u200b\u200c\u200d\ufeff", " \u3000 ", "\u2800\u3164"]
GOOD_REASONS = ["客户要求改期，改到周六上午。", "师傅腰伤 😷，暂停派单！", "Re: 地址有误（#12-3）"]


def _count(engine: Engine, table: Any) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _refused(response: Response, *loc: str) -> None:
    """A 422 problem whose errors name the field at `loc`."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    locs = [[str(p) for p in e["loc"]] for e in response.json()["errors"]]
    assert any(found[:len(loc)] == list(loc) for found in locs), locs


def _order(api: TestClient, auth: Login, order_id: int = 1) -> dict[str, Any]:
    response = api.get(f"/v1/orders/{order_id}", headers=auth("admin"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _act(api: TestClient, auth: Login, action: str, order_id: int = 1,
         **fields: Any) -> Response:
    version = _order(api, auth, order_id)["version"]
    return api.post(f"/v1/orders/{order_id}/actions",
                    json={"action": action, "version": version, **fields},
                    headers=auth("agent"))


# -- query and path parameters ------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_TEXT)
@pytest.mark.parametrize("param", ["q", "platform", "state", "service_type"])
def test_a_control_character_in_a_search_or_filter_is_422_naming_it(
        api: TestClient, auth: Login, param: str, bad: str) -> None:
    response = api.get("/v1/orders", params={param: bad}, headers=auth("agent"))

    _refused(response, "query", param)


def test_a_nul_in_a_path_segment_is_422_naming_it(api: TestClient, auth: Login) -> None:
    response = api.get("/v1/dispatch/policies/log", params={"scope": "\x00"},
                       headers=auth("agent"))
    path = api.put("/v1/dispatch/policies/1101%0005",
                   json={"body": {}, "version": 0, "reason": "试一下"},
                   headers=auth("supervisor"))

    _refused(response, "query", "scope")
    _refused(path, "path", "scope")


def test_ordinary_chinese_searches_still_work(api: TestClient, auth: Login) -> None:
    for text in ("王小明", "朝阳区（东门）", "😀", "customer 01"):
        response = api.get("/v1/orders", params={"q": text}, headers=auth("agent"))
        assert response.status_code == 200, (text, response.text)


# -- bodies: login, order creation, skills ------------------------------------------------


@pytest.mark.parametrize("bad", ["agent\x00", "\x1b[2Jagent", "ag\u202eent", "agent\n"])
def test_a_control_character_in_a_login_name_is_422_and_issues_no_token(
        api: TestClient, world: Engine, bad: str) -> None:
    before = _count(world, TokenRecord)

    response = api.post("/v1/auth/login", json={"username": bad, "password": "demo"})

    _refused(response, "body", "username")
    assert _count(world, TokenRecord) == before


def _create(api: TestClient, auth: Login, order: OrderCreate, **overrides: Any) -> Response:
    body = {**order.model_dump(mode="json"), **overrides}
    return api.post("/v1/orders", json=body, headers=auth("agent"))


@pytest.mark.parametrize(("field", "value"), [
    *[("customer_name", bad) for bad in BAD_TEXT],
    ("customer_name", "张三\n李四"),
    ("address", "朝阳路 1 号\r\n2 号"),
    ("platform_order_id", "TM\x00"),
    ("skills", ["aircon\x00"]),
    ("skills", ["x" * 41]),
    ("skills", [f"s{n}" for n in range(21)]),
])
def test_order_creation_refuses_bad_text_and_stores_nothing(
        api: TestClient, auth: Login, world: Engine, make_order: Callable[..., OrderCreate],
        field: str, value: Any) -> None:
    before = _count(world, OrderRecord)

    response = _create(api, auth, make_order(900), **{field: value})

    _refused(response, "body", field)
    assert _count(world, OrderRecord) == before


def test_order_creation_takes_chinese_emoji_and_punctuation(
        api: TestClient, auth: Login, make_order: Callable[..., OrderCreate]) -> None:
    response = _create(api, auth, make_order(901), customer_name="王小明😀",
                       address="北京市朝阳区建国路88号（东门）·3单元#1201",
                       skills=["空调", "aircon"])

    assert response.status_code == 201, response.text
    assert response.json()["customer_name"] == "王小明😀"


def _classifiable(api: TestClient, auth: Login) -> dict[str, Any]:
    assert _act(api, auth, "audit").status_code == 200
    assert _act(api, auth, "place", county_adcode="110105").status_code == 200
    return _order(api, auth)


@pytest.mark.parametrize("skills", [
    [f"skill{n}" for n in range(21)], ["x" * 10_000], ["aircon\x00"], ["ok", "\x1b[0m"], [""],
])
def test_classify_refuses_unbounded_skills_and_leaves_the_order(
        api: TestClient, auth: Login, skills: list[str]) -> None:
    before = _classifiable(api, auth)

    response = _act(api, auth, "classify", service_type="install", skills=skills)

    _refused(response, "body", "skills")
    after = _order(api, auth)
    assert (after["version"], after["skills"], after["state"]) == (
        before["version"], before["skills"], before["state"])


def test_classify_takes_twenty_skills_of_forty_characters(api: TestClient, auth: Login) -> None:
    _classifiable(api, auth)
    skills = [f"{n:02d}" + "技" * 38 for n in range(20)]

    response = _act(api, auth, "classify", service_type="install", skills=skills)

    assert response.status_code == 200, response.text
    assert response.json()["skills"] == skills


def test_mark_refuses_an_overlong_tag(api: TestClient, auth: Login) -> None:
    before = _order(api, auth)

    response = _act(api, auth, "mark", tags=["u" * 33], reason="加急")

    _refused(response, "body", "tags")
    assert _order(api, auth)["version"] == before["version"]


# -- reasons ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [*BAD_TEXT, *INVISIBLE, "\x01\x02\x03", ""])
def test_a_reason_without_visible_text_or_with_controls_is_422_and_changes_nothing(
        api: TestClient, auth: Login, world: Engine, reason: str) -> None:
    before, events = _order(api, auth), _count(world, OrderEventRecord)

    response = _act(api, auth, "freeze", reason=reason)

    assert response.status_code == 422, response.text
    if reason:  # an empty reason is the domain's "needs a reason"; the others the wire's
        _refused(response, "body", "reason")
    after = _order(api, auth)
    assert (after["version"], after["state"]) == (before["version"], before["state"])
    assert _count(world, OrderEventRecord) == events


@pytest.mark.parametrize("reason", INVISIBLE)
def test_an_optional_reason_given_must_still_say_something(
        api: TestClient, auth: Login, reason: str) -> None:
    before = _order(api, auth)

    response = _act(api, auth, "audit", reason=reason)

    _refused(response, "body", "reason")
    assert _order(api, auth)["version"] == before["version"]


@pytest.mark.parametrize("reason", [*GOOD_REASONS, "第一行\n第二行"])
def test_a_reason_with_visible_text_is_stored_as_sent(
        api: TestClient, auth: Login, reason: str) -> None:
    response = _act(api, auth, "freeze", reason=reason)

    assert response.status_code == 200, response.text
    assert response.json()["timeline"][-1]["reason"] == reason


@pytest.mark.parametrize("reason", ["\u200b", "\x1b[31m改期", "改\u202e期"])
def test_every_other_reason_obeys_the_same_rule(
        api: TestClient, auth: Login, world: Engine, reason: str) -> None:
    """Policy edits, their removal, technicians' settings, the blacklist, bulk assignment."""
    tech = api.get("/v1/technicians", headers=auth("agent")).json()[0]
    logged = api.get("/v1/dispatch/policies/log", headers=auth("agent")).json()
    listed = api.get("/v1/intake/blacklist", headers=auth("supervisor")).json()
    order = _order(api, auth)

    put = api.put("/v1/dispatch/policies/110105",
                  json={"body": {}, "version": 0, "reason": reason},
                  headers=auth("supervisor"))
    delete = api.delete("/v1/dispatch/policies/110105", params={"version": 1, "reason": reason},
                        headers=auth("supervisor"))
    patch = api.patch(f"/v1/technicians/{tech['id']}",
                      json={"daily_capacity": 1, "version": tech["version"], "reason": reason},
                      headers=auth("supervisor"))
    blacklist = api.post("/v1/intake/blacklist", json={"phone": "13811112222", "reason": reason},
                         headers=auth("supervisor"))
    assign = api.post("/v1/dispatch/assign", json={
        "assignments": [{"order_id": 1, "version": order["version"]}], "reason": reason},
        headers=auth("agent"))

    _refused(put, "body", "reason")
    _refused(delete, "query", "reason")
    _refused(patch, "body", "reason")
    _refused(blacklist, "body", "reason")
    _refused(assign, "body", "reason")
    assert api.get("/v1/dispatch/policies/log", headers=auth("agent")).json() == logged
    assert api.get("/v1/intake/blacklist", headers=auth("supervisor")).json() == listed
    again = api.get("/v1/technicians", headers=auth("agent")).json()[0]
    assert (again["version"], again["daily_capacity"]) == (tech["version"],
                                                           tech["daily_capacity"])
    assert _order(api, auth)["version"] == order["version"]


def test_a_nul_anywhere_in_a_policy_body_is_422(api: TestClient, auth: Login) -> None:
    logged = api.get("/v1/dispatch/policies/log", headers=auth("agent")).json()

    response = api.put("/v1/dispatch/policies/110105",
                       json={"body": {"shares": {"a\x00": 1}}, "version": 0, "reason": "分单"},
                       headers=auth("supervisor"))

    _refused(response, "body", "body")
    assert api.get("/v1/dispatch/policies/log", headers=auth("agent")).json() == logged


def test_technician_settings_refuse_bad_skill_names(api: TestClient, auth: Login) -> None:
    tech = api.get("/v1/technicians", headers=auth("agent")).json()[0]

    responses = [api.patch(f"/v1/technicians/{tech['id']}",
                           json={field: value, "version": tech["version"], "reason": "调整技能"},
                           headers=auth("supervisor"))
                 for field, value in (("skills", ["空调\x00"]), ("qualifications", ["x" * 41]),
                                      ("skills", [f"s{n}" for n in range(31)]))]

    for response, field in zip(responses, ("skills", "qualifications", "skills"), strict=True):
        _refused(response, "body", field)
    again = api.get("/v1/technicians", headers=auth("agent")).json()[0]
    assert again["skills"] == tech["skills"] and again["version"] == tech["version"]


def test_a_platform_push_keeps_its_query_for_the_signature_check(api: TestClient) -> None:
    """The guard leaves a webhook's query alone: the platform signed it, intake judges it."""
    response = api.post("/v1/intake/own", params={"note": "a\x00b"}, content=b"{}",
                        headers={"content-type": "application/json"})

    assert response.status_code == 401, response.text
