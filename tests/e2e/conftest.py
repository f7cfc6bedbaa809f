"""A real backend (uvicorn in a child process) on a temporary SQLite demo database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from e2e_support import Backend, free_port, seeded_demo


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite file seeded with a small demo world."""
    yield seeded_demo(tmp_path)


@pytest.fixture
async def backend(database_url: str, tmp_path: Path) -> AsyncIterator[Backend]:
    server = Backend(database_url, free_port(), tmp_path / "backend.log")
    await server.start()
    try:
        yield server
    finally:
        server.kill()


