"""A read-only table of wire rows with a key each: the base of the console's list models."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ui.plain_text import shown, tooltip
from ui.roles import ID_ROLE, SORT_ROLE, WARNING_ROLE

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
Key = int | str
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
RED = QColor("#c62828")


class RowTable(QAbstractTableModel, Generic[T]):
    """Rows as the server sent them; subclasses say how a row looks.

    `set_rows` is called on every refresh (every two seconds): when the same rows come back in
    the same order only their cells are repainted, so views keep selection and scroll position.
    """

    numeric_columns: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._keys: list[Key] = []
        self._titles = self.titles()

    # -- what subclasses say -------------------------------------------------------------

    def titles(self) -> list[str]:
        raise NotImplementedError

    def key(self, row: T) -> Key:
        raise NotImplementedError

    def text(self, row: T, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: T, column: int) -> Any:
        return self.text(row, column)

    def warning(self, row: T, column: int) -> bool:
        """Shown in red: a problem, a refused record, something that needs a person."""
        return False

    def tooltip(self, row: T, column: int) -> str:
        return ""

    # -- rows ----------------------------------------------------------------------------

    def set_rows(self, rows: list[T]) -> None:
        keys = [self.key(r) for r in rows]
        if keys == self._keys:
            self._rows = list(rows)
            if rows:
                last = self.index(len(rows) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows, self._keys = list(rows), keys
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def item(self, row: int) -> T:
        return self._rows[row]

    def row_of(self, key: Key) -> int | None:
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    def find(self, key: Key) -> T | None:
        row = self.row_of(key)
        return None if row is None else self._rows[row]

    def retranslate(self) -> None:
        self._titles = self.titles()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._titles) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._titles) - 1)
            )

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section] if 0 <= section < len(self._titles) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(self.text(row, column))
        if role == ID_ROLE:
            return self._keys[index.row()]
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == WARNING_ROLE:
            return self.warning(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and self.warning(row, column):
            return QBrush(RED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.tooltip(row, column)) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.numeric_columns:
            return RIGHT
        return None
