"""One feed tailer per process: watches the event table and wakes every stream subscriber.

Streams do not poll the database themselves; the tailer polls `max(seq)` (cheap, index-only)
every POLL_SECONDS, and a local commit pokes it at once. Because it reads the shared table,
events written by any backend process on the same database reach every process's streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.storage.orders.feed import max_seq

log = logging.getLogger(__name__)
POLL_SECONDS = 0.1
STOP_SECONDS = 5.0  # how long stop() waits for a read in progress


class FeedTailer:
    def __init__(self, engine: Engine, poll_seconds: float = POLL_SECONDS) -> None:
        self._engine = engine
        self._poll = poll_seconds
        self._subscribers: set[asyncio.Event] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.last_seq = 0
        self.stopped = False

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.stopped = False
        self._task = asyncio.create_task(self._run(), name="feed-tailer")

    def release_subscribers(self) -> None:
        """Wake every stream now (thread-safe); with `stopped` set they finish."""
        loop = self._loop
        for event in list(self._subscribers):
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(event.set)
            else:
                event.set()

    async def stop(self) -> None:
        """End the tailer and release every stream (they see `stopped` and finish).

        A read in progress ends first: cancelling the task would not stop the read's thread,
        which would keep its pooled connection after the app has stopped. Only a read that
        hangs longer than STOP_SECONDS is left behind.
        """
        self.stopped = True
        for event in list(self._subscribers):
            event.set()
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=STOP_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def poke(self) -> None:
        """Look for new events now (callable from any thread, e.g. after a commit)."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[asyncio.Event]:
        """An event set whenever the feed may have grown (or the tailer stops)."""
        event = asyncio.Event()
        self._subscribers.add(event)
        try:
            yield event
        finally:
            self._subscribers.discard(event)

    def _read(self) -> int:
        with Session(self._engine) as session:
            return max_seq(session)

    async def _run(self) -> None:
        assert self._wake is not None
        failing = False
        while not self.stopped:
            # Cleared before reading, so a poke that lands during the read is not lost.
            self._wake.clear()
            try:
                seq = await asyncio.to_thread(self._read)
                failing = False
            except SQLAlchemyError as exc:
                if not failing:  # once per outage, not ten times a second
                    log.warning("feed tailer cannot read the database: %s", exc.__class__.__name__)
                failing = True
                seq = self.last_seq
            if seq != self.last_seq:
                self.last_seq = seq
                for event in list(self._subscribers):
                    event.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll)
