"""The order queue as a Qt table: adapts an OrderStore, incrementally, at 100,000 rows.

Rows are kept in a list in display order plus an id -> row dict. Sorting happens here in Python
(list.sort, tens of milliseconds) rather than in QSortFilterProxyModel, whose C++ sort calls back
into Python twice per comparison (about 8-17 s for 100,000 rows, measured). New orders are
therefore inserted at their sorted place (newest first by default), not appended.
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
from PySide6.QtGui import QBrush, QColor, QFont

from console.models.orders.rows import (
    DEFAULT_SORT,
    Column,
    Entry,
    LabelTables,
    column_titles,
    contiguous_ranges,
    display_text,
    insert_position,
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
    """Orders of a store as rows.

    Signals: repaintStarted / repaintFinished bracket a dataChanged that touches only what rows
    look like (the time-in-state clock, a new language), never what filters read, so the proxy
    can skip re-filtering 100,000 rows.
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
        self._entries: list[Entry] = []
        self._index: dict[int, int] = {}
        self._sort_column = DEFAULT_SORT
        self._descending = True
        self._clock = clock or WALL_CLOCK.now
        self._overdue_after: float | None = None
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
        # In place, always: the filter proxy holds this very list.
        self._entries[:] = [Entry(row) for row in rows]
        self._entries.sort(key=self._key(), reverse=self._descending)
        self._reindex(0)
        self.endResetModel()

    def upsert(self, rows: Iterable[OrderRow]) -> None:
        key = self._key()
        changed: list[int] = []
        moved: dict[int, Entry] = {}
        fresh: dict[int, Entry] = {}
        for row in rows:
            entry = Entry(row)
            at = self._index.get(row.id)
            if at is None:
                fresh[row.id] = entry
            elif key(self._entries[at]) == key(entry):
                self._entries[at] = entry
                changed.append(at)
            else:
                moved[row.id] = entry
        last = len(Column) - 1
        for first, end in contiguous_ranges(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))
        if len(moved) + len(fresh) > BULK_THRESHOLD:
            self._relayout(replace=moved | fresh)
            return
        if moved:
            self.remove(moved)
        self._insert(list(moved.values()) + list(fresh.values()))

    def remove(self, order_ids: Iterable[int]) -> None:
        ids = [i for i in set(order_ids) if i in self._index]
        if not ids:
            return
        rows = [self._index.pop(i) for i in ids]
        for first, last in reversed(contiguous_ranges(rows)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._entries[first : last + 1]
            self.endRemoveRows()
        self._reindex(min(rows))

    def _insert(self, entries: list[Entry]) -> None:
        if not entries:
            return
        key = self._key()
        entries.sort(key=key, reverse=self._descending)
        # Positions against the list before insertion; inserting the highest first keeps the
        # lower positions valid, and entries bound for one place go in as one block.
        groups: list[tuple[int, list[Entry]]] = []
        for entry in entries:
            at = insert_position(self._entries, entry, key, self._descending)
            if groups and groups[-1][0] == at:
                groups[-1][1].append(entry)
            else:
                groups.append((at, [entry]))
        for at, block in reversed(groups):
            self.beginInsertRows(QModelIndex(), at, at + len(block) - 1)
            self._entries[at:at] = block
            self.endInsertRows()
        self._reindex(groups[0][0])

    def _reindex(self, start: int) -> None:
        index = self._index
        if start == 0:
            index.clear()
        for n in range(start, len(self._entries)):
            index[self._entries[n].row.id] = n

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
        self._relayout(replace={})

    def set_priority_states(self, states: Iterable[str]) -> None:
        """In the default order, put orders in these states first (e.g. awaiting dispatch)."""
        self._priority = frozenset(states)
        if self._sort_column == DEFAULT_SORT:
            self._relayout(replace={})

    def _key(self) -> Callable[[Entry], Any]:
        return key_function(self._sort_column, self._priority)

    def sort_spec(self) -> tuple[int, Qt.SortOrder]:
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return self._sort_column, order

    def _relayout(self, replace: dict[int, Entry]) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._entries[i.row()].row.id if i.isValid() else None for i in persistent]
        if replace:
            self._entries[:] = [e for e in self._entries if e.row.id not in replace]
            self._entries.extend(replace.values())
        self._entries.sort(key=self._key(), reverse=self._descending)
        self._reindex(0)
        new = []
        for old, order_id in zip(persistent, ids, strict=True):
            row = self._index.get(order_id) if order_id is not None else None
            new.append(QModelIndex() if row is None else self.index(row, old.column()))
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    # -- lookups -------------------------------------------------------------------------

    def row_of(self, order_id: int) -> int | None:
        return self._index.get(order_id)

    def order_at(self, row: int) -> OrderRow:
        return self._entries[row].row

    def entries(self) -> list[Entry]:
        """The rows in display order; the filter proxy reads them directly for speed."""
        return self._entries

    # -- time in state -------------------------------------------------------------------

    def set_overdue_after(self, seconds: float | None) -> None:
        """Emphasise (red, bold) orders longer than this in their state; None: no emphasis."""
        self._overdue_after = seconds
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
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
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
        if column == Column.TIME_IN_STATE and self._is_overdue(entry):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#c62828"))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
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

    def _is_overdue(self, entry: Entry) -> bool:
        limit = self._overdue_after
        return limit is not None and self._clock().timestamp() - entry.changed > limit
