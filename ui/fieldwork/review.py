"""The verification review's face (核验审核): the queue of served orders beside the chosen
order's evidence chain, approve and reject under it. Keyboard first: Up/Down through the
queue, A approves, R rejects (a reason is asked), Enter goes into the evidence and Escape
back to the queue; the mouse does the same with the buttons."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from core.contracts.fieldwork.review import EvidenceOut
from ui.fieldwork.evidence import EvidencePanel
from ui.id_table import IdTable
from ui.orders.action_dialogs import ReasonDialog
from ui.plain_text import PlainLabel


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


class ReviewView(QWidget):
    """Takes the queue model (keyed by order id) and shows one order's evidence.

    Signals: refreshRequested(); orderSelected(object) (an order id or None) as the queue's
    current row moves; approveRequested(int) and rejectRequested(int) for the current order;
    orderOpened(int) to show it in the order detail.
    """

    refreshRequested = Signal()
    orderSelected = Signal(object)
    approveRequested = Signal(int)
    rejectRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self._busy = False
        self.counts = PlainLabel(self)
        self.counts.setObjectName("reviewCounts")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("reviewTable")
        self.table.keySelected.connect(self._selected)
        self.table.keyActivated.connect(lambda _key: self.focus_evidence())
        self.evidence = EvidencePanel(self)
        self.evidence.leaveRequested.connect(self.focus_current)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self._approve)
        self.reject_button = QPushButton(self)
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.clicked.connect(self._reject)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openOrderButton")
        self.open_button.clicked.connect(self._open)
        # Single keys while the keyboard is anywhere in the view (the reason dialog is a
        # window of its own: typing a reason never approves anything).
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.approve_key = QShortcut(QKeySequence(Qt.Key.Key_A), self, self._approve,
                                     context=context)
        self.reject_key = QShortcut(QKeySequence(Qt.Key.Key_R), self, self._reject,
                                    context=context)

        bar = QHBoxLayout()
        bar.addWidget(self.counts, 1)
        bar.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.evidence, 1)
        right_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
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

    def show_evidence(self, evidence: EvidenceOut) -> None:
        self.evidence.show_evidence(evidence)
        self._update_buttons()

    def clear_evidence(self, text: str = "") -> None:
        self.evidence.clear(text)
        self._update_buttons()

    def set_thumbnail(self, photo_id: int, image: QImage | None) -> bool:
        return self.evidence.set_thumbnail(photo_id, image)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_order(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_order(self, order_id: int) -> bool:
        return self.table.select_key(order_id)

    def select_first(self) -> None:
        """The first order current when none is (the queue's most urgent)."""
        model = self.table.model()
        if self.current_order() is None and model is not None and model.rowCount():
            self.table.selectRow(0)

    def focus_current(self) -> None:
        self.table.setFocus()

    def focus_evidence(self) -> None:
        self.evidence.setFocus()

    # -- inside --------------------------------------------------------------------------

    def _selected(self, key: object) -> None:
        self._update_buttons()
        self.orderSelected.emit(key if isinstance(key, int) else None)

    def _acting_on(self) -> int | None:
        """The order a decision is about: the current one, once its evidence is shown."""
        order_id = self.current_order()
        shown = self.evidence.evidence
        if self._busy or order_id is None or shown is None or shown.order.id != order_id:
            return None
        return order_id

    def _approve(self) -> None:
        order_id = self._acting_on()
        if order_id is not None:
            self.approveRequested.emit(order_id)

    def _reject(self) -> None:
        order_id = self._acting_on()
        if order_id is not None:
            self.rejectRequested.emit(order_id)

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
        self.refresh_button.setText(self.tr("Refresh"))
        self.approve_button.setText(self.tr("Approve (A)"))
        self.approve_button.setToolTip(self.tr("The order is verified."))
        self.reject_button.setText(self.tr("Reject (R)"))
        self.reject_button.setToolTip(self.tr("The order is frozen, its fee with it; a reason "
                                              "is asked."))
        self.open_button.setText(self.tr("Open order"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
