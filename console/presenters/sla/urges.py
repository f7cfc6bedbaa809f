"""Keeps the urge list (催单) current for agents and supervisors and turns U (urge the chosen
urge's order again, by hand) and R (answer an urge addressed to the desk, or to the supervisor
for a supervisor) into calls, each with a text asked for; a stale answer refreshes and says so."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.language import pick
from console.presenters.messages import MessageRoute
from console.presenters.sla.urge_models import UrgeModel
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.contracts import ChangeEvent
from core.contracts.sla_urges import UrgeOut
from ui.sla.urges import UrgeTextDialog, UrgeView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 15_000
COALESCE_MS = 1_000  # urges arriving on the feed together refresh the list once
# Feed events that change the list: an urge (the round's, by hand, a platform's) and a reply.
URGE_EVENTS = frozenset({"sla_urge", "sla_urge_reply"})
LIMIT = 200
# Which urges each desk role answers (the server checks it too: core.sla.urging.may_reply).
ANSWERS = {"supervisor": frozenset({"supervisor", "desk"}), "agent": frozenset({"desk"})}


def in_language(urge: UrgeOut) -> UrgeOut:
    """An alert's urge is the backend's sentence (`催单（…）：… (urge to …)`): one language.
    A person's urge, or a platform's (its own words inside), stays as written."""
    if urge.source != "alert":
        return urge
    return urge.model_copy(update={"text": pick(urge.text)})


class UrgeClient(Protocol):
    async def sla_urges(self, answered: bool | None = None, limit: int = 200,
                        offset: int = 0) -> list[UrgeOut]: ...
    async def urge_order(self, order_id: int, text: str,
                         target: str = "technician") -> UrgeOut: ...
    async def reply_urge(self, urge_id: int, text: str, version: int) -> UrgeOut: ...


class UrgePresenter(PolledList, DialogHost, QObject):
    """Fetches urges on a timer while `visible()`, and at once when the feed brings an urge or
    a reply (`on_events`); urges and answers one at a time.

    Signals: refreshed() after the list was replaced; urged(int order id); answered(int urge).
    """

    refreshed = Signal()
    urged = Signal(int)
    answered = Signal(int)

    def __init__(self, client: UrgeClient, view: UrgeView, route: MessageRoute, *,
                 role: str = "agent", interval_ms: int = REFRESH_MS,
                 visible: Callable[[], bool] = lambda: True,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._answers = ANSWERS.get(role, frozenset())
        self._parent_widget = parent_widget
        self.model = UrgeModel(self)
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("UrgePresenter", "Refreshing the urges"), log,
                               every_ms=interval_ms, owner=view, visible=visible,
                               hidden_every_ms=4 * interval_ms, min_interval_ms=COALESCE_MS)
        self._actions = OneAction(route, view, after=lambda: self.refresh(force=True))
        view.set_model(self.model)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.unansweredOnlyChanged.connect(lambda _only: self.refresh(force=True))
        view.urgeSelected.connect(self.show_urge)
        view.urgeRequested.connect(lambda urge_id: self._actions.start(
            self.urge_again(urge_id), translate("UrgePresenter", "Urging")))
        view.replyRequested.connect(lambda urge_id: self._actions.start(
            self.reply(urge_id), translate("UrgePresenter", "Answering the urge")))

    def on_events(self, events: Sequence[ChangeEvent]) -> None:
        """Feed events: an urge or a reply refreshes the list at once (coalesced)."""
        if any(e.kind in URGE_EVENTS for e in events):
            self.refresh(force=True)

    def unanswered(self) -> int:
        return self.model.unanswered()

    def can_answer(self, urge: UrgeOut) -> bool:
        return urge.reply is None and urge.target in self._answers

    async def _refresh(self) -> None:
        only = self._view.unanswered_only.isChecked()
        rows = await self._client.sla_urges(False if only else None, LIMIT)
        if not shiboken6.isValid(self._view):
            return
        self.refreshes += 1
        self.model.set_rows([in_language(row) for row in rows])
        self._view.set_counts(translate("UrgePresenter", "{0} awaiting an answer of {1}").format(
            self.model.unanswered(), len(rows)))
        self._view.select_first()
        self.show_urge(self._view.current_urge())
        self.refreshed.emit()

    def show_urge(self, urge_id: int | None) -> None:
        urge = self.model.find(urge_id) if urge_id is not None else None
        self._view.show_urge(urge, urge is not None and self.can_answer(urge))

    async def urge_again(self, urge_id: int) -> bool:
        """Urge the order of the chosen urge by hand (to its technician), with a text."""
        urge = self.model.find(urge_id)
        if urge is None:
            return False
        dialog = UrgeTextDialog(
            translate("UrgePresenter", "Urge"),
            translate("UrgePresenter", "Order {0}: what should the technician be told?"
                      ).format(urge.order_no), self._parent_widget)
        if not await self._open(dialog):
            return False
        try:
            await self._client.urge_order(urge.order_id, dialog.text())
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            self._route.warning(translate(
                "UrgePresenter", "Order {0} cannot be urged now. ({1})").format(
                urge.order_no, exc.detail or exc.title))
            return False
        self._route.info(translate("UrgePresenter", "Order {0} urged.").format(urge.order_no))
        self.urged.emit(urge.order_id)
        return True

    async def reply(self, urge_id: int) -> bool:
        """Answer an urge addressed to us, from the version shown."""
        urge = self.model.find(urge_id)
        if urge is None or not self.can_answer(urge):
            return False
        dialog = UrgeTextDialog(
            translate("UrgePresenter", "Answer the urge"),
            translate("UrgePresenter", "Order {0}: {1}").format(urge.order_no, urge.text),
            self._parent_widget)
        if not await self._open(dialog):
            return False
        try:
            await self._client.reply_urge(urge_id, dialog.text(), urge.version)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            self._route.warning(translate(
                "UrgePresenter", "The urge on order {0} was answered or changed by someone "
                "else meanwhile; the list is refreshed. ({1})").format(
                urge.order_no, exc.detail or exc.title))
            return False
        self._route.info(translate("UrgePresenter", "Urge on order {0} answered.").format(
            urge.order_no))
        self.answered.emit(urge_id)
        return True
