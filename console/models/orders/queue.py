"""The order queue as a Qt table: adapts an OrderStore, incrementally, at 100,000 rows.

Every order is kept in a sorted list, the rows (the filter's matches) in a second one; a row is
found by binary search on its sort key. Sorting and filtering happen here in Python (list.sort,
list comprehensions: tens of milliseconds) rather than in QSortFilterProxyModel, whose C++ loops
call back into Python per comparison or per row (8-17 s to sort, 150 ms just to be told which
rows to keep, at 100,000 rows, measured). New orders are therefore inserted at their sorted
place (newest first by default), not appended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from console.models.orders.changes import Sorted
from console.models.orders.lateness import Late, late_cell, shown_late
from console.models.orders.matching import Matcher, OrderFilter
from console.models.orders.ordered import AllOrders, insertion_blocks, locate
from console.models.orders.rows import (
    DEFAULT_SORT,
    Column,
    Entry,
    LabelTables,
    column_titles,
    contiguous_ranges,
    display_text,
    key_function,
    sort_value,
)
from core.clock import WALL_CLOCK
from core.contracts import OrderRow
from ui.plain_text import shown
from ui.roles import ID_ROLE, SORT_ROLE, STATE_ROLE

Index = QModelIndex | QPersistentModelIndex
# Past this many structural changes in one batch a single re-sort beats row-by-row signals.
BULK_THRESHOLD = 1000
CLOCK_INTERVAL_MS = 30_000


class StoreLike(Protocol):
    rows: dict[int, OrderRow]

    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class QueueModel(QAbstractTableModel):
    """Orders of a store as rows, filtered and sorted here (see the module docstring).

    Every open order is in `entries()`, sorted; the rows are the ones the filter keeps, in the
    same order. Entries are shared between the two lists.

    Signals: repaintStarted / repaintFinished bracket a dataChanged that touches only what rows
    look like (the time-in-state clock, a new language), never what filters read, so listeners
    such as the map can skip it.
    """

    repaintStarted = Signal()
    repaintFinished = Signal()

    def __init__(
        self,
        store: StoreLike | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._all = AllOrders()
        self._entries: list[Entry] = []  # the rows: the filter's matches, sorted
        self._matcher = Matcher(OrderFilter())
        self._sort_column = DEFAULT_SORT
        self._descending = True
        self._clock = clock or WALL_CLOCK.now
        self._late: dict[int, Late] = {}
        self._priority: frozenset[str] = frozenset()
        self._unsubscribe: Callable[[], None] | None = None
        self.retranslate()
        self._timer = QTimer(self)
        self._timer.setInterval(CLOCK_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh_clock)
        self._timer.start()
        if store is not None:
            self.attach(store)

    # -- store ---------------------------------------------------------------------------

    def attach(self, store: StoreLike) -> None:
        """Show this store's rows and follow its changes."""
        self.detach()
        self.reset(store.rows.values())
        self._unsubscribe = store.subscribe(self.apply)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def apply(self, change: Any) -> None:
        """Apply a StoreChange (kind "reset" | "upsert" | "remove", rows)."""
        if change.kind == "reset":
            self.reset(change.rows)
        elif change.kind == "upsert":
            self.upsert(change.rows)
        elif change.kind == "remove":
            self.remove(row.id for row in change.rows)

    def reset(self, rows: Iterable[OrderRow]) -> None:
        self.beginResetModel()
        self._all.replace((Entry(row) for row in rows), self._key(), self._descending)
        self._entries = self._matcher.select(self._all.entries)
        self.endResetModel()

    def upsert(self, rows: Iterable[OrderRow]) -> None:
        changes = self._sorted().upsert(rows)
        last = len(Column) - 1
        for first, end in contiguous_ranges(changes.changed):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))
        if len(changes.leaving) + len(changes.arriving) > BULK_THRESHOLD:
            self._relayout(resort=False)
            return
        self._remove_rows(changes.leaving)
        self._insert(changes.arriving)

    def remove(self, order_ids: Iterable[int]) -> None:
        self._remove_rows(self._sorted().remove(order_ids))

    def _sorted(self) -> Sorted:
        return Sorted(self._all, self._entries, self._key(), self._descending,
                      self._matcher.accepts)

    def _remove_rows(self, rows: list[int]) -> None:
        for first, last in reversed(contiguous_ranges(rows)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._entries[first : last + 1]
            self.endRemoveRows()

    def _insert(self, entries: list[Entry]) -> None:
        if not entries:
            return
        # The highest place first keeps the lower ones valid.
        for at, block in reversed(insertion_blocks(self._entries, entries, self._key(),
                                                   self._descending)):
            self.beginInsertRows(QModelIndex(), at, at + len(block) - 1)
            self._entries[at:at] = block
            self.endInsertRows()

    # -- filtering -----------------------------------------------------------------------

    def order_filter(self) -> OrderFilter:
        return self._matcher.filter

    def set_order_filter(self, value: OrderFilter) -> bool:
        """Show only the orders this filter keeps; False when it is the filter already."""
        if value == self._matcher.filter:
            return False
        self._matcher = Matcher(value)
        self._relayout(resort=False)
        return True

    # -- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (DEFAULT_SORT: newest first); keeps selections via persistent ids."""
        if column < 0 or column >= len(Column):
            column, descending = DEFAULT_SORT, True
        else:
            descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self._relayout(resort=True)

    def set_priority_states(self, states: Iterable[str]) -> None:
        """In the default order, put orders in these states first (e.g. awaiting dispatch)."""
        self._priority = frozenset(states)
        if self._sort_column == DEFAULT_SORT:
            self._relayout(resort=True)

    def _key(self) -> Callable[[Entry], Any]:
        return key_function(self._sort_column, self._priority)

    def sort_spec(self) -> tuple[int, Qt.SortOrder]:
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return self._sort_column, order

    def _relayout(self, resort: bool) -> None:
        """Rows re-sorted and/or re-filtered; persistent indexes (selections) follow their order."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._entries[i.row()].row.id if i.isValid() else None for i in persistent]
        if resort:
            self._all.resort(self._key(), self._descending)
        self._entries = self._matcher.select(self._all.entries)
        new = []
        for old, order_id in zip(persistent, ids, strict=True):
            row = self.row_of(order_id) if order_id is not None else None
            new.append(QModelIndex() if row is None else self.index(row, old.column()))
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    # -- lookups -------------------------------------------------------------------------

    def row_of(self, order_id: int) -> int | None:
        entry = self._all.get(order_id)
        if entry is None or not self._matcher.accepts(entry):
            return None
        return locate(self._entries, entry, self._key(), self._descending)

    def order_at(self, row: int) -> OrderRow:
        return self._entries[row].row

    def entries(self) -> list[Entry]:
        """Every order in display order, shown or filtered out (e.g. for counts per state)."""
        return self._all.entries

    def shown_entries(self) -> list[Entry]:
        """The rows, in display order."""
        return self._entries

    # -- time in state -------------------------------------------------------------------

    def set_lateness(self, marks: dict[int, Late]) -> None:
        """Mark these orders late (their worst open SLA alert); the others are on time."""
        self._late = marks
        self.refresh_clock()

    def refresh_clock(self) -> None:
        """Repaint the time-in-state column only."""
        if not self._entries:
            return
        column = Column.TIME_IN_STATE
        self.repaintStarted.emit()
        self.dataChanged.emit(
            self.index(0, column),
            self.index(len(self._entries) - 1, column),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole],
        )
        self.repaintFinished.emit()

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(display_text(entry, column, self._labels, self._clock))
        if role == ID_ROLE:
            return entry.row.id
        if role == SORT_ROLE:
            return sort_value(entry, column)
        if role == STATE_ROLE:
            return entry.state
        if column == Column.TIME_IN_STATE and self._late:
            return late_cell(shown_late(entry.state, self._late.get(entry.id)), role)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._headers):
                return self._headers[section]
        return None

    def retranslate(self) -> None:
        """Re-read the label tables (after the translator changed)."""
        self._headers = column_titles()
        self._labels = LabelTables()
        if self._entries:
            self.repaintStarted.emit()
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._entries) - 1, len(Column) - 1)
            )
            self.repaintFinished.emit()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
