"""Keeps the queue's lateness marks current: the open SLA alerts (GET /v1/sla/alerts, worst level
per order) are fetched on a slow timer and soon after the change feed brings an `sla_alert`,
never more often than every few seconds. Roles that may not read alerts stop after the first
refusal; other failures are logged once per run (the connection light tells about outages)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject

from console.errors import ApiError
from console.models.orders.lateness import worst_per_order
from console.models.orders.queue import QueueModel
from console.presenters.tasks import Polling
from core.contracts.sla_deadlines import AlertOut

log = logging.getLogger(__name__)
EVERY_MS = 30_000
MIN_INTERVAL_MS = 2_000
PAGE = 1000  # the server's largest page
MAX_ALERTS = 20_000  # beyond this many open alerts the list is a fire, not a queue to mark
ALERT_EVENT = "sla_alert"


class AlertClient(Protocol):
    async def sla_alerts(self, after: str | None = None, limit: int = 200,
                         level: str | None = None, region: str | None = None,
                         step: str | None = None) -> list[AlertOut]: ...


class LatenessFeed(QObject):
    """Fetches open alerts into `model.set_lateness`; `start()` / `stop()`."""

    def __init__(self, client: AlertClient, model: QueueModel, *, owner: QObject,
                 subscribe_events: Callable[[Callable[[list[Any]], None]], Any] | None = None,
                 every_ms: int = EVERY_MS, min_interval_ms: int = MIN_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._model = client, model
        self.fetches = 0
        self.refused = False
        self.polling = Polling(self._fetch, None, "Fetching SLA alerts for the queue", log,
                               self._handled, every_ms=every_ms, owner=owner,
                               min_interval_ms=min_interval_ms)
        self._unsubscribe = subscribe_events(self._events) if subscribe_events else None

    def start(self) -> None:
        self.polling.start()

    def stop(self) -> None:
        self.polling.stop()
        if callable(self._unsubscribe):
            self._unsubscribe()
        self._unsubscribe = None

    def _events(self, events: list[Any]) -> None:
        if not self.refused and any(getattr(e, "kind", "") == ALERT_EVENT for e in events):
            self.polling.refresh()

    async def _fetch(self) -> None:
        alerts: list[AlertOut] = []
        after: str | None = None
        while len(alerts) < MAX_ALERTS:
            page = await self._client.sla_alerts(after=after, limit=PAGE)
            alerts += page
            if len(page) < PAGE or not page[-1].cursor:
                break
            after = page[-1].cursor
        self.fetches += 1
        self._model.set_lateness(worst_per_order(alerts))

    def _handled(self, exc: Exception) -> bool:
        if isinstance(exc, ApiError) and exc.status in (401, 403):
            self.refused = True
            self.polling.stop()
            return True
        return False
