"""A real backend (uvicorn in a child process) on a temporary SQLite demo database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from e2e_support import Backend, free_port

from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.storage.db import make_engine, migrate

DEMO_ORDERS = 12


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite file seeded with a small demo world."""
    url = f"sqlite:///{tmp_path / 'lastmile.db'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        seed_demo(engine, build(seed=7, orders=DEMO_ORDERS))
    finally:
        engine.dispose()
    yield url


@pytest.fixture
async def backend(database_url: str, tmp_path: Path) -> AsyncIterator[Backend]:
    server = Backend(database_url, free_port(), tmp_path / "backend.log")
    await server.start()
    try:
        yield server
    finally:
        server.kill()


