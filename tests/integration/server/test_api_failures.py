"""When the database goes away, or something unexpected breaks, clients get problems."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from core.server.app import create_app
from core.storage.db import make_engine, migrate
from core.storage.seed import seed_demo
from core.storage.tables import OrderEventRecord

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
    assert r.json()["detail"] == "unexpected server error (RuntimeError); it was logged"
    assert "unexpected error in GET /v1/health" in caplog.text
