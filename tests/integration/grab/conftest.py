"""The grab pool's fixture: a seeded app on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.demo.seed import seed_demo
from core.server.app import create_app


@pytest.fixture
def grab_client(engine: Engine, make_dataset: Callable[..., Any]) -> Iterator[TestClient]:
    """The API on a seeded database of each kind (SQLite file, PostgreSQL schema)."""
    seed_demo(engine, make_dataset(), now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with TestClient(create_app(engine, poll_seconds=0.05)) as c:
        yield c
