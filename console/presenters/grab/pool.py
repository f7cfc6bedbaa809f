"""Keeps the pool monitor current: every few seconds while it is on screen, never behind a tab."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.models.grab.pool import PoolModel, status_labels
from console.presenters.messages import MessageRoute
from console.presenters.tasks import PolledList, Polling
from core.contracts.dispatch import PoolSummary
from ui.grab.pool_monitor import PoolMonitorView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 3000
LIMIT = 200


class PoolClient(Protocol):
    async def grab_pool(self, status: str | None = None, limit: int = LIMIT) -> PoolSummary: ...


def status_options() -> list[tuple[str, str]]:
    names = status_labels()
    return [("", translate("PoolMonitorPresenter", "All")),
            *((s, names[s]) for s in ("open", "claimed", "expired", "withdrawn"))]


class PoolMonitorPresenter(PolledList, QObject):
    """Fetches the pool summary on a timer while `visible()` and on request.

    A hidden monitor does not poll at all (the pool is busy only while someone watches it);
    coming on screen refreshes at once.

    Signals: refreshed() after the table and counts were replaced; countsChanged(int open).
    """

    refreshed = Signal()
    countsChanged = Signal(int)

    def __init__(self, client: PoolClient, view: PoolMonitorView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 model: PoolModel | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._view = view
        self._route = route
        self.model = model or PoolModel(self)
        self.status = ""
        self.summary: PoolSummary | None = None
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("PoolMonitorPresenter", "Refreshing the grab pool"), log,
                               every_ms=interval_ms, owner=view, visible=visible)
        view.set_model(self.model)
        view.set_status_options(status_options(), self.status)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.statusChanged.connect(self.set_status)

    def set_status(self, status: str) -> None:
        self.status = status
        self.refresh(force=True)

    async def _refresh(self) -> None:
        status = self.status
        summary = await self._client.grab_pool(status=status or None, limit=LIMIT)
        if shiboken6.isValid(self._view) and status == self.status:
            self._apply(summary)

    def _apply(self, summary: PoolSummary) -> None:
        self.refreshes += 1
        self.summary = summary
        self.model.set_rows(list(summary.rows))
        self._view.set_counts(summary.model_dump(exclude={"rows"}))
        note = ""
        if len(summary.rows) >= LIMIT:
            note = translate("PoolMonitorPresenter", "Showing the newest {0} offers").format(LIMIT)
        self._view.set_note(note)
        self.countsChanged.emit(summary.open)
        self.refreshed.emit()
