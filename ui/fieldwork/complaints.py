"""Complaints from follow-up calls (投诉), for supervisors: open ones first, the chosen one's
note and what it set off (the after-sales order, a repeat fault charged to the technician) under
the list. Keyboard first: Up/Down through the list, U upholds and D dismisses (a reason is
asked), Enter opens the after-sales order; the mouse does the same with the buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from core.contracts.fieldwork.followups import ComplaintOut
from ui.fieldwork.followup_labels import complaint_labels, complaint_status_labels
from ui.fieldwork.review_labels import label
from ui.formatting import local_time
from ui.id_table import set_choices
from ui.list_detail import ListDetailView


class ComplaintView(ListDetailView):
    """Takes the complaints model (keyed by complaint id) and shows the chosen one.

    Signals: refreshRequested(); statusChanged(str) ("open" or "all"); complaintSelected(object)
    (a complaint id or None); upholdRequested(int) and dismissRequested(int) for an open
    complaint; orderOpened(int order id).
    """

    statusChanged = Signal(str)
    complaintSelected = Signal(object)
    upholdRequested = Signal(int)
    dismissRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("complaint", parent)
        self.currentChanged.connect(self.complaintSelected)
        self.shown: ComplaintOut | None = None
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("complaintStatus")
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.statusChanged.emit(self.status()))
        self.detail = self._detail_label()
        self.uphold_button = self._button("upholdButton", lambda: self._act(self.upholdRequested))
        self.dismiss_button = self._button("dismissButton",
                                           lambda: self._act(self.dismissRequested))
        self.after_sales_button = self._button("openAfterSalesButton", self._activated)
        self.original_button = self._button("openOriginalButton", self._open_original)
        self.uphold_key = self._key(Qt.Key.Key_U, lambda: self._act(self.upholdRequested))
        self.dismiss_key = self._key(Qt.Key.Key_D, lambda: self._act(self.dismissRequested))
        self._lay_out(self.detail, [self._row([self.uphold_button, self.dismiss_button],
                                              [self.after_sales_button, self.original_button])],
                      tool=self.status_combo)

    # -- what the presenter sets ---------------------------------------------------------

    def status(self) -> str:
        return str(self.status_combo.currentData() or "open")

    def show_complaint(self, complaint: ComplaintOut | None) -> None:
        self.shown = complaint
        self.detail.setText(self._describe(complaint) if complaint is not None else "")
        self._update_buttons()

    def current_complaint(self) -> int | None:
        return self.current_key()

    def select_complaint(self, complaint_id: int) -> bool:
        return self.select_key(complaint_id)

    # -- inside --------------------------------------------------------------------------

    def _describe(self, c: ComplaintOut) -> str:
        kinds = complaint_labels()
        lines = [self.tr("{0} on order {1}, technician {2}: {3}").format(
            label(kinds, c.complaint_type), c.order_no, c.technician_name or "—", c.note)]
        if c.after_sales_order_no:
            visit = self.tr("After-sales order {0}").format(c.after_sales_order_no)
            if c.repeat_fault:
                visit += self.tr(" — a repeat fault: free to the customer, charged to the "
                                 "technician")
            lines.append(visit)
        lines.append(self.tr("Raised by {0} at {1}").format(c.raised_by, local_time(c.raised_at)))
        if c.status != "open":
            states = complaint_status_labels()
            lines.append(self.tr("{0} by {1} at {2}: {3}").format(
                label(states, c.status), c.ruled_by, local_time(c.ruled_at), c.ruling_reason))
        return "\n".join(lines)

    def _shown_key(self) -> int | None:
        return self.shown.id if self.shown is not None else None

    def _acting_on(self) -> int | None:
        """The complaint a ruling is about: the current one, shown and still open."""
        key = super()._acting_on()
        return key if self.shown is not None and self.shown.status == "open" else None

    def _current_shown(self) -> ComplaintOut | None:
        shown = self.shown
        return shown if shown is not None and shown.id == self.current_complaint() else None

    def _activated(self) -> None:
        """Open the after-sales order (the original when there is none)."""
        shown = self._current_shown()
        if shown is not None:
            self.orderOpened.emit(shown.after_sales_order_id or shown.order_id)

    def _open_original(self) -> None:
        shown = self._current_shown()
        if shown is not None:
            self.orderOpened.emit(shown.order_id)

    def _update_buttons(self) -> None:
        can = self._acting_on() is not None
        self.uphold_button.setEnabled(can)
        self.dismiss_button.setEnabled(can)
        shown = self._current_shown()
        self.after_sales_button.setEnabled(shown is not None
                                           and shown.after_sales_order_id is not None)
        self.original_button.setEnabled(shown is not None)

    def _retranslate(self) -> None:
        super()._retranslate()
        set_choices(self.status_combo, [("open", self.tr("Open first")),
                                        ("all", self.tr("All"))], self.status())
        self.uphold_button.setText(self.tr("Uphold (U)"))
        self.uphold_button.setToolTip(self.tr("The order is flagged and stays frozen; the "
                                              "technician's rating falls. A reason is asked."))
        self.dismiss_button.setText(self.tr("Dismiss (D)"))
        self.dismiss_button.setToolTip(self.tr("The order returns to its review period. A "
                                               "reason is asked."))
        self.after_sales_button.setText(self.tr("Open after-sales order (Enter)"))
        self.original_button.setText(self.tr("Open original order"))
        if self.shown is not None:
            self.detail.setText(self._describe(self.shown))
