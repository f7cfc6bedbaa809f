"""The urge list (催单) for agents and supervisors: unanswered urges first, by time left; the
chosen urge's text and reply under the list. Keyboard first: Up/Down through the list, Enter
opens the order, U urges the order by hand, R answers an urge addressed to the desk or the
supervisor (a text is asked for each); the buttons do the same."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.contracts.sla_urges import UrgeOut
from ui.formatting import local_time
from ui.id_table import IdTable
from ui.orders.action_dialogs import ReasonDialog
from ui.plain_text import PlainLabel


class UrgeTextDialog(ReasonDialog):
    """What an urge or a reply says (required, at most 500 characters)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(title, prompt, parent)
        self.setObjectName("urgeTextDialog")
        label = self.form.labelForField(self.reason_edit)
        if label is not None:
            label.setProperty("text", self.tr("Message"))

    def text(self) -> str:
        return self.reason()

    def set_text(self, text: str) -> None:
        self.reason_edit.setPlainText(text)


class UrgeView(QWidget):
    """Takes the urge model (keyed by urge id) and shows the chosen urge.

    Signals: refreshRequested(); unansweredOnlyChanged(bool); urgeSelected(object) (an urge id
    or None); orderOpened(int order id); urgeRequested(int urge id: urge its order again);
    replyRequested(int urge id).
    """

    refreshRequested = Signal()
    unansweredOnlyChanged = Signal(bool)
    urgeSelected = Signal(object)
    orderOpened = Signal(int)
    urgeRequested = Signal(int)
    replyRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgeView")
        self._busy = False
        self.can_reply = False  # the presenter says whether the shown urge is ours to answer
        self.shown: UrgeOut | None = None
        self.counts = PlainLabel(self)
        self.counts.setObjectName("urgeCounts")
        self.unanswered_only = QCheckBox(self)
        self.unanswered_only.setObjectName("urgeUnansweredOnly")
        self.unanswered_only.toggled.connect(self.unansweredOnlyChanged)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("urgeTable")
        self.table.keySelected.connect(self._selected)
        self.table.keyActivated.connect(lambda _key: self._open_order())
        self.detail = PlainLabel(self)
        self.detail.setObjectName("urgeDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("urgeOpenOrderButton")
        self.open_button.clicked.connect(self._open_order)
        self.urge_button = QPushButton(self)
        self.urge_button.setObjectName("urgeAgainButton")
        self.urge_button.clicked.connect(self._urge)
        self.reply_button = QPushButton(self)
        self.reply_button.setObjectName("urgeReplyButton")
        self.reply_button.clicked.connect(self._reply)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.urge_key = QShortcut(QKeySequence(Qt.Key.Key_U), self, self._urge, context=context)
        self.reply_key = QShortcut(QKeySequence(Qt.Key.Key_R), self, self._reply,
                                   context=context)

        bar = QHBoxLayout()
        bar.addWidget(self.counts, 1)
        bar.addWidget(self.unanswered_only)
        bar.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.urge_button)
        buttons.addWidget(self.reply_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
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

    def show_urge(self, urge: UrgeOut | None, can_reply: bool = False) -> None:
        self.shown, self.can_reply = urge, can_reply
        self.detail.setText(self._describe(urge) if urge is not None else "")
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_urge(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_urge(self, urge_id: int) -> bool:
        return self.table.select_key(urge_id)

    def select_first(self) -> None:
        model = self.table.model()
        if self.current_urge() is None and model is not None and model.rowCount():
            self.table.selectRow(0)

    def focus_current(self) -> None:
        self.table.setFocus()

    # -- inside --------------------------------------------------------------------------

    def _describe(self, u: UrgeOut) -> str:
        lines = [self.tr("Order {0}, to the {1}, by {2} at {3}:").format(
            u.order_no, u.target_name, u.by_actor, local_time(u.at)), u.text]
        if u.to_manual:
            lines.append(self.tr("The breach took the order back to manual dispatch."))
        if u.reply is not None:
            lines.append(self.tr("Answered by {0} at {1}: {2}").format(
                u.replied_by, local_time(u.replied_at), u.reply))
        elif u.settled:
            lines.append(self.tr("Not answered; the step has moved on since."))
        else:
            lines.append(self.tr("Not answered yet."))
        return "\n".join(lines)

    def _selected(self, key: object) -> None:
        self._update_buttons()
        self.urgeSelected.emit(key if isinstance(key, int) else None)

    def _open_order(self) -> None:
        if self.shown is not None:
            self.orderOpened.emit(self.shown.order_id)

    def _urge(self) -> None:
        if self.shown is not None and not self._busy:
            self.urgeRequested.emit(self.shown.id)

    def _reply(self) -> None:
        if self.shown is not None and not self._busy and self._answerable():
            self.replyRequested.emit(self.shown.id)

    def _answerable(self) -> bool:
        return self.shown is not None and self.shown.reply is None and self.can_reply

    def _update_buttons(self) -> None:
        chosen = self.shown is not None
        self.open_button.setEnabled(chosen)
        self.urge_button.setEnabled(chosen and not self._busy)
        self.reply_button.setEnabled(self._answerable() and not self._busy)

    def _retranslate(self) -> None:
        self.unanswered_only.setText(self.tr("Unanswered only"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.open_button.setText(self.tr("Open order"))
        self.urge_button.setText(self.tr("Urge (U)"))
        self.reply_button.setText(self.tr("Answer (R)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
