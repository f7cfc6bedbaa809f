"""Desk users' accounts over HTTP on SQLite and PostgreSQL: an admin deactivates and
reactivates an account (with a reason, from the version seen), each change logged; the
account's sessions end in the same transaction; the attacks: other roles, one's own account,
no reason, a stale version, unknown accounts."""

from __future__ import annotations

from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.storage.tables import TokenRecord, UserRecord


def _account(api: TestClient, auth: Login, username: str) -> dict[str, Any]:
    listed = api.get("/v1/users", headers=auth("admin"))
    assert listed.status_code == 200, listed.text
    [found] = [u for u in listed.json() if u["username"] == username]
    return dict(found)


def _patch(api: TestClient, auth: Login, user_id: int, version: int, active: bool = False,
           as_: str = "admin", reason: str = "离职，交接完毕") -> Response:
    return api.patch(f"/v1/users/{user_id}", headers=auth(as_),
                     json={"active": active, "version": version, "reason": reason})


def _tokens_of(engine: Engine, user_id: int) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(TokenRecord)
                              .where(TokenRecord.user_id == user_id)) or 0


def test_an_admin_deactivates_an_account_its_sessions_end_and_the_log_says_why(
        api: TestClient, auth: Login, world: Engine) -> None:
    agent = _account(api, auth, "agent")
    session_of_agent = auth("agent")
    assert (agent["active"], agent["version"]) == (True, 1)

    response = _patch(api, auth, agent["id"], 1)

    assert response.status_code == 200, response.text
    assert (response.json()["active"], response.json()["version"]) == (False, 2)
    assert _tokens_of(world, agent["id"]) == 0
    assert api.get("/v1/me", headers=session_of_agent).status_code == 401
    log = api.get(f"/v1/users/{agent['id']}/log", headers=auth("admin")).json()
    assert [(e["actor"], e["reason"], e["before"], e["after"]) for e in log] == [
        ("admin", "离职，交接完毕", {"active": True}, {"active": False})]


def test_reactivating_is_logged_newest_first_and_saving_the_same_changes_nothing(
        api: TestClient, auth: Login) -> None:
    agent = _account(api, auth, "agent")
    assert _patch(api, auth, agent["id"], 1).status_code == 200
    assert _patch(api, auth, agent["id"], 2, active=True, reason="返岗").status_code == 200

    same = _patch(api, auth, agent["id"], 3, active=True, reason="再存一次")

    assert same.status_code == 200 and same.json()["version"] == 3
    log = api.get(f"/v1/users/{agent['id']}/log", headers=auth("admin")).json()
    assert [e["reason"] for e in log] == ["返岗", "离职，交接完毕"]
    assert api.post("/v1/auth/login", json={"username": "agent", "password": "demo"}
                    ).status_code == 200


@pytest.mark.parametrize("role", ["agent", "supervisor", "finance", "tech1"])
def test_only_an_admin_changes_or_reads_accounts(api: TestClient, auth: Login,
                                                role: str) -> None:
    admin = _account(api, auth, "admin")

    changed = _patch(api, auth, admin["id"], 1, as_=role)
    listed = api.get("/v1/users", headers=auth(role))
    log = api.get(f"/v1/users/{admin['id']}/log", headers=auth(role))

    assert [r.status_code for r in (changed, listed, log)] == [403, 403, 403]
    assert _account(api, auth, "admin")["active"] is True
    assert api.patch(f"/v1/users/{admin['id']}", json={
        "active": False, "version": 1, "reason": "x"}).status_code == 401


def test_an_admin_cannot_deactivate_his_own_account(api: TestClient, auth: Login,
                                                    world: Engine) -> None:
    admin = _account(api, auth, "admin")

    response = _patch(api, auth, admin["id"], 1)

    assert response.status_code == 403, response.text
    assert "不能停用自己的账号" in response.json()["detail"]
    assert _account(api, auth, "admin")["version"] == 1
    assert _tokens_of(world, admin["id"]) == 1


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\u200b", "x" * 501])
def test_a_change_without_a_reason_is_refused_naming_it(api: TestClient, auth: Login,
                                                       reason: str) -> None:
    agent = _account(api, auth, "agent")

    response = _patch(api, auth, agent["id"], 1, reason=reason)

    assert response.status_code == 422, response.text
    assert "reason" in response.json()["detail"]
    assert _account(api, auth, "agent")["active"] is True


def test_a_stale_version_is_409_with_the_current_one(api: TestClient, auth: Login) -> None:
    agent = _account(api, auth, "agent")
    assert _patch(api, auth, agent["id"], 1).status_code == 200

    stale = _patch(api, auth, agent["id"], 1, active=True, reason="我以为他还在职")

    assert stale.status_code == 409, stale.text
    assert stale.json()["current_version"] == 2
    assert "已被他人修改" in stale.json()["detail"]
    assert _account(api, auth, "agent")["active"] is False


@pytest.mark.parametrize("body", [
    {"active": False, "version": 0, "reason": "x"},
    {"active": "no", "version": 1, "reason": "x"},
    {"active": False, "version": 1, "reason": "x", "role": "admin"},
    {"version": 1, "reason": "x"},
])
def test_bad_bodies_are_422_and_change_nothing(api: TestClient, auth: Login,
                                               body: dict[str, Any]) -> None:
    agent = _account(api, auth, "agent")

    response = api.patch(f"/v1/users/{agent['id']}", json=body, headers=auth("admin"))

    assert response.status_code == 422, response.text
    assert _account(api, auth, "agent") == agent


def test_an_unknown_account_is_404(api: TestClient, auth: Login) -> None:
    assert _patch(api, auth, 9999, 1).status_code == 404
    assert api.get("/v1/users/9999/log", headers=auth("admin")).status_code == 404


def test_two_admins_from_one_version_one_wins(api: TestClient, auth: Login,
                                              world: Engine) -> None:
    agent = _account(api, auth, "agent")

    first = _patch(api, auth, agent["id"], 1)
    second = _patch(api, auth, agent["id"], 1, reason="同时操作")

    assert (first.status_code, second.status_code) == (200, 409)
    with Session(world) as session:
        assert session.get(UserRecord, agent["id"]).version == 2  # type: ignore[union-attr]
