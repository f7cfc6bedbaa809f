"""The queue: a filter bar over a sortable table of orders."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from ui.orders.filter_bar import FilterBar
from ui.orders.queue_keys import install_queue_keys
from ui.roles import ID_ROLE

FIT_ROWS = 200  # the rows measured to fit a column to its content


class QueueView(QWidget):
    """Shows any table model whose rows carry an order id in ID_ROLE.

    Signals: orderSelected(int) when the current row moves to another order;
    filtersChanged(dict) from the filter bar.
    """

    orderSelected = Signal(int)
    filtersChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self._selected: int | None = None
        # The selected order's row is being taken out (a re-sort moves it by remove + insert):
        # Qt moves the current index to a neighbour meanwhile, which is not the user's choice.
        self._displaced = False
        self.filter_bar = FilterBar(self)
        self.filter_bar.filtersChanged.connect(self.filtersChanged)
        self.table = QTableView(self)
        self.table.setObjectName("queueTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Fixed row heights: the view never measures 100,000 rows.
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        vertical.hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.setHighlightSections(False)
        # Agents on the phone search without the mouse.
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        self.keys = install_queue_keys(self)  # and the rest of the mouse's work on keys
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)

    def set_model(self, model: QAbstractItemModel) -> None:
        # Before setModel: the selection model it creates moves the current index off a
        # leaving row, and this must know the row is only moving before that happens.
        model.rowsAboutToBeRemoved.connect(self._rows_leaving)
        self.table.setModel(model)
        # No indicator means the model's own default order (newest first).
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(self._reselect)
        model.layoutChanged.connect(self._reselect)
        model.rowsInserted.connect(self._rows_arrived)
        for column, width in enumerate((150, 70, 90, 90, 70, 80, 80, 90)):
            self.table.setColumnWidth(column, width)
        self._fitted = False
        model.rowsInserted.connect(self._fit_once)
        model.modelReset.connect(self._fit_once)
        self._fit_once()

    # -- column widths -------------------------------------------------------------------

    def stretch_column(self, column: int) -> None:
        """This column (the customer) takes the room left over; the others fit their content."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def _fit_once(self) -> None:
        """Fit the columns to the first rows shown, once: later counts and times never move
        the columns under the mouse, and the user's own widths (restore_columns) stay."""
        model = self.model()
        if self._fitted or model is None or model.rowCount() == 0:
            return
        self._fitted = True
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(FIT_ROWS)  # never measures 100,000 rows
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                self.table.resizeColumnToContents(column)

    def columns_state(self) -> QByteArray:
        """Widths to keep; empty before the columns were ever fitted (nothing worth keeping)."""
        return self.table.horizontalHeader().saveState() if self._fitted else QByteArray()

    def restore_columns(self, state: object) -> bool:
        """The widths the user left (from columns_state); False, and fitted widths, if none."""
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        if not self.table.horizontalHeader().restoreState(state):
            return False
        self._fitted = True
        return True

    def focus_search(self) -> None:
        self.filter_bar.search_edit.setFocus()
        self.filter_bar.search_edit.selectAll()

    def model(self) -> QAbstractItemModel:
        return self.table.model()

    def selected_order(self) -> int | None:
        return self._selected

    def select_order(self, order_id: int) -> bool:
        """Make this order current and scroll to it; False when it is not shown."""
        row = self._row_of(order_id)
        if row is None:
            return False
        self._make_current(self.model().index(row, 0))
        return True

    def _make_current(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def select_first(self) -> int | None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return None
        order_id = model.index(0, 0).data(ID_ROLE)
        self.select_order(int(order_id))
        return int(order_id)

    def _row_of(self, order_id: int) -> int | None:
        model = self.model()
        if model is None:
            return None
        # Models that index their ids answer at once; others are searched.
        row_of = getattr(model, "row_of", None)
        if callable(row_of):
            found = row_of(order_id)
            return found if isinstance(found, int) else None
        hits = model.match(
            model.index(0, 0), ID_ROLE, order_id, 1, Qt.MatchFlag.MatchExactly
        )
        return hits[0].row() if hits else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._displaced:
            return
        order_id = current.data(ID_ROLE)
        if order_id is not None and order_id != self._selected:
            self._selected = int(order_id)
            self.orderSelected.emit(self._selected)

    def _reselect(self) -> None:
        # A reset or re-sort may drop the current row; keep the dispatcher's order in view.
        if self._selected is not None and not self.table.selectionModel().hasSelection():
            self.select_order(self._selected)

    def _rows_leaving(self, parent: QModelIndex, first: int, last: int) -> None:
        current = self.table.selectionModel().currentIndex()
        if (
            self._selected is not None and not parent.isValid() and current.isValid()
            and first <= current.row() <= last and current.data(ID_ROLE) == self._selected
        ):
            self._displaced = True
            # If no insert brings it back in this turn, it has left the queue (or the filter).
            QTimer.singleShot(0, self._settle)

    def _rows_arrived(self, parent: QModelIndex, first: int, last: int) -> None:
        if not self._displaced or parent.isValid():
            return
        model = self.model()
        for row in range(first, last + 1):
            # By the rows themselves: a model may index its ids only after this signal.
            if model.index(row, 0).data(ID_ROLE) == self._selected:
                self._displaced = False
                self._make_current(model.index(row, 0))
                return

    def _settle(self) -> None:
        """Put the selection back on the displaced order, or on no row if it has gone."""
        if not self._displaced:
            return
        self._displaced = False
        if self._selected is not None and self.select_order(self._selected):
            return
        # Gone: select nothing rather than a neighbour the user never chose; the detail keeps
        # showing the order that left (often the one just acted on).
        selection = self.table.selectionModel()
        selection.clearSelection()
        selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
