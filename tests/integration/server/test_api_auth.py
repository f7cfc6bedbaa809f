"""Logging in, throttling, bearer tokens and role checks per endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.services.login_guard import LoginGuard, ThrottlePolicy
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
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["detail"] == "用户名或密码错误 (wrong user name or password)"


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


# -- throttling: a clock the test turns, so no test sleeps through a lockout
class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


POLICY = ThrottlePolicy(user_free_failures=3, address_free_failures=6, first_lock_s=30,
                        max_checks=2)


@pytest.fixture
def clock(client: TestClient) -> Clock:
    """The app's sign-in guard runs on this clock (and POLICY)."""
    turned = Clock()
    client.app.state.login_guard = LoginGuard(POLICY, turned)  # type: ignore[attr-defined]
    return turned


def _login(client: TestClient, username: str, password: str) -> Response:
    return client.post("/v1/auth/login", json={"username": username, "password": password})


def _tokens(client: TestClient) -> int:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return session.scalar(select(func.count()).select_from(TokenRecord)) or 0


def test_guessing_a_password_is_locked_out_with_retry_after_and_a_logged_lockout(
    client: TestClient, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="core.server.login"):
        codes = [_login(client, "agent", f"guess{n}").status_code for n in range(4)]

    # Locked now: even the right password is not checked until the lockout ends.
    refused = _login(client, "agent", "demo")

    assert codes == [401, 401, 401, 401]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.headers["retry-after"] == "30"
    assert "30" in refused.json()["detail"]
    assert _tokens(client) == 0
    lockouts = [r for r in caplog.records if "sign-in locked" in r.getMessage()]
    assert len(lockouts) == 1 and lockouts[0].levelno == logging.WARNING
    assert "'agent'" in lockouts[0].getMessage() and "testclient" in lockouts[0].getMessage()
    assert client.app.state.login_guard.lockouts == 1  # type: ignore[attr-defined]


def test_after_the_lockout_the_right_password_signs_in_again(
    client: TestClient, clock: Clock
) -> None:
    for n in range(4):
        _login(client, "agent", f"guess{n}")
    clock.now += 29
    assert _login(client, "agent", "demo").status_code == 429

    clock.now += 1

    assert _login(client, "agent", "demo").status_code == 200


def test_one_address_guessing_many_users_is_locked_out(client: TestClient, clock: Clock) -> None:
    for name in ("agent", "supervisor", "finance", "admin", "tech1", "tech2", "tech3"):
        _login(client, name, "wrong")

    refused = _login(client, "tech3", "demo")  # a user that failed only once

    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert _tokens(client) == 0


def test_sign_ins_past_the_cap_of_password_checks_are_refused_at_once(
    client: TestClient, clock: Clock
) -> None:
    guard: LoginGuard = client.app.state.login_guard  # type: ignore[attr-defined]
    with guard.checking(), guard.checking():  # both slots busy with other sign-ins
        refused = _login(client, "agent", "demo")

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert _tokens(client) == 0
    assert _login(client, "agent", "demo").status_code == 200  # a slot is free again


# -- signing out
def test_after_sign_out_the_token_is_401_and_other_sessions_keep_theirs(
    client: TestClient
) -> None:
    first = _login(client, "agent", "demo").json()["access_token"]
    second = _login(client, "agent", "demo").json()["access_token"]
    headers = {"Authorization": f"Bearer {first}"}

    r = client.post("/v1/auth/logout", headers=headers)

    assert r.status_code == 204
    after = client.get("/v1/me", headers=headers)
    assert after.status_code == 401 and after.headers["www-authenticate"] == "Bearer"
    assert client.post("/v1/auth/logout", headers=headers).status_code == 401
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert _tokens(client) == 1


def test_sign_out_needs_a_token(client: TestClient) -> None:
    assert client.post("/v1/auth/logout").status_code == 401
