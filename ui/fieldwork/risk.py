"""The technician risk dock's face: technicians by score (band colours come from the model), the
window, and below them the chosen technician's drill-down — his reasons, his flagged orders
with the flags in words, and the switch that routes his completions to manual review."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from ui.id_table import IdTable, set_choices
from ui.list_detail import ListDetailView
from ui.orders.action_dialogs import ReasonDialog
from ui.plain_text import PlainLabel
from ui.roles import SORT_ROLE

DAYS = (7, 30, 90)


class ReviewDialog(ReasonDialog):
    """Routing a technician's completions to manual review (or back): why."""

    def __init__(self, name: str, review: bool, parent: QWidget | None = None) -> None:
        if review:
            title = self.tr("Completions to manual review")
            prompt = self.tr("Every completion of {0} will wait for a person to review it. "
                             "Why?").format(name)
        else:
            title = self.tr("End manual review")
            prompt = self.tr("Completions of {0} will no longer wait for manual review. "
                             "Why?").format(name)
        super().__init__(title, prompt, parent)
        self.setObjectName("riskReviewDialog")
        self.wanted = review

    def show_refusal(self, text: str) -> None:
        self.error.setText(text)


class RiskView(ListDetailView):
    """Takes the technicians' risk model (keyed by technician id) and the flagged orders'
    model (keyed by order id).

    Signals: refreshRequested(); daysChanged(int); technicianSelected(object) (an id or None);
    drillDownRequested(int) on Enter or a double click on a technician; reviewRequested(int,
    bool) when the manual-review switch is clicked (the switch itself waits for the answer);
    orderOpened(int) on Enter or a double click on a flagged order.
    """

    daysChanged = Signal(int)
    technicianSelected = Signal(object)
    drillDownRequested = Signal(int)
    reviewRequested = Signal(int, bool)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("risk", parent)
        self.currentChanged.connect(self.technicianSelected)
        self._review: bool | None = None  # the chosen technician's switch (None: none chosen)
        self.days_label = PlainLabel(self)
        self.days_combo = QComboBox(self)
        self.days_combo.setObjectName("riskDays")
        self.days_label.setBuddy(self.days_combo)
        self.days_combo.currentIndexChanged.connect(self._days_changed)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.table.setSortingEnabled(True)
        self.table.setModel(self.proxy)

        self.detail = QWidget(self)
        self.heading = PlainLabel(self.detail)
        self.heading.setObjectName("riskHeading")
        self.heading.setWordWrap(True)
        self.review_box = QCheckBox(self.detail)
        self.review_box.setObjectName("riskReview")
        self.review_box.clicked.connect(self._review_clicked)
        self.orders_table = IdTable(self.detail)
        self.orders_table.setObjectName("riskOrders")
        self.orders_table.keyActivated.connect(self._open_order)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.review_box)
        detail_layout.addWidget(self.orders_table, 1)

        tool = QHBoxLayout()
        tool.addWidget(self.days_label)
        tool.addWidget(self.days_combo)
        tool.addStretch(1)
        self._lay_out(self.detail, [], tool=tool, counts=False, over=(3, 2))
        self.show_detail(None)

    # -- what the presenter sets ---------------------------------------------------------

    def set_models(self, technicians: QAbstractItemModel, orders: QAbstractItemModel,
                   sort_column: int) -> None:
        self.proxy.setSourceModel(technicians)
        self.table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
        self.orders_table.setModel(orders)

    def set_days(self, days: int) -> None:
        options = [(str(d), self.tr("Last {0} days").format(d)) for d in DAYS]
        set_choices(self.days_combo, options, str(days))

    def show_detail(self, heading: str | None, review: bool | None = None) -> None:
        """The chosen technician's heading and switch; None: nobody chosen."""
        self._review = review
        self.heading.setText(heading if heading is not None
                             else self.tr("Choose a technician to see his flagged orders."))
        self.review_box.setChecked(bool(review))
        self._update_buttons()

    def current_technician(self) -> int | None:
        return self.current_key()

    def select_technician(self, technician_id: int) -> bool:
        return self.select_key(technician_id)

    def focus_drill_down(self) -> None:
        """The keyboard goes to the flagged orders (the first one current)."""
        model = self.orders_table.model()
        if model is not None and model.rowCount() and self.orders_table.current_key() is None:
            self.orders_table.selectRow(0)
        self.orders_table.setFocus()

    # -- inside --------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        """The switch: for the chosen technician, while nothing is in flight."""
        self.review_box.setEnabled(self._review is not None and not self._busy)

    def _days_changed(self, _index: int) -> None:
        value = self.days_combo.currentData()
        if value:
            self.daysChanged.emit(int(value))

    def _activated(self) -> None:
        key = self.current_key()
        if key is not None:
            self.drillDownRequested.emit(key)

    def _open_order(self, key: object) -> None:
        if isinstance(key, int):
            self.orderOpened.emit(key)

    def _review_clicked(self, checked: bool) -> None:
        """The switch shows what is set until the change is saved (asked for a reason)."""
        technician = self.current_key()
        self.review_box.setChecked(bool(self._review))
        if technician is not None and self._review is not None and not self._busy:
            self.reviewRequested.emit(technician, checked)

    def _retranslate(self) -> None:
        super()._retranslate()
        self.days_label.setText(self.tr("&Window:"))
        self.review_box.setText(self.tr("Completions to &manual review"))
        if self._review is None:
            self.heading.setText(self.tr("Choose a technician to see his flagged orders."))
        current = self.days_combo.currentData()
        if current:
            self.set_days(int(current))
