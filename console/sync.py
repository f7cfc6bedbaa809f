"""Keeps an OrderStore current: snapshot or catch-up, then the live feed, through outages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from console.client import LastmileClient
from console.errors import ApiError, ConsoleError, Offline
from console.store import OrderStore
from core.contracts import ChangeEvent

log = logging.getLogger(__name__)

CATCH_UP_PAGE = 500
# Replaying more than this many events costs more than one fresh snapshot of the open queue.
RESNAPSHOT_GAP = 50_000


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    OFFLINE = "offline"


class _StreamEnded(Exception):
    """Internal: the stream pump stopped; carries why."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class SyncEngine:
    """Runs the sync loop for one store; `on_state(state, reason)` reports the connection."""

    def __init__(
        self,
        client: LastmileClient,
        store: OrderStore,
        *,
        on_state: Callable[[ConnectionState, str], None] | None = None,
        state_path: Path | None = None,
        retry_initial: float = 0.5,
        retry_max: float = 10.0,
        save_interval: float = 2.0,
    ) -> None:
        self._client = client
        self._store = store
        self._on_state = on_state
        self._state_path = state_path
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._save_interval = save_interval
        self._state = ConnectionState.OFFLINE
        self._reason = ""
        self._stopping = asyncio.Event()
        self._dirty = asyncio.Event()
        self._session: asyncio.Task[None] | None = None
        self._snapshot_taken = False
        self._running = False

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def reason(self) -> str:
        return self._reason

    @property
    def store(self) -> OrderStore:
        return self._store

    def stop(self) -> None:
        """End run() soon: the open stream is cancelled, the store saved. An engine runs once."""
        self._stopping.set()
        if self._session is not None:
            self._session.cancel()

    async def run(self) -> None:
        """Sync until stop(): reconnect with backoff after every outage, never missing a change."""
        if self._running:
            raise RuntimeError("SyncEngine.run() is already running")
        self._running = True
        saver = asyncio.create_task(self._persist_loop(), name="lastmile-store-saver")
        attempt = 0
        try:
            while not self._stopping.is_set():
                self._set_state(ConnectionState.CONNECTING, "")
                self._session = asyncio.create_task(self._sync_once(), name="lastmile-sync")
                try:
                    await self._session
                except asyncio.CancelledError:
                    if self._stopping.is_set():
                        break
                    raise  # run() itself was cancelled
                except ConsoleError as exc:
                    if self._stopping.is_set():
                        break
                    if self._state is ConnectionState.LIVE:
                        attempt = 0  # it worked for a while: start the backoff over
                    self._set_state(ConnectionState.OFFLINE, _reason(exc))
                    log.info("sync offline: %s", exc)
                    await self._backoff(attempt)
                    attempt += 1
                finally:
                    self._session = None
        finally:
            self._stopping.set()
            await saver
            self._set_state(ConnectionState.OFFLINE, QCoreApplication.translate("Sync", "Stopped"))

    # -- one connection ------------------------------------------------------------------

    async def _sync_once(self) -> None:
        """Bring the store up to date, then follow the live feed until the connection fails."""
        health = await self._client.health()
        feed_seq = health.get("feed_seq")
        cursor = self._store.cursor
        fresh_start = cursor <= 0 and not self._snapshot_taken
        # A feed behind our cursor is another database (restored or recreated): our rows and
        # cursor mean nothing there. A feed far ahead is cheaper to re-read than to replay.
        feed_moved = isinstance(feed_seq, int) and (
            feed_seq < cursor or feed_seq - cursor > RESNAPSHOT_GAP
        )
        if fresh_start or feed_moved:
            await self._snapshot()
        if not await self._catch_up():
            await self._snapshot()
            await self._catch_up()
        await self._follow()

    async def _snapshot(self) -> None:
        rows, feed_seq = await self._client.all_open_orders()
        self._store.replace_all(rows, feed_seq)
        self._snapshot_taken = True
        self._dirty.set()

    async def _catch_up(self) -> bool:
        """Apply the feed after the cursor page by page; False if the feed does not know it."""
        while True:
            try:
                page = await self._client.changes(after=self._store.cursor, limit=CATCH_UP_PAGE)
            except ApiError as exc:
                if exc.status in (400, 404, 409, 410, 422):
                    log.warning("feed refused cursor %s: %s", self._store.cursor, exc)
                    return False
                raise
            if page.last_seq < self._store.cursor:
                return False
            if page.events:
                self._store.apply_many(page.events)
                self._dirty.set()
            # A short page means caught up; whatever is written after it the stream replays.
            if len(page.events) < CATCH_UP_PAGE:
                return True

    async def _follow(self) -> None:
        """Apply the live feed; events that arrive together are applied as one batch."""
        queue: asyncio.Queue[ChangeEvent | _StreamEnded] = asyncio.Queue()

        def opened() -> None:
            self._set_state(ConnectionState.LIVE, "")

        async def pump() -> None:
            try:
                async for event in self._client.stream(self._store.cursor, on_open=opened):
                    queue.put_nowait(event)
            except Exception as exc:
                # Outages (ConsoleError) get retried by run(); anything else is a bug and
                # must end run() rather than leave the consumer waiting forever.
                queue.put_nowait(_StreamEnded(exc))

        pump_task = asyncio.create_task(pump(), name="lastmile-stream")
        try:
            while True:
                batch = [await queue.get()]
                # Let the pump parse whatever else is already buffered before applying.
                await asyncio.sleep(0)
                while not queue.empty():
                    batch.append(queue.get_nowait())
                events = [e for e in batch if isinstance(e, ChangeEvent)]
                if events:
                    self._store.apply_many(events)
                    self._dirty.set()
                for item in batch:
                    if isinstance(item, _StreamEnded):
                        raise item.cause
        finally:
            pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump_task

    # -- helpers -------------------------------------------------------------------------

    async def _backoff(self, attempt: int) -> None:
        ceiling = min(self._retry_max, self._retry_initial * (2**attempt))
        # Jitter spreads the reconnects of many consoles after a server restart.
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=delay)

    async def _persist_loop(self) -> None:
        if self._state_path is None:
            return
        while not self._stopping.is_set():
            await _first_set(self._dirty, self._stopping)
            if self._dirty.is_set():
                self._dirty.clear()
                await self._save()
                # Debounce: at most one write per interval, however busy the feed is.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self._save_interval)
        await self._save()

    async def _save(self) -> None:
        assert self._state_path is not None
        try:
            await self._store.save(self._state_path)
        except OSError:
            # A full disk must not stop the queue from updating; the next save retries.
            log.exception("could not save the order store to %s", self._state_path)

    def _set_state(self, state: ConnectionState, reason: str) -> None:
        if (state, reason) == (self._state, self._reason):
            return
        self._state, self._reason = state, reason
        if self._on_state is not None:
            self._on_state(state, reason)


async def _first_set(*events: asyncio.Event) -> None:
    tasks = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()


def _reason(exc: ConsoleError) -> str:
    if isinstance(exc, Offline):
        return exc.reason
    return str(exc)
