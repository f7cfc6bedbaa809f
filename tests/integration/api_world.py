"""The fixtures every API test shares: the seeded world, the app over it and bearer tokens.

Registered in tests/integration/conftest.py. A folder or module that needs another world
overrides `world_dataset` (the demo data to seed), nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from api_tokens import Login, token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app

SEEDED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def world_dataset(make_dataset: Callable[..., DemoDataset]) -> DemoDataset:
    """What `world` seeds: the tiny demo (3 orders, 3 technicians, the demo users)."""
    return make_dataset()


@pytest.fixture
def world(engine: Engine, world_dataset: DemoDataset) -> Engine:
    """A migrated database of each kind, seeded with `world_dataset` as of SEEDED_AT."""
    seed_demo(engine, world_dataset, now=SEEDED_AT)
    return engine


@pytest.fixture
def api(world: Engine) -> Iterator[TestClient]:
    """The API over `world`."""
    with TestClient(create_app(world, poll_seconds=0.05)) as client:
        yield client


@pytest.fixture
def auth(request: pytest.FixtureRequest) -> Login:
    """auth("agent") -> headers with a bearer token for that demo user (cached per test), in the
    test's database: its `world`, or else the seeded SQLite copy behind `client`."""
    if "world" in request.fixturenames:
        engine: Engine = request.getfixturevalue("world")
    else:
        engine = request.getfixturevalue("client").app.state.engine
    return token_login(engine)
