"""Stopping the feed tailer leaves no database connection behind.

The tailer reads in a worker thread; a stop that only cancelled its task returned while the
thread still held a pooled connection (test_api_load saw `checkedout() == 1` after shutdown).
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.server import tailer
from core.server.tailer import FeedTailer


async def test_stop_waits_for_the_read_in_progress_and_returns_its_connection(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading, release = threading.Event(), threading.Event()
    real_max_seq = tailer.max_seq

    def held_read(session: Session) -> int:
        reading.set()
        release.wait(10)
        return real_max_seq(session)

    monkeypatch.setattr(tailer, "max_seq", held_read)
    feed = FeedTailer(sqlite_engine, poll_seconds=3600)
    await feed.start()
    await asyncio.to_thread(reading.wait, 10)
    # The read ends a moment after stop() begins; a stop that did not wait returns before it.
    timer = threading.Timer(0.1, release.set)
    timer.start()
    await feed.stop()

    assert release.is_set()
    assert sqlite_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    timer.join()
