"""The order on the right: loads what the queue selects, sends what the buttons ask."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.errors import ApiError
from console.language import pick, quoting
from console.presenters.messages import MessageRoute
from console.presenters.orders.action_forms import ActionForms, FormClient
from console.presenters.tasks import spawn
from core.contracts import ActionRequest, OrderDetail, OrderRow, TimelineEntry
from core.orders.lifecycle import Role
from core.orders.model import BACKEND_REASON
from ui import labels
from ui.orders.detail_panel import DetailPanel

translate = QCoreApplication.translate

log = logging.getLogger(__name__)


def in_language(detail: OrderDetail) -> OrderDetail:
    """The timeline's reasons the backend wrote (its own steps: placement, automatic dispatch,
    SLA, review period) in the person's language; a person's own words stay as typed. A
    person's entry is picked only where its reason is the backend's: wholly (the event says
    so, BACKEND_REASON: his own check-in, a grab, a booking without a reason) or quoting his
    words in its own text (core.text.with_words: a cannot-complete, a supervisor's
    reschedule)."""
    timeline = [entry.model_copy(update={"reason": pick(entry.reason)})
                if _backends(entry) else entry for entry in detail.timeline]
    return detail.model_copy(update={"timeline": timeline})


def _backends(entry: TimelineEntry) -> bool:
    return (entry.actor_role == Role.SYSTEM.value or entry.data.get(BACKEND_REASON) is True
            or quoting(entry.reason) is not None)


class OrderClient(FormClient, Protocol):
    async def order(self, order_id: int) -> OrderDetail: ...

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail: ...


class OrderPresenter(QObject):
    """Decides; the DetailPanel displays.

    Signals: orderShown(object OrderDetail) after a load or action; orderOpened(int) when an
    action created another order (after-sales) that the queue should select.
    """

    orderShown = Signal(object)
    orderOpened = Signal(int)

    def __init__(
        self,
        client: OrderClient,
        panel: DetailPanel,
        route: MessageRoute,
        *,
        forms: ActionForms | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._panel = panel
        self._route = route
        self.forms = forms or ActionForms(client, panel.window())
        self._wanted: int | None = None
        self._load_task: asyncio.Task[Any] | None = None
        self._acting = False
        panel.actionRequested.connect(self.request_action)

    def current(self) -> OrderDetail | None:
        return self._panel.detail()

    def is_busy(self) -> bool:
        return self._acting or self._loading()

    # -- loading -------------------------------------------------------------------------

    def select(self, order_id: int) -> None:
        """Show this order; a newer selection supersedes a load still under way.

        Reloading the order already shown (someone else moved it on) keeps its buttons
        usable: greying them on every feed event would make them flicker.
        """
        shown = self.current()
        refresh = self._wanted == order_id and shown is not None and shown.id == order_id
        self._wanted = order_id
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        if not refresh:
            self._panel.show_loading()
        self._load_task = spawn(
            self._load_selected(order_id),
            self._route,
            translate("OrderPresenter", "Loading the order"),
        )

    def wanted(self) -> int | None:
        """The order the user last selected (shown, or still loading)."""
        return self._wanted

    async def _load_selected(self, order_id: int) -> None:
        try:
            await self.load(order_id)
        finally:
            # A failed load must not leave the last order's buttons dead.
            if self._wanted == order_id and not self._acting:
                self._panel.set_busy(False)

    async def load(self, order_id: int) -> OrderDetail | None:
        detail = await self._client.order(order_id)
        if not self._still_wanted(order_id):
            return None  # the dispatcher has moved on; an answer arriving late must not win
        self._show(detail)
        return detail

    def rows_changed(self, rows: Iterable[OrderRow]) -> None:
        """The feed changed rows: reload the shown order if someone else moved it on."""
        shown = self.current()
        if shown is None or self.is_busy():
            return
        for row in rows:
            if row.id == shown.id and row.version > shown.version:
                self.select(shown.id)
                return

    # -- actions -------------------------------------------------------------------------

    def request_action(self, action: str) -> None:
        if self._acting:
            return
        spawn(self.perform(action), self._route, labels.label(labels.action_labels(), action))

    async def perform(self, action: str) -> OrderDetail | None:
        """Ask what the action needs, send it at the shown version, show the answer."""
        detail = self.current()
        if detail is None or self._acting:
            return None
        self._acting = True
        self._panel.set_busy(True)
        try:
            fields = await self.forms.collect(action, detail)
            if fields is None:
                return None  # the dispatcher cancelled the form
            request = ActionRequest(action=action, version=detail.version, **fields)
            try:
                result = await self._client.act(detail.id, request)
            except ApiError as exc:
                if exc.status != 409 or exc.current_version is None:
                    raise  # a refusal for a reason (the route says it), not a stale version
                log.info("stale version for order %s: %s", detail.id, exc)
                self._route.warning(
                    translate(
                        "OrderPresenter",
                        "Order {0} was changed by someone else in the meantime; its current state "
                        "is shown now. Please check it and try again.",
                    ).format(detail.order_no)
                )
                await self.load(detail.id)
                return None
        finally:
            self._acting = False
            # Another order may be loading meanwhile; its buttons come when it is shown.
            self._panel.set_busy(self._loading())
        name = labels.label(labels.action_labels(), action)
        if not self._still_wanted(detail.id):
            # The dispatcher selected another order while this one was being sent: say it
            # is done, but leave the panel on the order they are looking at now.
            self._route.info(
                translate("OrderPresenter", "{0}: done for order {1}.").format(
                    name, detail.order_no
                )
            )
            return result
        if result.id != detail.id:
            self._route.info(
                translate("OrderPresenter", "{0}: new order {1} opened.").format(
                    name, result.order_no
                )
            )
            self._wanted = result.id
            self._show(result)
            self.orderOpened.emit(result.id)
        else:
            self._route.info(
                translate("OrderPresenter", "{0}: done for order {1}.").format(
                    name, result.order_no
                )
            )
            self._show(result)
        return result

    def _still_wanted(self, order_id: int) -> bool:
        return self._wanted in (None, order_id)

    def _loading(self) -> bool:
        return self._load_task is not None and not self._load_task.done()

    def _show(self, detail: OrderDetail) -> None:
        detail = in_language(detail)
        self._panel.show_order(detail)
        self.orderShown.emit(detail)
