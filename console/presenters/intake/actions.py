"""What an agent does in the Intake workspace: approve or reject, fix and retry, discard."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from console.errors import ApiError
from console.language import pick
from console.presenters.intake.lists import IntakeClient, IntakePresenter
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction
from core.contracts.intake import IntakeReceipt, MessageStatus, Outcome, ReviewDecision
from ui import labels
from ui.intake import labels as intake_labels
from ui.intake.payload import RetryDialog
from ui.intake.view import IntakeView
from ui.orders.action_dialogs import ReasonDialog

translate = QCoreApplication.translate
log = logging.getLogger(__name__)


def receipt_summary(receipt: IntakeReceipt) -> str:
    """"3 records: 2 created, 1 problems" in the order outcomes matter to an agent."""
    counts = Counter(str(o.outcome) for o in receipt.outcomes)
    names = intake_labels.outcome_labels()
    each = translate("IntakeActions", "{0} {1}")  # count, outcome ("2 created")
    parts = [each.format(counts[o.value], names[o.value]) for o in Outcome if counts[o.value]]
    head = translate("IntakeActions", "{0} records").format(receipt.received)
    if not parts:
        return head
    return translate("IntakeActions", "{0}: {1}").format(
        head, translate("IntakeActions", ", ").join(parts))


def dead_reasons(receipt: IntakeReceipt) -> str:
    return "；".join(f"{o.field}: {pick(o.reason)}" if o.field else pick(o.reason)
                    for o in receipt.outcomes if o.outcome == Outcome.DEAD)


class IntakeActions(DialogHost, QObject):
    """One action at a time; the lists refresh after each, done or not.

    Signals: decided(object OrderDetail) after a review decision went through.
    `on_open` sees every dialog as it opens (tests answer through it).
    """

    decided = Signal(object)

    def __init__(self, client: IntakeClient, presenter: IntakePresenter, view: IntakeView,
                 route: MessageRoute, parent_widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._presenter = presenter
        self._view = view
        self._route = route
        self._parent_widget = parent_widget
        self.on_open: Callable[[QDialog], None] | None = None
        self.current: QDialog | None = None
        self._actions = OneAction(route, view, after=lambda: presenter.refresh(force=True))
        view.approveRequested.connect(lambda order_id: self._start(
            self.approve(order_id), translate("IntakeActions", "Approving the order")))
        view.rejectRequested.connect(lambda order_id: self._start(
            self.reject(order_id), translate("IntakeActions", "Rejecting the order")))
        view.retryRequested.connect(lambda message_id: self._start(
            self.retry(message_id), translate("IntakeActions", "Retrying the message")))
        view.discardRequested.connect(lambda message_id: self._start(
            self.discard(message_id), translate("IntakeActions", "Discarding the message")))

    def busy(self) -> bool:
        return self._actions.acting

    def _start(self, action: Coroutine[Any, Any, Any], doing: str) -> None:
        self._actions.start(action, doing)

    async def approve(self, order_id: int) -> bool:
        return await self._decide(order_id, approve=True, reason="")

    async def reject(self, order_id: int) -> bool:
        """Reject with a reason (required): the order is cancelled with it."""
        item = self._presenter.reviews.find(order_id)
        if item is None:
            return False
        dialog = ReasonDialog(
            translate("IntakeActions", "Reject order"),
            translate("IntakeActions", "Order {0} is cancelled as not genuine. Why? The reason "
                      "is kept in the order's timeline.").format(item.order.order_no),
            self._parent_widget,
        )
        if not await self._open(dialog):
            return False
        return await self._decide(order_id, approve=False, reason=dialog.reason())

    async def _decide(self, order_id: int, *, approve: bool, reason: str) -> bool:
        item = self._presenter.reviews.find(order_id)
        if item is None:
            return False
        decision = ReviewDecision(approve=approve, version=item.order.version, reason=reason)
        try:
            detail = await self._client.decide_review(order_id, decision)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("review of order %s is stale: %s", order_id, exc)
            self._route.warning(translate(
                "IntakeActions", "Order {0} was decided or changed by someone else meanwhile; "
                "the review queue is refreshed.").format(item.order.order_no))
            return False
        if approve:
            text = translate("IntakeActions", "Order {0} approved; now {1}.").format(
                detail.order_no, labels.label(labels.state_labels(), detail.state))
        else:
            text = translate("IntakeActions", "Order {0} rejected and cancelled.").format(
                detail.order_no)
        self._route.info(text)
        self.decided.emit(detail)
        return True

    # -- the problem list --------------------------------------------------------------

    async def retry(self, message_id: int) -> IntakeReceipt | None:
        """Show the dead letter's payload for fixing; send the fix (or the original) again.

        A fix the server still cannot read (422) reopens the editor with its reason, so the
        agent goes on from their edit rather than from the original.
        """
        message = await self._client.intake_message(message_id)  # the full, current text
        if message.status != MessageStatus.DEAD:
            self._route.info(self._already_resolved(message.platform_order_id, message.status))
            return None
        shown, field, reason = message.payload, message.field, pick(message.reason)
        edited: str | None = None
        while True:
            where = f"{field}: {reason}" if field else reason
            dialog = RetryDialog(
                translate("IntakeActions", "Fix and retry"),
                translate("IntakeActions", "{0} {1} could not be converted: {2}").format(
                    labels.label(labels.platform_labels(), message.platform),
                    message.platform_order_id, where),
                shown, field, self._parent_widget,
            )
            if not await self._open(dialog):
                return None
            edited = dialog.payload() or edited
            try:
                receipt = await self._client.retry_message(message_id, edited)
            except ApiError as exc:
                if exc.status == 422:
                    shown = edited or shown
                    field = exc.fields[0] if exc.fields else ""
                    said = [str(e["msg"]) for e in exc.errors if e.get("msg")]
                    reason = said[0] if said else (exc.detail or str(exc))
                    continue
                if exc.status in (404, 409):
                    self._route.warning(self._taken(message.platform_order_id))
                    return None
                raise
            break
        problems = dead_reasons(receipt)
        if problems:
            self._route.warning(translate(
                "IntakeActions", "Still not convertible: {0}. It stays in the problem list."
            ).format(problems))
        else:
            self._route.info(translate("IntakeActions", "Retried: {0}.").format(
                receipt_summary(receipt)))
        return receipt

    async def discard(self, message_id: int) -> bool:
        """Throw a dead letter away, with the reason (asked: this is the confirmation)."""
        message = self._presenter.messages.find(message_id)
        if message is None:
            message = await self._client.intake_message(message_id)
        if message.status != MessageStatus.DEAD:
            self._route.info(self._already_resolved(message.platform_order_id, message.status))
            return False
        dialog = ReasonDialog(
            translate("IntakeActions", "Discard message"),
            translate("IntakeActions", "{0} will not be converted into an order. Why is it "
                      "discarded?").format(message.platform_order_id or f"#{message.id}"),
            self._parent_widget,
        )
        if not await self._open(dialog):
            return False
        try:
            await self._client.discard_message(message_id, dialog.reason())
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            self._route.warning(self._taken(message.platform_order_id or f"#{message.id}"))
            return False
        self._route.info(translate("IntakeActions", "Message {0} discarded.").format(
            message.platform_order_id or f"#{message.id}"))
        return True

    @staticmethod
    def _taken(platform_order_id: str) -> str:
        return translate("IntakeActions", "Message {0} was dealt with by someone else "
                         "meanwhile; the problem list is refreshed.").format(platform_order_id)

    @staticmethod
    def _already_resolved(platform_order_id: str, status: str) -> str:
        return translate("IntakeActions", "Message {0}: {1}, nothing to do.").format(
            platform_order_id, labels.label(intake_labels.status_labels(), status))
