"""Migration 0010 on SQLite and PostgreSQL: users get a version (existing ones 1) and the
shared audit_log appears; down to 0009 and up again keeps the users and their active flag."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from migration_steps import migrate_to
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.storage.audited import Audit
from core.storage.people.accounts import change_user, user_by_name
from core.storage.tables import UserRecord

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# Reflecting the orders table meets 0003's expression indexes.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index")


@pytest.mark.fresh_schema  # goes down and up the migrations
def test_0010_down_and_up_keeps_users_and_starts_versions_at_1(
        engine: Engine, make_dataset: Callable[[], DemoDataset]) -> None:
    seed_demo(engine, make_dataset(), now=AT)
    with Session(engine) as session, session.begin():
        agent = user_by_name(session, "agent")
        assert agent is not None
        change_user(session, agent.id, {"active": False}, 1, Audit.of("admin", AT, "离职"))

    migrate_to(engine, "0009", down=True)

    with engine.connect() as conn:
        assert "audit_log" not in inspect(conn).get_table_names()
        assert "version" not in {c["name"] for c in inspect(conn).get_columns("users")}
    migrate_to(engine, "head")

    with Session(engine) as session:
        users = {u.username: (u.active, u.version) for u in session.scalars(select(UserRecord))}
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
    assert users["agent"] == (False, 1) and users["admin"] == (True, 1)
    assert "audit_log" in tables
