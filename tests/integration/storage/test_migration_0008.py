"""Migration 0008 scrubs customers' phones and addresses from intake events already stored
(they named the new values; now they name only the fields), on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.storage.tables import OrderEventRecord, UserRecord

MIGRATION = (Path(__file__).parents[3] / "core" / "storage" / "migrations" / "versions"
             / "0008_people_and_privacy.py")
OLD = {"platform_status": "WAIT_SELLER_SEND",
       "changed": {"customer_phone": "13912345678", "address": "建国路88号", "lng": 116.4}}

pytestmark = pytest.mark.fresh_schema  # migrates from 0007 upwards


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0008", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(engine: Engine, seq: int, kind: str, data: dict[str, Any]) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(OrderEventRecord).where(OrderEventRecord.seq == seq)
                        .values(kind=kind, data=data))


def _data(engine: Engine) -> dict[int, dict[str, Any]]:
    with Session(engine) as session:
        return {e.seq: dict(e.data) for e in session.scalars(select(OrderEventRecord))}


def test_old_intake_events_keep_the_field_names_and_lose_the_values(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset(orders=3))
    _write(engine, 1, "intake_update", OLD)
    _write(engine, 2, "intake_merge", {"merged_from": "TM1", "items": []})
    _write(engine, 3, "intake_update", {"changed": ["address"]})  # already the new form

    with engine.begin() as conn:
        scrubbed = _migration().scrub_events(conn)

    after = _data(engine)
    assert scrubbed == 1
    assert after[1] == {"platform_status": "WAIT_SELLER_SEND",
                        "changed": ["address", "customer_phone", "lng"]}
    assert after[2] == {"merged_from": "TM1", "items": []}
    assert after[3] == {"changed": ["address"]}


def test_users_existing_before_the_migration_stay_active(engine: Engine) -> None:
    with engine.begin() as conn:
        # As a row written before 0008 is: no value for the new column.
        conn.execute(text("INSERT INTO users (username, display_name, role, password_hash) "
                          "VALUES ('old', 'old', 'agent', 'x')"))

    with Session(engine) as session:
        assert session.scalar(select(UserRecord.active)
                              .where(UserRecord.username == "old")) is True
