"""Keeps the technicians on the map current: their load changes as orders are assigned."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from PySide6.QtCore import QObject

from console.presenters.tasks import Polling
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
    will be; never two fetches at a time, and never on the GUI thread's time (it awaits): its
    `polling` (console.presenters.tasks.Polling) sees to that.
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
        self._known: dict[int, tuple[int | None, bool]] = {}
        self._active = False
        self.fetches = 0
        self.polling = Polling(self._refresh, None, "refreshing the technicians", log,
                               owner=self, min_interval_ms=interval_ms)

    @property
    def interval_ms(self) -> int:
        """The least time between two fetches' starts."""
        return self.polling.min_interval_ms

    @interval_ms.setter
    def interval_ms(self, value: int) -> None:
        self.polling.min_interval_ms = value

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
        if self._active:
            # During a fetch: once more after it, as what it brings may already be stale.
            self.polling.refresh(force=True)

    def pending(self) -> bool:
        """A fetch is waiting for the interval to pass."""
        return self.polling.held()

    def busy(self) -> bool:
        """A fetch is under way."""
        return self.polling.busy()

    def stop(self) -> None:
        self._active = False
        self.polling.stop()

    async def _refresh(self) -> None:
        self.fetches += 1
        self._deliver(await self._fetch())
