"""Logging in, bearer tokens and role checks per endpoint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from core.storage.tables import TokenRecord

PROBLEM = "application/problem+json"
Auth = Callable[[str], dict[str, str]]


def test_login_with_the_demo_password_returns_a_token_and_the_user(client: TestClient) -> None:
    r = client.post("/v1/auth/login", json={"username": "tech1", "password": "demo"})

    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) > 30
    assert body["user"] == {"username": "tech1", "display_name": "Wang Jian",
                            "role": "technician", "technician_id": 1}
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=11) < expires - datetime.now(UTC) <= timedelta(hours=12)


@pytest.mark.parametrize("username,password", [("agent", "wrong"), ("nobody", "demo")])
def test_login_with_bad_credentials_is_401(
    client: TestClient, username: str, password: str
) -> None:
    r = client.post("/v1/auth/login", json={"username": username, "password": password})

    assert r.status_code == 401
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"] == "wrong user name or password"


def test_me_tells_who_is_logged_in(client: TestClient, auth: Auth) -> None:
    r = client.get("/v1/me", headers=auth("supervisor"))

    assert r.status_code == 200 and r.json()["role"] == "supervisor"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"},
                                     {"Authorization": "Basic YWdlbnQ6ZGVtbw=="}])
def test_missing_or_unknown_tokens_are_401(client: TestClient, headers: dict[str, str]) -> None:
    r = client.get("/v1/orders", headers=headers)

    assert r.status_code == 401
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["www-authenticate"] == "Bearer"


def test_an_expired_token_is_401(client: TestClient, auth: Auth) -> None:
    headers = auth("agent")
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        session.execute(update(TokenRecord).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        session.commit()

    r = client.get("/v1/me", headers=headers)

    assert r.status_code == 401 and "expired" in r.json()["detail"]


DESK = ["agent", "supervisor", "finance", "admin"]
# (method, path, {role: expected status}); roles not listed get 403.
ACCESS = [
    ("GET", "/v1/me", dict.fromkeys([*DESK, "tech1"], 200)),
    ("GET", "/v1/orders", dict.fromkeys(DESK, 200)),
    ("GET", "/v1/orders/1", dict.fromkeys(DESK, 200)),
    ("GET", "/v1/orders/1/candidates", dict.fromkeys(DESK, 200)),
    ("GET", "/v1/technicians", dict.fromkeys(DESK, 200)),
    ("GET", "/v1/technicians/me/orders", {"tech1": 200}),
    ("GET", "/v1/regions?level=city&parent=110000", dict.fromkeys(DESK, 200)),
    ("GET", "/v1/changes", dict.fromkeys(DESK, 200)),
]


@pytest.mark.parametrize("method,path,allowed", ACCESS, ids=[a[1] for a in ACCESS])
@pytest.mark.parametrize("role", [*DESK, "tech1"])
def test_each_read_endpoint_admits_only_its_roles(
    client: TestClient, auth: Auth, method: str, path: str, allowed: dict[str, int], role: str
) -> None:
    r = client.request(method, path, headers=auth(role))

    assert r.status_code == allowed.get(role, 403), r.text
    if r.status_code == 403:
        assert r.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize("method,path,allowed", ACCESS, ids=[a[1] for a in ACCESS])
def test_each_endpoint_but_health_and_login_needs_a_token(
    client: TestClient, method: str, path: str, allowed: dict[str, int]
) -> None:
    assert client.request(method, path).status_code == 401


def test_health_needs_no_token(client: TestClient) -> None:
    r = client.get("/v1/health")

    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "feed_seq": 3}
