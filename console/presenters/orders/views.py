"""A person's saved views of the queue: named filter sets kept in the console's settings under
the role and the person's name (several people may share one computer account), applied from
the Views menu or Ctrl+1 ... Ctrl+9."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings

from console.models.orders.matching import OrderFilter
from ui.orders.filter_bar import FilterBar

log = logging.getLogger(__name__)
MAX_VIEWS = 30


class SavedViews(QObject):
    """Keeps the Views menu of a filter bar and the settings in step."""

    def __init__(self, bar: FilterBar, settings: Callable[[], QSettings], key: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bar, self._settings, self._key = bar, settings, key
        self.views: list[tuple[str, OrderFilter]] = self._load()
        button = bar.views_button
        button.applyRequested.connect(self.apply)
        button.saveRequested.connect(self.save_current)
        button.deleteRequested.connect(self.delete)
        self._show()

    def apply(self, position: int) -> None:
        if 0 <= position < len(self.views):
            self._bar.set_filters(self.views[position][1].to_dict())

    def save_current(self, name: str) -> None:
        """Save the bar's filters under this name (replacing a view of the same name)."""
        current = OrderFilter.from_dict(self._bar.filters())
        names = [n for n, _ in self.views]
        if name in names:
            self.views[names.index(name)] = (name, current)
        elif len(self.views) < MAX_VIEWS:
            self.views.append((name, current))
        self._store()

    def delete(self, position: int) -> None:
        if 0 <= position < len(self.views):
            del self.views[position]
            self._store()

    def _show(self) -> None:
        self._bar.views_button.set_views([name for name, _ in self.views])

    def _store(self) -> None:
        settings = self._settings()
        raw = [{"name": n, "filters": f.to_dict()} for n, f in self.views]
        settings.setValue(self._key, json.dumps(raw, ensure_ascii=False))
        settings.sync()
        self._show()

    def _load(self) -> list[tuple[str, OrderFilter]]:
        raw: Any = self._settings().value(self._key)
        if not isinstance(raw, str):
            return []
        try:
            items = json.loads(raw)
        except ValueError:
            log.warning("ignoring unreadable saved views: %r", raw)
            return []
        views = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]:
                views.append((item["name"], OrderFilter.from_dict(item.get("filters"))))
        return views[:MAX_VIEWS]
