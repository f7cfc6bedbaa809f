"""The console's local copy of the open-order queue, kept current by the change feed (no Qt)."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from core.contracts import ChangeEvent, OrderRow
from core.orders.lifecycle import TERMINAL

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass
class StoreChange:
    """What changed, for a view model: everything (reset), these rows new/changed, these gone."""

    kind: Literal["reset", "upsert", "remove"]
    rows: list[OrderRow]


class _StoreFile(BaseModel):
    format: int = FORMAT_VERSION
    cursor: int
    rows: list[OrderRow]


class OrderStore:
    """Open orders by id and the change-feed position they are current to.

    Rows only move forward: a row replaces the stored one only with a higher version, so a
    snapshot and the feed may overlap in any order. Closed and cancelled orders leave the store.
    """

    def __init__(self, rows: Iterable[OrderRow] = (), cursor: int = 0) -> None:
        self.rows: dict[int, OrderRow] = {r.id: r for r in rows if r.state not in TERMINAL}
        self.cursor = cursor
        self._subscribers: list[Callable[[StoreChange], None]] = []
        self._event_subscribers: list[Callable[[list[ChangeEvent]], None]] = []

    def subscribe(self, callback: Callable[[StoreChange], None]) -> Callable[[], None]:
        """Call `callback` with every change; returns the function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def subscribe_events(self, callback: Callable[[list[ChangeEvent]], None],
                         ) -> Callable[[], None]:
        """Call `callback` with each batch of new feed events, also those that change no row
        (an SLA alert keeps the order's version); returns the function that unsubscribes."""
        self._event_subscribers.append(callback)
        return lambda: (self._event_subscribers.remove(callback)
                        if callback in self._event_subscribers else None)

    def _tell_events(self, events: list[ChangeEvent]) -> None:
        if events:
            for callback in list(self._event_subscribers):
                callback(events)

    def replace_all(self, rows: Iterable[OrderRow], cursor: int) -> None:
        """Take a fresh snapshot taken at feed position `cursor`."""
        self.rows = {r.id: r for r in rows if r.state not in TERMINAL}
        self.cursor = cursor
        self._emit(StoreChange("reset", list(self.rows.values())))

    def apply(self, event: ChangeEvent) -> bool:
        """Apply one feed event; returns whether the rows changed."""
        if event.seq <= self.cursor:
            return False
        self.cursor = event.seq
        self._tell_events([event])
        change = self._merge(event.order)
        if change is None:
            return False
        self._emit(StoreChange(change, [event.order]))
        return True

    def apply_many(self, events: Iterable[ChangeEvent]) -> None:
        """Apply a batch of events and tell subscribers once: one upsert and one remove at most."""
        touched: dict[int, OrderRow] = {}
        before: set[int] = set()
        fresh: list[ChangeEvent] = []
        for event in events:
            if event.seq <= self.cursor:
                continue
            self.cursor = event.seq
            fresh.append(event)
            order_id = event.order.id
            was_there = order_id in self.rows
            if self._merge(event.order) is None:
                continue
            if order_id not in touched and was_there:
                before.add(order_id)
            touched[order_id] = event.order
        upserts = [self.rows[i] for i in touched if i in self.rows]
        # Rows that came and went inside the batch were never shown: nothing to remove.
        removes = [touched[i] for i in touched if i not in self.rows and i in before]
        if upserts:
            self._emit(StoreChange("upsert", upserts))
        if removes:
            self._emit(StoreChange("remove", removes))
        self._tell_events(fresh)

    def _merge(self, row: OrderRow) -> Literal["upsert", "remove"] | None:
        current = self.rows.get(row.id)
        if current is not None and row.version <= current.version:
            return None
        if row.state in TERMINAL:
            if current is None:
                return None
            del self.rows[row.id]
            return "remove"
        self.rows[row.id] = row
        return "upsert"

    def _emit(self, change: StoreChange) -> None:
        for callback in list(self._subscribers):
            try:
                callback(change)
            except Exception:
                # One broken view must not leave the store half-notified for the others.
                log.exception("store subscriber failed on %s", change.kind)

    # -- persistence ---------------------------------------------------------------------

    async def save(self, path: Path | str) -> None:
        """Write cursor and rows atomically, off the event loop's thread."""
        # Rows are immutable once stored (the store replaces, never edits), so a shallow copy
        # taken here is a consistent snapshot for the worker thread.
        data = _StoreFile(cursor=self.cursor, rows=list(self.rows.values()))
        await asyncio.to_thread(_write_atomically, Path(path), data)

    @classmethod
    async def load(cls, path: Path | str) -> OrderStore:
        """The store saved at `path`; an empty one if there is none or it cannot be read."""
        data = await asyncio.to_thread(_read, Path(path))
        if data is None:
            return cls()
        return cls(data.rows, data.cursor)


def _write_atomically(path: Path, data: _StoreFile) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.model_dump_json().encode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> _StoreFile | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = _StoreFile.model_validate_json(raw)
    except ValidationError:
        # A stale or damaged cache only costs a fresh snapshot; never refuse to start over it.
        log.warning("ignoring unreadable order store %s", path)
        return None
    if data.format != FORMAT_VERSION:
        log.warning("ignoring order store %s of format %s", path, data.format)
        return None
    return data
