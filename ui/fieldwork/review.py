"""The verification review's face (核验审核): the queue of served orders beside the chosen
order's evidence chain, approve and reject under it. Keyboard first: Up/Down through the
queue, A approves, R rejects (a reason is asked), Enter goes into the evidence and Escape
back to the queue; the mouse does the same with the buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from core.contracts.fieldwork.review import EvidenceOut
from ui.fieldwork.evidence import EvidencePanel
from ui.list_detail import ListDetailView
from ui.orders.action_dialogs import ReasonDialog


class DecisionDialog(ReasonDialog):
    """Why an order is rejected (frozen, its fee with it), or approved despite what is open."""

    def __init__(self, order_no: str, approve: bool, open_items: str = "",
                 parent: QWidget | None = None) -> None:
        if approve:
            title = self.tr("Approve despite open items")
            prompt = self.tr("Order {0} still has open items: {1}. It is verified all the "
                             "same. Why?").format(order_no, open_items)
        else:
            title = self.tr("Reject verification")
            prompt = self.tr("Order {0} is frozen, and its fee with it. Why? The reason is "
                             "kept in the order's timeline.").format(order_no)
        super().__init__(title, prompt, parent)
        self.setObjectName("verificationDecisionDialog")
        self.approve = approve


class ReviewView(ListDetailView):
    """Takes the queue model (keyed by order id) and shows one order's evidence.

    Signals: refreshRequested(); orderSelected(object) (an order id or None) as the queue's
    current row moves; approveRequested(int) and rejectRequested(int) for the current order;
    orderOpened(int) to show it in the order detail.
    """

    orderSelected = Signal(object)
    approveRequested = Signal(int)
    rejectRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("review", parent)
        self.currentChanged.connect(self.orderSelected)
        self.evidence = EvidencePanel(self)
        self.evidence.leaveRequested.connect(self.focus_current)
        self.approve_button = self._button("approveButton",
                                           lambda: self._act(self.approveRequested))
        self.reject_button = self._button("rejectButton", lambda: self._act(self.rejectRequested))
        self.open_button = self._button("openOrderButton", self._open)
        self.approve_key = self._key(Qt.Key.Key_A, lambda: self._act(self.approveRequested))
        self.reject_key = self._key(Qt.Key.Key_R, lambda: self._act(self.rejectRequested))
        self._lay_out(self.evidence,
                      [self._row([self.approve_button, self.reject_button], [self.open_button])],
                      beside=(2, 3))

    # -- what the presenter sets ---------------------------------------------------------

    def show_evidence(self, evidence: EvidenceOut) -> None:
        self.evidence.show_evidence(evidence)
        self._update_buttons()

    def clear_evidence(self, text: str = "") -> None:
        self.evidence.clear(text)
        self._update_buttons()

    def set_thumbnail(self, photo_id: int, image: QImage | None) -> bool:
        return self.evidence.set_thumbnail(photo_id, image)

    def current_order(self) -> int | None:
        return self.current_key()

    def select_order(self, order_id: int) -> bool:
        return self.select_key(order_id)

    def focus_evidence(self) -> None:
        self.evidence.setFocus()

    # -- inside --------------------------------------------------------------------------

    def _shown_key(self) -> int | None:
        shown = self.evidence.evidence
        return shown.order.id if shown is not None else None

    def _activated(self) -> None:
        self.focus_evidence()

    def _open(self) -> None:
        order_id = self.current_order()
        if order_id is not None:
            self.orderOpened.emit(order_id)

    def _update_buttons(self) -> None:
        can = self._acting_on() is not None
        self.approve_button.setEnabled(can)
        self.reject_button.setEnabled(can)
        self.open_button.setEnabled(self.current_order() is not None)

    def _retranslate(self) -> None:
        super()._retranslate()
        self.approve_button.setText(self.tr("Approve (A)"))
        self.approve_button.setToolTip(self.tr("The order is verified."))
        self.reject_button.setText(self.tr("Reject (R)"))
        self.reject_button.setToolTip(self.tr("The order is frozen, its fee with it; a reason "
                                              "is asked."))
        self.open_button.setText(self.tr("Open order"))
