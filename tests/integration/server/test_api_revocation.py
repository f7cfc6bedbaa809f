"""Revocation over HTTP on SQLite and PostgreSQL: deactivated people lose their sessions at
once and cannot sign in again; an open change stream ends when its token stops working."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from core.server.orders import changes
from core.storage.people.accounts import set_user_active
from core.storage.tables import TechnicianRecord, TokenRecord, UserRecord

SEEDED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _tokens_of(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        return session.scalar(
            select(func.count()).select_from(TokenRecord).join(
                UserRecord, UserRecord.id == TokenRecord.user_id)
            .where(UserRecord.username == username)) or 0


def _wang_jian(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        tech = session.scalars(select(TechnicianRecord).where(
            TechnicianRecord.username == "tech1")).one()
        return tech.id, tech.version


def _deactivate(api: TestClient, auth: Login, world: Engine, active: bool = False) -> Any:
    tech_id, version = _wang_jian(world)
    return api.patch(f"/v1/technicians/{tech_id}", headers=auth("supervisor"), json={
        "active": active, "version": version, "reason": "离职" if not active else "返岗"})


def test_deactivating_a_technician_ends_his_sessions_at_once(
    api: TestClient, auth: Login, world: Engine
) -> None:
    tech = auth("tech1")
    assert api.get("/v1/technicians/me/orders", headers=tech).status_code == 200

    assert _deactivate(api, auth, world).status_code == 200

    refused = api.get("/v1/technicians/me/orders", headers=tech)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert api.get("/v1/grab/offers", headers=tech).status_code == 401
    assert _tokens_of(world, "tech1") == 0  # revoked in the same transaction
    assert api.get("/v1/me", headers=auth("tech2")).status_code == 200  # others keep theirs


def test_a_deactivated_technician_cannot_sign_in_until_reactivated(
    api: TestClient, auth: Login, world: Engine
) -> None:
    assert _deactivate(api, auth, world).status_code == 200

    refused = api.post("/v1/auth/login", json={"username": "tech1", "password": "demo"})

    assert refused.status_code == 403 and "停用" in refused.json()["detail"]
    assert _tokens_of(world, "tech1") == 0
    assert _deactivate(api, auth, world, active=True).status_code == 200
    assert api.post("/v1/auth/login",
                    json={"username": "tech1", "password": "demo"}).status_code == 200


def test_an_inactive_user_has_no_session_and_cannot_sign_in(
    api: TestClient, auth: Login, world: Engine
) -> None:
    finance = auth("finance")
    with Session(world) as session, session.begin():
        # Set by hand in the database: the token check honours it without a revocation.
        session.execute(update(UserRecord).where(UserRecord.username == "finance")
                        .values(active=False))

    assert api.get("/v1/me", headers=finance).status_code == 401
    assert api.post("/v1/auth/login",
                    json={"username": "finance", "password": "demo"}).status_code == 403


def test_deactivating_a_user_in_storage_revokes_every_token_he_holds(
    api: TestClient, auth: Login, world: Engine
) -> None:
    agent = auth("agent")
    with Session(world) as session, session.begin():
        assert set_user_active(session, "agent", False) is not None

    assert _tokens_of(world, "agent") == 0
    assert api.get("/v1/me", headers=agent).status_code == 401


def test_a_wrong_password_for_an_inactive_user_is_the_usual_401(
    api: TestClient, world: Engine
) -> None:
    with Session(world) as session, session.begin():
        set_user_active(session, "agent", False)

    r = api.post("/v1/auth/login", json={"username": "agent", "password": "nope"})

    assert r.status_code == 401  # inactive is only told to whoever knows the password


def _read_changes(lines: Iterator[str], wanted: int) -> int:
    seen = 0
    for _, line in zip(range(200), lines, strict=False):
        if line.startswith("event: change"):
            seen += 1
            if seen == wanted:
                break
    return seen


def test_an_open_stream_ends_before_sending_a_change_once_its_token_is_revoked(
    api: TestClient, auth: Login
) -> None:
    agent = auth("agent")
    with api.stream("GET", "/v1/changes/stream", params={"after": 0}, headers=agent) as stream:
        lines = stream.iter_lines()
        assert _read_changes(lines, wanted=3) == 3
        assert api.post("/v1/auth/logout", headers=agent).status_code == 204
        order = api.get("/v1/orders/1", headers=auth("admin")).json()
        assert api.post("/v1/orders/1/actions", headers=auth("admin"), json={
            "action": "audit", "version": order["version"]}).status_code == 200

        rest = list(zip(range(400), lines, strict=False))

    assert len(rest) < 400, "the stream did not end"
    assert not [line for _, line in rest if line.startswith("event: change")]


def test_an_idle_stream_ends_when_its_person_is_deactivated(
    api: TestClient, auth: Login, world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "TOKEN_RECHECK_SECONDS", 0.0)
    agent = auth("agent")
    with api.stream("GET", "/v1/changes/stream", params={"after": 0}, headers=agent) as stream:
        lines = stream.iter_lines()
        assert _read_changes(lines, wanted=3) == 3
        with Session(world) as session, session.begin():
            set_user_active(session, "agent", False)

        rest = list(zip(range(400), lines, strict=False))

    assert len(rest) < 400 and not [line for _, line in rest if "event: change" in line]
