"""The queue's filter as a proxy, for views and code written against a filter proxy.

The filtering itself happens in QueueModel (console.models.orders.matching says why); this
proxy passes the model's rows through unchanged (QIdentityProxyModel maps indexes in C++) and
forwards filter and sort requests to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QObject, Qt, Signal

from console.models.orders.matching import OrderFilter
from console.models.orders.queue import QueueModel
from console.models.orders.rows import DEFAULT_SORT

__all__ = ["OrderFilter", "OrderFilterProxy"]


class OrderFilterProxy(QIdentityProxyModel):
    """A QueueModel's rows, with its filter and sort as a proxy's API.

    Signals: filterChanged(OrderFilter) after every change of the filter.
    """

    filterChanged = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def setSourceModel(self, model: Any) -> None:
        if not isinstance(model, QueueModel):
            raise TypeError("OrderFilterProxy filters a QueueModel")
        super().setSourceModel(model)

    def queue(self) -> QueueModel:
        model = self.sourceModel()
        assert isinstance(model, QueueModel)
        return model

    # -- the filter ----------------------------------------------------------------------

    def order_filter(self) -> OrderFilter:
        return self.queue().order_filter()

    def set_order_filter(self, value: OrderFilter) -> None:
        if self.queue().set_order_filter(value):
            self.filterChanged.emit(value)

    def _change(self, **fields: Any) -> None:
        self.set_order_filter(replace(self.order_filter(), **fields))

    def set_states(self, states: Iterable[str]) -> None:
        self._change(states=frozenset(str(s) for s in states))

    def set_region(self, adcode: str) -> None:
        self._change(region=adcode or "")

    def set_service_type(self, value: str) -> None:
        self._change(service_type=value or "")

    def set_platform(self, value: str) -> None:
        self._change(platform=value or "")

    def set_text(self, text: str) -> None:
        self._change(text=text or "")

    def set_needs_person(self, value: bool) -> None:
        self._change(needs_person=bool(value))

    # -- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the model, which sorts in Python."""
        self.queue().sort(column, order)

    def sort_newest_first(self) -> None:
        self.queue().sort(DEFAULT_SORT)

    # -- lookups -------------------------------------------------------------------------

    def row_of(self, order_id: int) -> int | None:
        """The visible row of an order, None when filtered out or unknown."""
        return self.queue().row_of(order_id)
