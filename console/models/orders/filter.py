"""Filtering the queue: state, region, service type, platform and free text, on raw values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from console.models.orders.queue import QueueModel
from console.models.orders.rows import DEFAULT_SORT, Entry

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class OrderFilter:
    """What the queue shows; empty fields filter nothing. Serialisable for QSettings."""

    states: frozenset[str] = field(default_factory=frozenset)
    region: str = ""  # a province, city or county adcode
    service_type: str = ""
    platform: str = ""
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": sorted(self.states),
            "region": self.region,
            "service_type": self.service_type,
            "platform": self.platform,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: Any) -> OrderFilter:
        if not isinstance(data, dict):
            return cls()
        states = data.get("states") or []
        return cls(
            states=frozenset(str(s) for s in states if isinstance(s, str)),
            region=str(data.get("region") or ""),
            service_type=str(data.get("service_type") or ""),
            platform=str(data.get("platform") or ""),
            text=str(data.get("text") or ""),
        )


def _region_prefix(adcode: str) -> str:
    """Adcodes nest by digits: 330106 is in city 330100 and province 330000."""
    if len(adcode) != 6 or not adcode.isdigit():
        return adcode
    if adcode.endswith("0000"):
        return adcode[:2]
    if adcode.endswith("00"):
        return adcode[:4]
    return adcode


class OrderFilterProxy(QSortFilterProxyModel):
    """Filters a QueueModel; sorting is delegated to the model (see queue_model's docstring).

    Signals: filterChanged(OrderFilter) after every change of the filter.
    """

    filterChanged = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = OrderFilter()
        self._needle = ""
        self._prefix = ""
        self._entries: list[Entry] = []
        self.setDynamicSortFilter(True)

    def setSourceModel(self, model: Any) -> None:
        if not isinstance(model, QueueModel):
            raise TypeError("OrderFilterProxy filters a QueueModel")
        old = self.sourceModel()
        if isinstance(old, QueueModel):
            old.repaintStarted.disconnect(self._pause)
            old.repaintFinished.disconnect(self._resume)
        super().setSourceModel(model)
        # The model mutates this one list in place, so holding it stays valid.
        self._entries = model.entries()
        model.repaintStarted.connect(self._pause)
        model.repaintFinished.connect(self._resume)

    def queue(self) -> QueueModel:
        model = self.sourceModel()
        assert isinstance(model, QueueModel)
        return model

    # -- the filter ----------------------------------------------------------------------

    def order_filter(self) -> OrderFilter:
        return self._filter

    def set_order_filter(self, value: OrderFilter) -> None:
        if value == self._filter:
            return
        self.beginFilterChange()
        self._filter = value
        self._needle = value.text.strip().lower()
        self._prefix = _region_prefix(value.region)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filterChanged.emit(value)

    def set_states(self, states: Iterable[str]) -> None:
        self.set_order_filter(replace(self._filter, states=frozenset(str(s) for s in states)))

    def set_region(self, adcode: str) -> None:
        self.set_order_filter(replace(self._filter, region=adcode or ""))

    def set_service_type(self, value: str) -> None:
        self.set_order_filter(replace(self._filter, service_type=value or ""))

    def set_platform(self, value: str) -> None:
        self.set_order_filter(replace(self._filter, platform=value or ""))

    def set_text(self, text: str) -> None:
        self.set_order_filter(replace(self._filter, text=text or ""))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        entry = self._entries[source_row]
        f = self._filter
        if f.states and entry.state not in f.states:
            return False
        if self._prefix and not entry.county.startswith(self._prefix):
            return False
        if f.service_type and entry.service_type != f.service_type:
            return False
        if f.platform and entry.row.platform != f.platform:
            return False
        return not self._needle or self._needle in entry.haystack

    # -- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the model, which sorts in Python; the proxy keeps the model's order."""
        self.queue().sort(column, order)

    def sort_newest_first(self) -> None:
        self.queue().sort(DEFAULT_SORT)

    # -- lookups -------------------------------------------------------------------------

    def row_of(self, order_id: int) -> int | None:
        """The visible row of an order, None when filtered out or unknown."""
        source = self.queue().row_of(order_id)
        if source is None:
            return None
        index = self.mapFromSource(self.queue().index(source, 0))
        return index.row() if index.isValid() else None

    def _pause(self) -> None:
        self.setDynamicSortFilter(False)

    def _resume(self) -> None:
        self.setDynamicSortFilter(True)
