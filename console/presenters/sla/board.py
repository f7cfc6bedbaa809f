"""Keeps the supervisor board current: its counts and open alerts are fetched again when the
change feed brings an SLA alert (`sla_alert`, coalesced: at most one fetch per ALERT_MS, so an
alert is on the board within a second of its time), when other order changes come (less
eagerly, CHANGE_MS: a stopped step leaves the counts), and on a slow timer as a fallback; a
hidden board only on that timer (for its title) and when it comes on screen. The
on-time charts load for the chosen period; exports save the period's CSV or Excel to a file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from console.presenters.messages import MessageRoute
from console.presenters.sla.board_models import AlertModel, TallyModel
from console.presenters.tasks import PolledList, Polling, spawn
from core.contracts import ChangeEvent
from core.contracts.sla_board import BoardOut, OnTimeOut
from core.contracts.sla_deadlines import AlertOut
from ui.sla.board import GROUPS, BoardView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

ALERT_EVENT = "sla_alert"
ALERT_MS = 250  # an alert's refresh waits at most this (plus the fetch) after the last one
CHANGE_MS = 2_000  # other order changes refresh the board this long after, coalesced
FALLBACK_MS = 30_000
ALERT_LIMIT = 200
PERIOD_DAYS = 14


class BoardClient(Protocol):
    async def sla_board(self, region: str | None = None,
                        step: str | None = None) -> BoardOut: ...
    async def sla_alerts(self, after: str | None = None, limit: int = 200,
                         level: str | None = None, region: str | None = None,
                         step: str | None = None) -> list[AlertOut]: ...
    async def sla_on_time(self, start: date, end: date, by: str = "day") -> list[OnTimeOut]: ...
    async def sla_export(self, kind: Literal["csv", "xlsx"], start: date,
                         end: date) -> bytes: ...


class BoardPresenter(PolledList, QObject):
    """Signals: refreshed() after counts and alerts were replaced; ratesLoaded() after the
    charts were; exported(str path) after a file was saved."""

    refreshed = Signal()
    ratesLoaded = Signal()
    exported = Signal(str)

    def __init__(self, client: BoardClient, view: BoardView, route: MessageRoute, *,
                 today: Callable[[], date], visible: Callable[[], bool] = lambda: True,
                 alert_ms: int = ALERT_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._visible = visible
        self.board: BoardOut | None = None
        self.pages = 1  # alert pages shown (ALERT_LIMIT each), fetched by keyset every refresh
        self.refreshes = 0
        self.tallies = {group: TallyModel(self) for group in GROUPS}
        self.alerts = AlertModel(self)
        for group, model in self.tallies.items():
            view.set_group_model(group, model)
        view.set_alert_model(self.alerts)
        self.polling = Polling(self._refresh, route,
                               translate("BoardPresenter", "Refreshing the SLA board"), log,
                               every_ms=FALLBACK_MS, owner=view, visible=visible,
                               hidden_every_ms=FALLBACK_MS, min_interval_ms=alert_ms)
        self._changed = QTimer(view)
        self._changed.setSingleShot(True)
        self._changed.setInterval(CHANGE_MS)
        self._changed.timeout.connect(lambda: self.refresh(force=True))
        self._rates = Polling(self._load_rates, route,
                              translate("BoardPresenter", "Loading on-time rates"), log)
        end = today()
        view.set_period(end - timedelta(days=PERIOD_DAYS - 1), end)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.filterChanged.connect(self._filter_changed)
        view.moreRequested.connect(self.show_more)
        view.periodChanged.connect(self.load_rates)
        view.exportRequested.connect(
            lambda kind, path: spawn(self.export(kind, Path(path)), route,
                                     translate("BoardPresenter", "Exporting the period")))

    def on_events(self, events: Sequence[ChangeEvent]) -> None:
        """Feed events: an SLA alert refreshes at once (coalesced), other changes soon; a board
        nobody looks at waits (it refreshes when shown, and its title on the slow timer)."""
        if not self._visible():
            return
        if any(e.kind == ALERT_EVENT for e in events):
            self._changed.stop()
            self.refresh(force=True)
        elif events and not self._changed.isActive():
            self._changed.start()

    def stop(self) -> None:
        self._changed.stop()
        self._rates.cancel()
        super().stop()

    def counts(self) -> tuple[int, int, int]:
        if self.board is None:
            return 0, 0, 0
        total = self.board.total
        return total.notice, total.warning, total.severe

    async def _refresh(self) -> None:
        region, step = self._view.region_filter(), self._view.step_filter()
        board = await self._client.sla_board(region, step)
        alerts: list[AlertOut] = []
        after: str | None = None
        more = False
        for _ in range(self.pages):
            page = await self._client.sla_alerts(after=after, limit=ALERT_LIMIT, region=region,
                                                 step=step)
            alerts.extend(page)
            more = len(page) == ALERT_LIMIT
            if not more:
                break
            after = page[-1].cursor
        if not shiboken6.isValid(self._view):
            return
        self.board = board
        self.refreshes += 1
        for group, rows in (("city", board.by_city), ("county", board.by_county),
                            ("step", board.by_step),
                            ("service_point", board.by_service_point),
                            ("technician", board.by_technician)):
            self.tallies[group].set_rows(list(rows))
        self.alerts.set_rows(alerts)
        self._view.set_more(more)
        self._view.set_totals(*self.counts())
        self.refreshed.emit()

    def show_more(self) -> None:
        """One more page of alerts, from the last one shown on (and kept on each refresh)."""
        self.pages += 1
        self.refresh(force=True)

    def _filter_changed(self) -> None:
        self.pages = 1
        self.refresh(force=True)

    def load_rates(self) -> None:
        self._rates.refresh(force=True)

    async def _load_rates(self) -> None:
        start, end = self._view.period()
        if end < start:
            self._route.warning(translate("BoardPresenter",
                                          "The period ends before it starts."))
            return
        days = await self._client.sla_on_time(start, end, "day")
        regions = await self._client.sla_on_time(start, end, "city")
        if not shiboken6.isValid(self._view):
            return
        self._view.charts.set_days([(r.key[5:], r.rate, r.finished) for r in days])
        self._view.charts.set_regions([(r.label, r.rate, r.finished) for r in regions])
        self.ratesLoaded.emit()

    async def export(self, kind: Literal["csv", "xlsx"], path: Path) -> None:
        start, end = self._view.period()
        data = await self._client.sla_export(kind, start, end)
        await asyncio.to_thread(path.write_bytes, data)
        self._route.info(translate("BoardPresenter", "Saved {0}.").format(str(path)))
        self.exported.emit(str(path))
