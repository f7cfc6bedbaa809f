"""The urge list (催单) for agents and supervisors: unanswered urges first, by time left; the
chosen urge's text and reply under the list. Keyboard first: Up/Down through the list, Enter
opens the order, U urges the order by hand, R answers an urge addressed to the desk or the
supervisor (a text is asked for each); the buttons do the same."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QWidget

from core.contracts.sla_urges import UrgeOut
from ui.formatting import local_time
from ui.list_detail import ListDetailView
from ui.orders.action_dialogs import ReasonDialog


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


class UrgeView(ListDetailView):
    """Takes the urge model (keyed by urge id) and shows the chosen urge.

    Signals: refreshRequested(); unansweredOnlyChanged(bool); urgeSelected(object) (an urge id
    or None); orderOpened(int order id); urgeRequested(int urge id: urge its order again);
    replyRequested(int urge id); policyRequested() (supervisors: edit the urging policy).
    """

    unansweredOnlyChanged = Signal(bool)
    urgeSelected = Signal(object)
    orderOpened = Signal(int)
    urgeRequested = Signal(int)
    replyRequested = Signal(int)
    policyRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("urge", parent)
        self.currentChanged.connect(self.urgeSelected)
        self.can_reply = False  # the presenter says whether the shown urge is ours to answer
        self.shown: UrgeOut | None = None
        self.unanswered_only = QCheckBox(self)
        self.unanswered_only.setObjectName("urgeUnansweredOnly")
        self.unanswered_only.toggled.connect(self.unansweredOnlyChanged)
        self.detail = self._detail_label()
        self.open_button = self._button("urgeOpenOrderButton", self._activated)
        self.urge_button = self._button("urgeAgainButton", lambda: self._act(self.urgeRequested))
        self.reply_button = self._button("urgeReplyButton", self._reply)
        self.policy_button = self._button("urgePolicyButton", self.policyRequested.emit)
        self.policy_button.hide()  # shown for supervisors (allow_policy)
        self.urge_key = self._key(Qt.Key.Key_U, lambda: self._act(self.urgeRequested))
        self.reply_key = self._key(Qt.Key.Key_R, self._reply)
        self._lay_out(self.detail, [self._row([self.urge_button, self.reply_button],
                                              [self.policy_button, self.open_button])],
                      tool=self.unanswered_only)

    # -- what the presenter sets ---------------------------------------------------------

    def show_urge(self, urge: UrgeOut | None, can_reply: bool = False) -> None:
        self.shown, self.can_reply = urge, can_reply
        self.detail.setText(self._describe(urge) if urge is not None else "")
        self._update_buttons()

    def allow_policy(self, allowed: bool) -> None:
        self.policy_button.setVisible(allowed)

    def current_urge(self) -> int | None:
        return self.current_key()

    def select_urge(self, urge_id: int) -> bool:
        return self.select_key(urge_id)

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

    def _acting_on(self) -> int | None:
        """The urge shown (the presenter shows the current one), unless one is in flight."""
        return self.shown.id if self.shown is not None and not self._busy else None

    def _activated(self) -> None:
        if self.shown is not None:
            self.orderOpened.emit(self.shown.order_id)

    def _reply(self) -> None:
        if self._answerable():
            self._act(self.replyRequested)

    def _answerable(self) -> bool:
        return self.shown is not None and self.shown.reply is None and self.can_reply

    def _update_buttons(self) -> None:
        can = self._acting_on() is not None
        self.open_button.setEnabled(self.shown is not None)
        self.urge_button.setEnabled(can)
        self.reply_button.setEnabled(can and self._answerable())

    def _retranslate(self) -> None:
        super()._retranslate()
        self.unanswered_only.setText(self.tr("Unanswered only"))
        self.open_button.setText(self.tr("Open order"))
        self.urge_button.setText(self.tr("Urge (U)"))
        self.reply_button.setText(self.tr("Answer (R)"))
        self.policy_button.setText(self.tr("Urging policy…"))
        if self.shown is not None:
            self.detail.setText(self._describe(self.shown))
