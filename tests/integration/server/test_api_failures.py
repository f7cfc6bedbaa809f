"""When the database goes away, or something unexpected breaks, clients get problems."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from core.demo.seed import seed_demo
from core.server.app import create_app
from core.storage.db import is_postgres, make_engine, migrate
from core.storage.tables import OrderEventRecord, OrderRecord

Auth = Callable[[str], dict[str, str]]


def test_a_vanished_sqlite_database_is_503_and_recovers_when_it_is_back(
    tmp_path: Path, make_dataset: Callable[..., object]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder}/lastmile.db")
    migrate(engine)
    seed_demo(engine, make_dataset())  # type: ignore[arg-type]
    # The feed tailer must not open a fresh connection between dispose() and the move.
    with TestClient(create_app(engine, poll_seconds=3600)) as client:
        token = client.post("/v1/auth/login",
                            json={"username": "agent", "password": "demo"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        engine.dispose()
        backup = tmp_path / "backup"
        shutil.move(folder, backup)

        health = client.get("/v1/health")
        action = client.post("/v1/orders/1/actions", json={"action": "audit", "version": 1},
                             headers=headers)

        shutil.move(backup, folder)
        after = client.get("/v1/orders/1", headers=headers)

    assert health.status_code == 503 and action.status_code == 503
    assert health.headers["content-type"].startswith("application/problem+json")
    assert "database" in health.json()["detail"]
    assert after.status_code == 200 and after.json()["version"] == 1


def test_an_unreachable_postgresql_server_is_503() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")

    with TestClient(create_app(engine)) as client:
        r = client.get("/v1/health")

    assert r.status_code == 503
    assert r.json()["title"] == "Database unavailable"


def test_a_failure_between_writing_the_order_and_its_events_leaves_nothing_behind(
    client: TestClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from core.storage import uow as uow_module

    def broken_insert(*_: object) -> object:
        raise OperationalError("INSERT INTO order_events", {}, Exception("disk I/O error"))

    monkeypatch.setattr(uow_module, "insert", broken_insert)

    r = client.post("/v1/orders/1/actions", json={"action": "audit", "version": 1},
                    headers=auth("agent"))

    assert r.status_code == 503
    monkeypatch.undo()
    detail = client.get("/v1/orders/1", headers=auth("agent")).json()
    assert (detail["state"], detail["version"]) == ("new", 1)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.query(OrderEventRecord).count() == 3


def test_an_unexpected_error_is_a_500_problem_and_is_logged(
    sqlite_engine: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from core.server import health

    def explode(_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "max_seq", explode)
    with TestClient(create_app(sqlite_engine), raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        r = client.get("/v1/health")

    assert r.status_code == 500
    assert r.json()["detail"] == ("服务器内部错误，已记录 (unexpected server error "
                                  "(RuntimeError); it was logged)")
    assert "unexpected error in GET /v1/health" in caplog.text


def _app_with_a_route_that_sends(engine: Engine, value: object) -> TestClient:
    """The real app plus one route that hands `value` to the database as it came."""
    app = create_app(engine, poll_seconds=3600)

    def compare() -> dict[str, object]:
        with Session(engine) as session:
            session.execute(select(OrderRecord.id).where(OrderRecord.customer_name == value)
                            if isinstance(value, str) else
                            select(OrderRecord.id).where(OrderRecord.id == value))
        return {}

    app.add_api_route("/v1/test-probe", compare)
    return TestClient(app)


@pytest.mark.parametrize("value", [10**19, -(2**63) - 1, "a\x00b"], ids=["big", "small", "nul"])
def test_a_value_the_database_cannot_take_is_422_not_503(engine: Engine, value: object) -> None:
    if isinstance(value, str) and not is_postgres(engine):
        value = 10**20  # SQLite stores a NUL as it is; an overflow stands in for it
    with _app_with_a_route_that_sends(engine, value) as client:
        r = client.get("/v1/test-probe")
        health = client.get("/v1/health")

    assert r.status_code == 422, r.text
    assert r.json()["title"] == "Invalid request"
    assert "database" not in r.json()["detail"].split("(")[0]
    assert health.status_code == 200  # the database is fine, and says so


def test_a_nul_in_a_search_is_422_on_either_database(
    engine: Engine, make_dataset: Callable[..., object]
) -> None:
    seed_demo(engine, make_dataset())  # type: ignore[arg-type]
    with TestClient(create_app(engine, poll_seconds=3600)) as client:
        headers = token_login(engine)("agent")
        r = client.get("/v1/orders", params={"q": "王\x00"}, headers=headers)
        ok = client.get("/v1/orders", params={"q": "customer"}, headers=headers)

    assert r.status_code == 422
    assert ok.status_code == 200 and len(ok.json()["rows"]) == 3


def test_an_unreachable_database_says_when_to_retry() -> None:
    from core.server import problems

    assert problems.DATABASE_RETRY_SECONDS > 0
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with TestClient(create_app(engine)) as client:
        r = client.get("/v1/changes", headers={"Authorization": "Bearer x"})

    assert r.status_code == 503
    assert r.headers["retry-after"] == str(problems.DATABASE_RETRY_SECONDS)


def test_sql_errors_carry_no_parameters_so_logs_hold_no_personal_data(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    phone = "13912345678"
    with pytest.raises(Exception) as caught, Session(engine) as session:
        session.execute(text("SELECT no_such_column FROM orders WHERE customer_phone = :p"),
                        {"p": phone})

    assert phone not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
