"""What a workspace keeps per role between sessions: the window's layout, the queue's columns,
filters and sort order (the role's defaults the first time)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt

from console.models.orders import Column, OrderFilter, OrderFilterProxy, QueueModel
from console.windows.specs import WorkspaceSpec
from ui.main_window import MainWindow
from ui.orders.queue_view import QueueView

log = logging.getLogger(__name__)
SettingsFactory = Callable[[], QSettings]


def open_settings() -> QSettings:
    return QSettings("Lastmile", "console")


class SavedLayout:
    """Saves and restores one role's window and queue under `<role>/...` keys."""

    def __init__(self, spec: WorkspaceSpec, settings: SettingsFactory, window: MainWindow,
                 queue_view: QueueView, proxy: OrderFilterProxy, model: QueueModel) -> None:
        self.spec, self._settings, self.window = spec, settings, window
        self.queue_view, self.proxy, self.model = queue_view, proxy, model

    def key(self, name: str) -> str:
        return f"{self.spec.role}/{name}"

    def _columns_key(self) -> str:
        return self.key(f"queue_columns/{len(Column)}")  # a new column: fitted afresh

    def save(self) -> None:
        settings = self._settings()
        geometry, state = self.window.layout_state()
        settings.setValue(self.key("geometry"), geometry)
        settings.setValue(self.key("window_state"), state)
        settings.setValue(self._columns_key(), self.queue_view.columns_state())
        settings.setValue(self.key("filters"), json.dumps(self.proxy.order_filter().to_dict()))
        column, order = self.model.sort_spec()
        settings.setValue(self.key("sort"), f"{column},{order.value}")
        settings.sync()

    def restore(self) -> None:
        """The last layout, filters and order of this role; the role's defaults the first time."""
        settings = self._settings()
        self.window.restore_layout_state(
            settings.value(self.key("geometry")), settings.value(self.key("window_state"))
        )
        self.queue_view.restore_columns(settings.value(self._columns_key()))
        order_filter = self.spec.default_filter
        saved = settings.value(self.key("filters"))
        if isinstance(saved, str):
            try:
                order_filter = OrderFilter.from_dict(json.loads(saved))
            except ValueError:
                log.warning("ignoring unreadable saved filters: %r", saved)
        self.queue_view.filter_bar.set_filters(order_filter.to_dict())
        self.proxy.set_order_filter(order_filter)
        column, order = self.spec.sort
        saved_sort = settings.value(self.key("sort"))
        if isinstance(saved_sort, str) and "," in saved_sort:
            try:
                column, raw = (int(p) for p in saved_sort.split(",", 1))
                order = Qt.SortOrder(raw)
            except ValueError:
                log.warning("ignoring unreadable saved sort: %r", saved_sort)
        self.queue_view.table.horizontalHeader().setSortIndicator(column, order)
