"""The dispatch workspace's face (派单工作台): orders needing a person on the left, the
selected order's ranked candidates on the right, bulk buttons above, a result line below."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.dispatch.tables import CandidateTable, OrderTable
from ui.plain_text import PlainLabel


class DispatchView(QWidget):
    """Takes the two models; emits what the agent asks for.

    Signals: orderSelected(object order id or None); candidateChosen(int row) (Enter, double
    click, 1-9); orderDropped(int order id, int candidate row); bestRequested() (each selected
    order to its best eligible candidate); chosenRequested() (all selected orders to the
    current candidate); pinRequested(); unpinRequested(); refreshRequested();
    allCitiesToggled(bool) (candidates of every city, not only the order's: off at first).
    Tab moves between the two lists.
    """

    orderSelected = Signal(object)
    candidateChosen = Signal(int)
    orderDropped = Signal(int, int)
    bestRequested = Signal()
    chosenRequested = Signal()
    pinRequested = Signal()
    unpinRequested = Signal()
    refreshRequested = Signal()
    allCitiesToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchView")
        self.orders = OrderTable(self)
        self.candidates = CandidateTable(self)
        self.orders_title = PlainLabel(self)
        self.candidates_title = PlainLabel(self)
        self.candidates_title.setWordWrap(True)
        self.all_cities = QCheckBox(self)
        self.all_cities.setObjectName("allCities")
        self.best_button = QPushButton(self)
        self.best_button.setObjectName("assignBest")
        self.chosen_button = QPushButton(self)
        self.chosen_button.setObjectName("assignChosen")
        self.pin_button = QPushButton(self)
        self.pin_button.setObjectName("pinOrder")
        self.unpin_button = QPushButton(self)
        self.unpin_button.setObjectName("unpinOrder")
        self.refresh_button = QPushButton(self)
        self.status = PlainLabel(self)
        self.status.setObjectName("dispatchStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.best_button, self.chosen_button, self.pin_button,
                       self.unpin_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        left, right = QWidget(self), QWidget(self)
        left_layout, right_layout = QVBoxLayout(left), QVBoxLayout(right)
        for layout in (left_layout, right_layout):
            layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.orders_title)
        left_layout.addWidget(self.orders, 1)
        title_row = QHBoxLayout()
        title_row.addWidget(self.candidates_title, 1)
        title_row.addWidget(self.all_cities)
        right_layout.addLayout(title_row)
        right_layout.addWidget(self.candidates, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.orders, self.candidates)

        self.orders.keySelected.connect(self.orderSelected)
        self.candidates.chosen.connect(self.candidateChosen)
        self.candidates.orderDropped.connect(self.orderDropped)
        self.best_button.clicked.connect(self.bestRequested)
        self.chosen_button.clicked.connect(self.chosenRequested)
        self.pin_button.clicked.connect(self.pinRequested)
        self.unpin_button.clicked.connect(self.unpinRequested)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.all_cities.toggled.connect(self.allCitiesToggled)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refreshRequested)
        self.set_pin_state(None)
        self.retranslate()

    def set_models(self, orders: QAbstractItemModel, candidates: QAbstractItemModel) -> None:
        self.orders.setModel(orders)
        self.candidates.setModel(candidates)
        self.orders.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def retranslate(self) -> None:
        self.orders_title.setText(self.tr("Orders needing a person"))
        self.candidates_title.setText(self.tr("Candidates (1-9 or Enter assigns)"))
        self.best_button.setText(self.tr("Each to its best technician"))
        self.best_button.setToolTip(self.tr(
            "Assign every selected order to its best candidate that breaks no rule."))
        self.chosen_button.setText(self.tr("All to the chosen technician"))
        self.chosen_button.setToolTip(self.tr(
            "Assign every selected order to the candidate selected on the right."))
        self.pin_button.setText(self.tr("Pin"))
        self.pin_button.setToolTip(self.tr("Automatic dispatch will never undo this assignment."))
        self.unpin_button.setText(self.tr("Unpin"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.all_cities.setText(self.tr("Other &cities too"))
        self.all_cities.setToolTip(self.tr(
            "Also list technicians of other cities than the order's (they break a rule)."))

    def set_candidates_title(self, text: str) -> None:
        self.candidates_title.setText(text)

    def set_status(self, text: str, *, problem: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828;" if problem else "")
        self.status.setText(text)

    def set_pin_state(self, pinned: bool | None) -> None:
        """None: the order shown is not assigned (nothing to pin)."""
        self.pin_button.setEnabled(pinned is False)
        self.unpin_button.setEnabled(pinned is True)

    def set_busy(self, busy: bool) -> None:
        for button in (self.best_button, self.chosen_button):
            button.setEnabled(not busy)

    def focus_orders(self) -> None:
        self.orders.setFocus()
        if not self.orders.currentIndex().isValid() and self.orders.model() is not None \
                and self.orders.model().rowCount():
            self.orders.selectRow(0)

    def _selection_changed(self, *_args: object) -> None:
        count = len(self.orders.selected_keys())
        self.best_button.setEnabled(count > 0)
        self.chosen_button.setEnabled(count > 0)
