"""The follow-up worklist's face (回访): the calls to make, due ones first, beside the chosen
call's customer, script and review period; the outcome under it. Keyboard first: Up/Down through
the list, 1-5 records the customer satisfied with that rating at once, P a problem (a form asks
the type and a note), U unreachable (a form asks when to call again), Enter opens the order; the
mouse does the same with the buttons."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from core.contracts.fieldwork.followups import WorklistRowOut
from ui.fieldwork.followup_labels import reason_labels
from ui.fieldwork.review_labels import label
from ui.formatting import local_time
from ui.id_table import set_choices
from ui.labels import service_type_labels
from ui.list_detail import ListDetailView
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


class FollowupView(ListDetailView):
    """Takes the worklist model (keyed by follow-up id) and shows the chosen call.

    Signals: refreshRequested(); scopeChanged(str) ("due" or "open"); followupSelected(object)
    (a follow-up id or None) as the current row moves; ratedRequested(int follow-up id, int
    rating); problemRequested(int) and unreachableRequested(int) for the shown call;
    orderOpened(int order id).
    """

    scopeChanged = Signal(str)
    followupSelected = Signal(object)
    ratedRequested = Signal(int, int)
    problemRequested = Signal(int)
    unreachableRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("followup", parent)
        self.currentChanged.connect(self.followupSelected)
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("followupScope")
        self.scope_combo.currentIndexChanged.connect(
            lambda _i: self.scopeChanged.emit(self.scope()))
        self.panel = ScriptPanel(self)
        self.satisfied_label = PlainLabel(self)
        self.rating_buttons: dict[int, QPushButton] = {}
        for rating in RATINGS:
            button = self._button(f"rating{rating}Button",
                                  partial(self._act, self.ratedRequested, rating), str(rating))
            button.setFixedWidth(40)
            self.rating_buttons[rating] = button
        self.problem_button = self._button("problemButton",
                                           lambda: self._act(self.problemRequested))
        self.unreachable_button = self._button("unreachableButton",
                                               lambda: self._act(self.unreachableRequested))
        self.open_button = self._button("openOrderButton", self._activated)
        self.rating_keys = [self._key(str(r), partial(self._act, self.ratedRequested, r))
                            for r in RATINGS]
        self.problem_key = self._key(Qt.Key.Key_P, lambda: self._act(self.problemRequested))
        self.unreachable_key = self._key(Qt.Key.Key_U,
                                         lambda: self._act(self.unreachableRequested))
        ratings = self._row([self.satisfied_label, *self.rating_buttons.values()])
        others = self._row([self.problem_button, self.unreachable_button], [self.open_button])
        self._lay_out(self.panel, [ratings, others], tool=self.scope_combo, beside=(3, 2))

    # -- what the presenter sets ---------------------------------------------------------

    def scope(self) -> str:
        return str(self.scope_combo.currentData() or "due")

    def show_followup(self, row: WorklistRowOut | None) -> None:
        if row is None:
            self.panel.clear()
        else:
            self.panel.show_row(row)
        self._update_buttons()

    def current_followup(self) -> int | None:
        return self.current_key()

    def select_followup(self, followup_id: int) -> bool:
        return self.select_key(followup_id)

    # -- inside --------------------------------------------------------------------------

    def _shown_key(self) -> int | None:
        shown = self.panel.row
        return shown.followup_id if shown is not None else None

    def _activated(self) -> None:
        """Open the order of the call shown (the current one)."""
        shown = self.panel.row
        if shown is not None and shown.followup_id == self.current_followup():
            self.orderOpened.emit(shown.order_id)

    def _update_buttons(self) -> None:
        can = self._acting_on() is not None
        for button in (*self.rating_buttons.values(), self.problem_button,
                       self.unreachable_button):
            button.setEnabled(can)
        shown = self._shown_key()
        self.open_button.setEnabled(shown is not None and shown == self.current_followup())

    def _retranslate(self) -> None:
        super()._retranslate()
        set_choices(self.scope_combo, [("due", self.tr("Due now")),
                                       ("open", self.tr("All open"))], self.scope())
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
