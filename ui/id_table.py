"""Read-only tables for lists refreshed every few seconds (keep their row, answer the keyboard);
the filter combos above them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QWidget

from ui.roles import ID_ROLE

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)



def set_choices(combo: QComboBox, options: list[tuple[str, str]], current: str) -> None:
    """Fill a filter combo with (value, label) pairs and select `current`, without signalling."""
    combo.blockSignals(True)
    combo.clear()
    for value, text in options:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


class IdTable(QTableView):
    """Rows carry a key in ID_ROLE; a reset (a refresh) puts the selection back on its key.

    When the selected row is gone (approved, retried, taken by someone else) its neighbour
    becomes current, so an agent working down a queue goes on with the next one.

    Signals: keySelected(object) when the current row moves to another key (None: no row);
    keyActivated(object) on Enter or a double click; deleteRequested(object) on Delete.
    """

    keySelected = Signal(object)
    keyActivated = Signal(object)
    deleteRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: Any = None
        self._current_row = -1
        self._restoring = False
        self._sized = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as forms expect
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.doubleClicked.connect(self._double_clicked)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is None:
            return
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelAboutToBeReset.connect(self._remember_row)
        model.modelReset.connect(self._restore)
        model.layoutChanged.connect(self._restore)
        self.resizeColumnsToContents()

    def current_key(self) -> Any:
        return self._current

    def select_key(self, key: Any) -> bool:
        """Make the row with this key current; False when no row has it."""
        model = self.model()
        if model is None or key is None:
            return False
        hits = model.match(model.index(0, 0), ID_ROLE, key, 1, Qt.MatchFlag.MatchExactly)
        if not hits:
            return False
        self.selectionModel().setCurrentIndex(
            hits[0],
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(hits[0])
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        key = current.data(ID_ROLE) if current.isValid() else None
        if key != self._current:
            self._current = key
            self.keySelected.emit(key)

    def _remember_row(self) -> None:
        self._current_row = self.currentIndex().row() if self._current is not None else -1

    def _restore(self) -> None:
        """After a refresh the chosen row may have moved or gone: follow it, or its neighbour."""
        model = self.model()
        if not self._sized and model is not None and model.rowCount():
            # Once, with the first rows: later refreshes keep what the user dragged.
            self._sized = True
            self.resizeColumnsToContents()
        self._restoring = True
        try:
            found = self.select_key(self._current)
        finally:
            self._restoring = False
        if found or self._current is None:
            return
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        if self._current_row >= 0 and rows:
            neighbour = model.index(min(self._current_row, rows - 1), 0).data(ID_ROLE)
            self._current = None
            self.select_key(neighbour)  # emits keySelected for the neighbour
            return
        self._current = None
        self.selectionModel().clearSelection()
        self.keySelected.emit(None)

    def _double_clicked(self, index: QModelIndex) -> None:
        key = index.data(ID_ROLE)
        if key is not None:
            self.keyActivated.emit(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in ENTER_KEYS and self._current is not None:
            self.keyActivated.emit(self._current)
            return
        if key == Qt.Key.Key_Delete and self._current is not None:
            self.deleteRequested.emit(self._current)
            return
        super().keyPressEvent(event)
