"""The queue: a filter bar over a sortable table of orders."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
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
FOLLOW_MAX = 480  # px: the last column grows with a longer text up to this, no further
STATE_MAGIC = b"LMQ1"  # columns_state: this, whether the user sized the last column, Qt's state


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
        # The last column (why an order needs a person) follows its content until the user
        # sizes it: growing it moves no column under the mouse. Rows are measured as they
        # arrive or change, at most FIT_ROWS a turn, never all 100,000.
        self._sizing = False  # the view itself is setting widths
        self._stretched: int | None = None  # the column that takes the room left over
        self._user_sized_last = False
        self._to_measure: set[int] = set()
        self._measure_timer = QTimer(self)
        self._measure_timer.setSingleShot(True)
        self._measure_timer.setInterval(0)
        self._measure_timer.timeout.connect(self._follow_last)
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.verticalScrollBar().valueChanged.connect(lambda _v: self._measure_shown())
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
        self._sizing = True
        for column, width in enumerate((150, 70, 90, 90, 70, 80, 80, 90)):
            self.table.setColumnWidth(column, width)
        self._sizing = False
        self._fitted = False
        model.rowsInserted.connect(self._fit_once)
        model.modelReset.connect(self._fit_once)
        model.rowsInserted.connect(lambda _p, first, last: self._measure_later(first, last))
        model.dataChanged.connect(self._data_changed)
        # Rows that come into view otherwise (a re-sort, a new filter, scrolling) are measured
        # as they show: a screenful at a time.
        model.modelReset.connect(self._measure_shown)
        model.layoutChanged.connect(self._measure_shown)
        self._fit_once()

    # -- column widths -------------------------------------------------------------------

    def stretch_column(self, column: int) -> None:
        """This column (the customer) takes the room left over; the others fit their content.
        Where the room left is narrower than its title (a narrow queue, English titles), it
        keeps its title's width and the table scrolls sideways instead of cutting it."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._stretched = column
        self._stretch_or_scroll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._keep_last_in_view()
            self._measure_shown()  # more room: the last column may show more of its rows
        return super().eventFilter(watched, event)

    def _keep_last_in_view(self) -> None:
        """The last column, while it follows its content, no wider than the view shows (never
        narrower than its title); then the customer stretches or keeps its title's width."""
        header = self.table.horizontalHeader()
        last = header.count() - 1
        if self._fitted and self._last_follows() and not self._sizing:
            most = max(min(FOLLOW_MAX, self._room_for(last)), header.sectionSizeHint(last))
            if header.sectionSize(last) > most:
                self._sizing = True
                header.resizeSection(last, most)
                self._sizing = False
        self._stretch_or_scroll()

    def _stretch_or_scroll(self) -> None:
        column = self._stretched
        header = self.table.horizontalHeader()
        if column is None or self._sizing or column >= header.count():
            return
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != column and not header.isSectionHidden(c))
        least = header.sectionSizeHint(column)
        fits = self.table.viewport().width() - others >= least
        mode = QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(column) == mode:
            return
        self._sizing = True
        header.setSectionResizeMode(column, mode)
        if not fits:
            header.resizeSection(column, least)
        self._sizing = False

    def _fit_once(self) -> None:
        """Fit the columns to the first rows shown, once: later counts and times never move
        the columns under the mouse, and the user's own widths (restore_columns) stay."""
        model = self.model()
        if self._fitted or model is None or model.rowCount() == 0:
            return
        self._fitted = True
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(FIT_ROWS)  # never measures 100,000 rows
        self._sizing = True
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                self.table.resizeColumnToContents(column)
        self._sizing = False
        self._keep_last_in_view()
        self._to_measure.clear()  # just measured

    def _last_follows(self) -> bool:
        header = self.table.horizontalHeader()
        last = header.count() - 1
        return (last >= 0 and not self._user_sized_last and not header.stretchLastSection()
                and header.sectionResizeMode(last) == QHeaderView.ResizeMode.Interactive)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._sizing and column == self.table.horizontalHeader().count() - 1:
            self._user_sized_last = True  # the person's width wins from now on
        if column != self._stretched:
            self._stretch_or_scroll()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if bottom_right.column() == self.table.horizontalHeader().count() - 1:
            self._measure_later(top_left.row(), bottom_right.row())

    def _measure_later(self, first: int, last: int) -> None:
        """Note rows whose last cell may have grown; measured once the batch is in."""
        if not self._fitted or not self._last_follows() or len(self._to_measure) >= FIT_ROWS:
            return
        self._to_measure.update(range(first, min(last, first + FIT_ROWS) + 1))
        self._measure_timer.start()

    def _measure_shown(self) -> None:
        top = max(self.table.rowAt(0), 0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        if bottom < 0:
            bottom = top + self.table.viewport().height() // 20
        self._measure_later(top, bottom)

    def _follow_last(self) -> None:
        """Widen the last column to the longest of the noted rows (a bounded sample), as far as
        the view has room: reading a reason never takes scrolling the table sideways."""
        rows, self._to_measure = sorted(self._to_measure)[:FIT_ROWS], set()
        model = self.model()
        if model is None or not self._last_follows():
            return
        column = self.table.horizontalHeader().count() - 1
        count = model.rowCount()
        # One data() call a row finds the widest text; only that cell asks the delegate.
        metrics = self.table.fontMetrics()
        texts = ((metrics.horizontalAdvance(str(model.index(row, column).data() or "")), row)
                 for row in rows if row < count)
        widest = max(texts, default=(0, -1))[1]
        if widest < 0:
            return
        grid = 1 if self.table.showGrid() else 0
        wanted = self.table.sizeHintForIndex(model.index(widest, column)).width() + grid
        current = self.table.columnWidth(column)
        most = min(FOLLOW_MAX, self._room_for(column))
        if wanted > current and current < most:
            self._sizing = True
            self.table.setColumnWidth(column, min(wanted, most))
            self._sizing = False

    def _room_for(self, column: int) -> int:
        """How wide `column` may grow without pushing the table past its viewport: the others
        keep their widths, the stretched one (the customer) its title's."""
        header = self.table.horizontalHeader()
        taken = sum(header.sectionSizeHint(c) if c == self._stretched else header.sectionSize(c)
                    for c in range(header.count()) if c != column and not header.isSectionHidden(c))
        return self.table.viewport().width() - taken

    def columns_state(self) -> QByteArray:
        """Widths to keep, and whether the person sized the last column; empty before the
        columns were ever fitted (nothing worth keeping)."""
        if not self._fitted:
            return QByteArray()
        flag = b"1" if self._user_sized_last else b"0"
        return QByteArray(STATE_MAGIC + flag) + self.table.horizontalHeader().saveState()

    def restore_columns(self, state: object) -> bool:
        """The widths the user left (from columns_state); False, and fitted widths, if none.
        A state kept before the last column followed its content counts as the person's."""
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        data = bytes(state.data())
        user_sized, header_state = True, state
        if data.startswith(STATE_MAGIC):
            user_sized = data[len(STATE_MAGIC):len(STATE_MAGIC) + 1] == b"1"
            header_state = QByteArray(data[len(STATE_MAGIC) + 1:])
        self._sizing = True
        restored = self.table.horizontalHeader().restoreState(header_state)
        self._sizing = False
        if not restored:
            return False
        self._fitted, self._user_sized_last = True, user_sized
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
