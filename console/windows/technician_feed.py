"""Keeps the technicians on the map current: their load changes as orders are assigned."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from core.contracts import OrderRow, TechnicianOut
from core.orders.lifecycle import OrderState

log = logging.getLogger(__name__)

# The server counts these as a technician's load today (GET /v1/technicians load_today).
LOAD_STATES = frozenset(
    {OrderState.ASSIGNED, OrderState.ACCEPTED, OrderState.APPOINTED, OrderState.CHECKED_IN}
)
# A busy feed moves orders every second; the map's colours need not follow faster than this.
MIN_INTERVAL_MS = 5000

Fetch = Callable[[], Awaitable[list[TechnicianOut]]]


def _load_key(row: OrderRow) -> tuple[int | None, bool]:
    """What of an order counts towards a technician's load."""
    return row.technician_id, row.state in LOAD_STATES


class TechnicianFeed(QObject):
    """Fetches the technicians (with their load today) and hands them to `deliver`.

    `refresh()` fetches soon: at once if the last fetch is MIN_INTERVAL_MS old, else when it
    will be; never two fetches at a time, and never on the GUI thread's time (it awaits).
    `orders_changed(kind, rows)` asks for a refresh only when an order's technician or
    load-counting state changed. Failures are logged, not shown: the next change retries.
    """

    def __init__(
        self,
        fetch: Fetch,
        deliver: Callable[[list[TechnicianOut]], None],
        parent: QObject | None = None,
        *,
        interval_ms: int = MIN_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._deliver = deliver
        self.interval_ms = interval_ms
        self._known: dict[int, tuple[int | None, bool]] = {}
        self._since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._active = False
        self.fetches = 0

    def start(self, rows: Iterable[OrderRow] = ()) -> None:
        """Fetch now and from now on follow changes (needs the running asyncio loop)."""
        self._known = {row.id: _load_key(row) for row in rows}
        self._active = True
        self.refresh()

    def orders_changed(self, kind: str, rows: Iterable[OrderRow]) -> None:
        changed = kind == "reset"
        if kind == "reset":
            self._known.clear()
        for row in rows:
            before = self._known.pop(row.id, (None, False))
            after = (None, False) if kind == "remove" else _load_key(row)
            if kind != "remove":
                self._known[row.id] = after
            if before != after and (before[1] or after[1]):
                changed = True
        if changed:
            self.refresh()

    def refresh(self) -> None:
        if not self._active:
            return
        if self.busy():
            self._again = True  # fetch once more when this one is done: it may be stale
            return
        if self._timer.isActive():
            return
        if not self._since.isValid() or self._since.elapsed() >= self.interval_ms:
            self._start()
        else:
            self._timer.start(max(0, self.interval_ms - self._since.elapsed()))

    def pending(self) -> bool:
        """A fetch is waiting for the interval to pass."""
        return self._timer.isActive()

    def busy(self) -> bool:
        """A fetch is under way."""
        return self._task is not None and not self._task.done()

    def stop(self) -> None:
        self._active = False
        self._timer.stop()
        self._again = False
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _start(self) -> None:
        self._since.start()
        self._again = False
        self.fetches += 1
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            technicians = await self._fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # offline or a server error: the next change tries again
            log.warning("could not refresh the technicians: %s", exc)
        else:
            self._deliver(technicians)
        finally:
            self._task = None
        if self._again and self._active:
            self.refresh()
