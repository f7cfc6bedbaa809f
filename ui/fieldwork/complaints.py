"""Complaints from follow-up calls (投诉), for supervisors: open ones first, the chosen one's
note and what it set off (the after-sales order, a repeat fault charged to the technician) under
the list. Keyboard first: Up/Down through the list, U upholds and D dismisses (a reason is
asked), Enter opens the after-sales order; the mouse does the same with the buttons."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.contracts.fieldwork.followups import ComplaintOut
from ui.fieldwork.followup_labels import complaint_labels, complaint_status_labels
from ui.fieldwork.review_labels import label
from ui.formatting import local_time
from ui.id_table import IdTable, set_choices
from ui.plain_text import PlainLabel


class ComplaintView(QWidget):
    """Takes the complaints model (keyed by complaint id) and shows the chosen one.

    Signals: refreshRequested(); statusChanged(str) ("open" or "all"); complaintSelected(object)
    (a complaint id or None); upholdRequested(int) and dismissRequested(int) for an open
    complaint; orderOpened(int order id).
    """

    refreshRequested = Signal()
    statusChanged = Signal(str)
    complaintSelected = Signal(object)
    upholdRequested = Signal(int)
    dismissRequested = Signal(int)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintView")
        self._busy = False
        self.shown: ComplaintOut | None = None
        self.counts = PlainLabel(self)
        self.counts.setObjectName("complaintCounts")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("complaintStatus")
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.statusChanged.emit(self.status()))
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("complaintTable")
        self.table.keySelected.connect(self._selected)
        self.table.keyActivated.connect(lambda _key: self._open_after_sales())
        self.detail = PlainLabel(self)
        self.detail.setObjectName("complaintDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.uphold_button = QPushButton(self)
        self.uphold_button.setObjectName("upholdButton")
        self.uphold_button.clicked.connect(self._uphold)
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.setObjectName("dismissButton")
        self.dismiss_button.clicked.connect(self._dismiss)
        self.after_sales_button = QPushButton(self)
        self.after_sales_button.setObjectName("openAfterSalesButton")
        self.after_sales_button.clicked.connect(self._open_after_sales)
        self.original_button = QPushButton(self)
        self.original_button.setObjectName("openOriginalButton")
        self.original_button.clicked.connect(self._open_original)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.uphold_key = QShortcut(QKeySequence(Qt.Key.Key_U), self, self._uphold,
                                    context=context)
        self.dismiss_key = QShortcut(QKeySequence(Qt.Key.Key_D), self, self._dismiss,
                                     context=context)

        bar = QHBoxLayout()
        bar.addWidget(self.counts, 1)
        bar.addWidget(self.status_combo)
        bar.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.uphold_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(self.after_sales_button)
        buttons.addWidget(self.original_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._retranslate()
        self._update_buttons()

    # -- what the presenter sets ---------------------------------------------------------

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)

    def set_counts(self, text: str) -> None:
        self.counts.setText(text)

    def status(self) -> str:
        return str(self.status_combo.currentData() or "open")

    def show_complaint(self, complaint: ComplaintOut | None) -> None:
        self.shown = complaint
        self.detail.setText(self._describe(complaint) if complaint is not None else "")
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_complaint(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_complaint(self, complaint_id: int) -> bool:
        return self.table.select_key(complaint_id)

    def select_first(self) -> None:
        model = self.table.model()
        if self.current_complaint() is None and model is not None and model.rowCount():
            self.table.selectRow(0)

    def focus_current(self) -> None:
        self.table.setFocus()

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

    def _selected(self, key: object) -> None:
        self._update_buttons()
        self.complaintSelected.emit(key if isinstance(key, int) else None)

    def _acting_on(self) -> int | None:
        """The complaint a ruling is about: the current one, shown and still open."""
        key, shown = self.current_complaint(), self.shown
        if self._busy or key is None or shown is None or shown.id != key \
                or shown.status != "open":
            return None
        return key

    def _uphold(self) -> None:
        key = self._acting_on()
        if key is not None:
            self.upholdRequested.emit(key)

    def _dismiss(self) -> None:
        key = self._acting_on()
        if key is not None:
            self.dismissRequested.emit(key)

    def _current_shown(self) -> ComplaintOut | None:
        shown = self.shown
        return shown if shown is not None and shown.id == self.current_complaint() else None

    def _open_after_sales(self) -> None:
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
        set_choices(self.status_combo, [("open", self.tr("Open first")),
                                        ("all", self.tr("All"))], self.status())
        self.refresh_button.setText(self.tr("Refresh"))
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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
