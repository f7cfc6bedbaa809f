"""The demo seed and where the database lives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.storage import db
from core.storage.feed import events_after
from core.storage.seed import seed_demo
from core.storage.tables import OrderRecord, TechnicianRecord, UserRecord


def test_seeding_an_empty_database_creates_users_staff_and_received_orders(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seeded = seed_demo(engine, make_dataset(orders=4))

    with Session(engine) as session:
        users = {u.username: u for u in session.scalars(select(UserRecord))}
        techs = session.scalars(select(TechnicianRecord).order_by(TechnicianRecord.id)).all()
        orders = session.scalars(select(OrderRecord)).all()
        events = events_after(session, 0)
    assert seeded
    assert set(users) == {"agent", "supervisor", "finance", "admin", "centre",
                          "tech1", "tech2", "tech3"}
    assert (users["centre"].role, users["tech2"].role) == ("admin", "technician")
    assert users["tech2"].technician_id == techs[1].id and techs[1].username == "tech2"
    assert PasswordHasher().verify(users["finance"].password_hash, "demo")
    assert len(orders) == 4 and {o.state for o in orders} == {"new"}
    assert [(e.kind, e.actor) for e in events] == [("created", "centre")] * 4


def test_seeding_a_database_that_has_data_changes_nothing(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset(orders=2))

    again = seed_demo(engine, make_dataset(orders=3))

    with Session(engine) as session:
        assert len(session.scalars(select(OrderRecord)).all()) == 2
    assert again is False


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTMILE_DATABASE_URL", "postgresql+psycopg://u@h/db")

    assert db.database_url() == "postgresql+psycopg://u@h/db"


def test_without_a_setting_the_database_is_a_file_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LASTMILE_DATABASE_URL", raising=False)
    monkeypatch.delenv("LASTMILE_DATA_DIR", raising=False)
    monkeypatch.setattr(db.platformdirs, "user_data_dir", lambda _: str(tmp_path / "lm"))

    url = db.database_url()

    assert url == f"sqlite:///{tmp_path / 'lm' / 'lastmile.db'}"
    assert (tmp_path / "lm").is_dir()


def test_lastmile_data_dir_moves_the_default_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LASTMILE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(tmp_path / "elsewhere"))

    assert db.database_url() == f"sqlite:///{tmp_path / 'elsewhere' / 'lastmile.db'}"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")

    with engine.connect() as conn:
        pragmas = [conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("journal_mode", "foreign_keys", "busy_timeout")]

    assert pragmas == ["wal", 1, 5000]
