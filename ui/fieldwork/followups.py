"""The follow-up worklist's face (回访): the calls to make, due ones first, beside the chosen
call's customer, script and review period; the outcome under it. Keyboard first: Up/Down through
the list, 1-5 records the customer satisfied with that rating at once, P a problem (a form asks
the type and a note), U unreachable (a form asks when to call again), Enter opens the order; the
mouse does the same with the buttons."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.contracts.fieldwork.followups import WorklistRowOut
from ui.fieldwork.followup_labels import reason_labels
from ui.fieldwork.review_labels import label
from ui.formatting import local_time
from ui.id_table import IdTable, set_choices
from ui.labels import service_type_labels
from ui.plain_text import PlainLabel

RATINGS = (1, 2, 3, 4, 5)


class ScriptPanel(QScrollArea):
    """One call: the customer as the server gives them, why the call was picked, the tries,
    the order's review period and the script to read out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupScript")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.row: WorklistRowOut | None = None
        body = QWidget(self)
        self.title = PlainLabel(body)
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.customer = PlainLabel(body)
        self.customer.setStyleSheet("font-size: 14px;")
        self.customer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address = PlainLabel(body)
        self.reasons = PlainLabel(body)
        self.period = PlainLabel(body)
        self.script = PlainLabel(body)
        self.script.setObjectName("scriptText")
        self.script.setStyleSheet(
            "background: #f5f7fa; border: 1px solid #d0d7de; padding: 8px; font-size: 14px;")
        self.empty = PlainLabel(body)
        for text in (self.title, self.customer, self.address, self.reasons, self.period,
                     self.script, self.empty):
            text.setWordWrap(True)
        layout = QVBoxLayout(body)
        for widget in (self.title, self.customer, self.address, self.reasons, self.period):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addWidget(self.script)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.setWidget(body)
        self.clear()

    def show_row(self, row: WorklistRowOut) -> None:
        self.row = row
        services = service_type_labels()
        service = label(services, row.service_type) if row.service_type else ""
        parts = [row.order_no] + [p for p in (service, self._technician(row)) if p]
        self.title.setText(" · ".join(parts))
        self.customer.setText(self.tr("Customer: {0}  {1}").format(row.customer_name,
                                                                    row.customer_phone))
        self.address.setText(" ".join(p for p in (row.county_name, row.address) if p))
        reasons = reason_labels()
        self.reasons.setText(self.tr("Picked: {0} · try {1} of {2} · due {3}").format(
            self.tr(", ").join(label(reasons, r) for r in row.reasons),
            row.attempts + 1, row.max_attempts, local_time(row.due_at)))
        self.reasons.setToolTip(row.reasons_text)
        if row.review_until is not None:
            self.period.setText(self.tr("Review period of {0} until {1}").format(
                row.client_code, local_time(row.review_until)))
        else:
            self.period.setText(self.tr("No review period running"))
        self.script.setText(row.script)
        for widget in (self.title, self.customer, self.address, self.reasons, self.period,
                       self.script):
            widget.show()
        self.empty.hide()

    def clear(self, text: str = "") -> None:
        self.row = None
        for widget in (self.title, self.customer, self.address, self.reasons, self.period,
                       self.script):
            widget.hide()
        self.empty.setText(text or self.tr("Choose a call in the list."))
        self.empty.show()

    def _technician(self, row: WorklistRowOut) -> str:
        return self.tr("technician {0}").format(row.technician_name) if row.technician_name \
            else ""


class FollowupView(QWidget):
    """Takes the worklist model (keyed by follow-up id) and shows the chosen call.

    Signals: refreshRequested(); scopeChanged(str) ("due" or "open"); followupSelected(object)
    (a follow-up id or None) as the current row moves; ratedRequested(int follow-up id, int
    rating); problemRequested(int) and unreachableRequested(int) for the shown call;
    orderOpened(int order id).
    """

    refreshRequested = Signal()
    scopeChanged = Signal(str)
    followupSelected = Signal(object)
    ratedRequested = Signal(int, int)
    problemRequested = Signal(int)
    unreachableRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupView")
        self._busy = False
        self.counts = PlainLabel(self)
        self.counts.setObjectName("followupCounts")
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("followupScope")
        self.scope_combo.currentIndexChanged.connect(
            lambda _i: self.scopeChanged.emit(self.scope()))
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("followupTable")
        self.table.keySelected.connect(self._selected)
        self.table.keyActivated.connect(lambda _key: self._open())
        self.panel = ScriptPanel(self)
        self.rating_buttons: dict[int, QPushButton] = {}
        ratings = QHBoxLayout()
        self.satisfied_label = PlainLabel(self)
        ratings.addWidget(self.satisfied_label)
        for rating in RATINGS:
            button = QPushButton(str(rating), self)
            button.setObjectName(f"rating{rating}Button")
            button.setFixedWidth(40)
            button.clicked.connect(lambda _c=False, r=rating: self._rate(r))
            self.rating_buttons[rating] = button
            ratings.addWidget(button)
        ratings.addStretch(1)
        self.problem_button = QPushButton(self)
        self.problem_button.setObjectName("problemButton")
        self.problem_button.clicked.connect(self._problem)
        self.unreachable_button = QPushButton(self)
        self.unreachable_button.setObjectName("unreachableButton")
        self.unreachable_button.clicked.connect(self._unreachable)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openOrderButton")
        self.open_button.clicked.connect(self._open)
        # Single keys while the keyboard is anywhere in the view (the forms are windows of
        # their own: typing a note never records anything).
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.rating_keys = [
            QShortcut(QKeySequence(str(r)), self, lambda r=r: self._rate(r), context=context)
            for r in RATINGS]
        self.problem_key = QShortcut(QKeySequence(Qt.Key.Key_P), self, self._problem,
                                     context=context)
        self.unreachable_key = QShortcut(QKeySequence(Qt.Key.Key_U), self, self._unreachable,
                                         context=context)

        bar = QHBoxLayout()
        bar.addWidget(self.counts, 1)
        bar.addWidget(self.scope_combo)
        bar.addWidget(self.refresh_button)
        others = QHBoxLayout()
        others.addWidget(self.problem_button)
        others.addWidget(self.unreachable_button)
        others.addStretch(1)
        others.addWidget(self.open_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.panel, 1)
        right_layout.addLayout(ratings)
        right_layout.addLayout(others)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._retranslate()
        self._update_buttons()

    # -- what the presenter sets ---------------------------------------------------------

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)

    def set_counts(self, text: str) -> None:
        self.counts.setText(text)

    def scope(self) -> str:
        return str(self.scope_combo.currentData() or "due")

    def show_followup(self, row: WorklistRowOut | None) -> None:
        if row is None:
            self.panel.clear()
        else:
            self.panel.show_row(row)
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_followup(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_followup(self, followup_id: int) -> bool:
        return self.table.select_key(followup_id)

    def select_first(self) -> None:
        """The first call current when none is (the longest due)."""
        model = self.table.model()
        if self.current_followup() is None and model is not None and model.rowCount():
            self.table.selectRow(0)

    def focus_current(self) -> None:
        self.table.setFocus()

    # -- inside --------------------------------------------------------------------------

    def _selected(self, key: object) -> None:
        self._update_buttons()
        self.followupSelected.emit(key if isinstance(key, int) else None)

    def _acting_on(self) -> int | None:
        """The call an outcome is about: the current one, once its script is shown."""
        followup_id = self.current_followup()
        shown = self.panel.row
        if self._busy or followup_id is None or shown is None \
                or shown.followup_id != followup_id:
            return None
        return followup_id

    def _rate(self, rating: int) -> None:
        followup_id = self._acting_on()
        if followup_id is not None:
            self.ratedRequested.emit(followup_id, rating)

    def _problem(self) -> None:
        followup_id = self._acting_on()
        if followup_id is not None:
            self.problemRequested.emit(followup_id)

    def _unreachable(self) -> None:
        followup_id = self._acting_on()
        if followup_id is not None:
            self.unreachableRequested.emit(followup_id)

    def _open(self) -> None:
        shown = self.panel.row
        if shown is not None and shown.followup_id == self.current_followup():
            self.orderOpened.emit(shown.order_id)

    def _update_buttons(self) -> None:
        can = self._acting_on() is not None
        for button in (*self.rating_buttons.values(), self.problem_button,
                       self.unreachable_button):
            button.setEnabled(can)
        shown = self.panel.row
        self.open_button.setEnabled(shown is not None
                                    and shown.followup_id == self.current_followup())

    def _retranslate(self) -> None:
        set_choices(self.scope_combo, [("due", self.tr("Due now")),
                                       ("open", self.tr("All open"))], self.scope())
        self.refresh_button.setText(self.tr("Refresh"))
        self.satisfied_label.setText(self.tr("Satisfied, rating:"))
        for rating, button in self.rating_buttons.items():
            button.setToolTip(self.tr("Satisfied, rating {0} (key {0})").format(rating))
        self.problem_button.setText(self.tr("Problem (P)"))
        self.problem_button.setToolTip(self.tr("A complaint: the order is frozen with its fee "
                                               "and an after-sales order opened."))
        self.unreachable_button.setText(self.tr("Unreachable (U)"))
        self.unreachable_button.setToolTip(self.tr("Call again later; a time is asked."))
        self.open_button.setText(self.tr("Open order (Enter)"))
        if self.panel.row is not None:
            self.panel.show_row(self.panel.row)
        else:
            self.panel.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
