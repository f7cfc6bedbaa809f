"""The dispatch workspace's decisions: what the lists show, and assigning by any gesture.

Every gesture ends in `assign_to(order, technician)` or a bulk request; a technician who
breaks a rule is assigned only after the agent confirmed the listed breaks. Network calls run
as tasks on the asyncio loop: the GUI thread never waits.
Another order's candidates are never listed under this order's title: the list empties at
once and fills when this order's arrive, highlighted as `CandidateHighlight` says.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from console.language import pick
from console.models.dispatch.candidates import CandidateModel
from console.models.dispatch.needs import NeedsPersonModel
from console.presenters.dispatch.highlight import CandidateHighlight
from console.presenters.messages import MessageRoute, describe
from console.presenters.tasks import DialogHost, Polling, spawn
from core.contracts import ActionRequest, OrderDetail, OrderRow
from core.contracts.dispatch import (
    AssignmentIn,
    AssignmentResult,
    BulkAssign,
    CandidateOut,
    NeedsPersonRow,
)
from ui import labels
from ui.dispatch.assign_dialog import confirmation_text
from ui.dispatch.view import DispatchView
from ui.orders.action_dialogs import ReasonDialog
from ui.plain_text import message_box

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
REFRESH_MS = 5_000  # while on screen, in case a change reached no store (another desk's view)
# States in which an assignment can be pinned or unpinned.
PINNABLE = ("assigned", "accepted", "appointed")


class DispatchClient(Protocol):
    async def needs_person(self) -> list[NeedsPersonRow]: ...

    async def candidates(self, order_id: int, all_cities: bool = False
                         ) -> list[CandidateOut]: ...

    async def assign_orders(self, request: BulkAssign) -> list[AssignmentResult]: ...

    async def order(self, order_id: int) -> OrderDetail: ...

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail: ...


def summary(results: list[AssignmentResult]) -> str:
    """'3 assigned; 1 not: LM001 changed meanwhile' in one line."""
    done = sum(r.ok for r in results)
    failed = [r for r in results if not r.ok]
    text = translate("DispatchDesk", "{0} assigned").format(done)
    if failed:
        why = "；".join(f"{r.order_no or r.order_id}: {pick(r.detail)}" for r in failed)
        text += translate("DispatchDesk", "; {0} not assigned: {1}").format(len(failed), why)
    return text


class DispatchPresenter(QObject, DialogHost):
    """Keeps the list current through its `polling` (on a timer while `visible()`, from
    start() to stop()) and assigns.

    Signals: countChanged(int) orders needing a person; assigned(list of results).
    """

    countChanged = Signal(int)
    assigned = Signal(list)

    def __init__(self, client: DispatchClient, view: DispatchView, route: MessageRoute, *,
                 rows: Callable[[int], OrderRow | None] | None = None,
                 parent_widget: QWidget | None = None, interval_ms: int = REFRESH_MS,
                 visible: Callable[[], bool] = lambda: True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._store_row = rows or (lambda _id: None)
        self._parent_widget = parent_widget or view
        self.needs = NeedsPersonModel(parent=self)
        self.candidates = CandidateModel(parent=self)
        self.shown: int | None = None  # the order whose candidates are asked for
        self.listed: int | None = None  # the order whose candidates the model holds
        self.all_cities = False  # candidates of other cities too
        self._title = ""
        self.polling = Polling(self._refresh, route,
                               translate("DispatchDesk", "Loading the orders needing a person"),
                               log, every_ms=interval_ms, owner=view, visible=visible)
        self._loading: asyncio.Task[Any] | None = None
        self.busy = False
        view.set_models(self.needs, self.candidates)
        self.highlight = CandidateHighlight(view.candidates, self.candidates)
        view.orderSelected.connect(self._order_selected)
        view.candidateChosen.connect(self.choose_row)
        view.orderDropped.connect(self.drop_on_row)
        view.bestRequested.connect(self.assign_best)
        view.chosenRequested.connect(self.assign_all_to_chosen)
        view.pinRequested.connect(lambda: self._pin("pin"))
        view.unpinRequested.connect(lambda: self._pin("unpin"))
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.allCitiesToggled.connect(self.set_all_cities)

    # -- the lists -----------------------------------------------------------------------

    def start(self) -> None:
        """Refresh on the timer from now on, while on screen (and now)."""
        self.polling.start()

    def stop(self) -> None:
        self.polling.stop()

    def refresh(self, force: bool = False) -> None:
        """Reload the list (and the shown order's candidates); one refresh at a time (`force`
        during one: once more after it, as what it brings may be stale)."""
        self.polling.refresh(force)

    async def _refresh(self) -> None:
        rows = await self._client.needs_person()
        self.needs.set_rows(rows)
        self.countChanged.emit(len(rows))
        if self.shown is None and rows:
            self._view.orders.select_key(rows[0].order.id)  # loads its candidates
        elif self.shown is not None:
            await self._load_candidates(self.shown)

    def _order_selected(self, order_id: object) -> None:
        if isinstance(order_id, int):
            self.show_order(order_id)
        else:
            self.shown = self.listed = None
            self.candidates.set_candidates([])
            self._view.set_pin_state(None)

    def show_order(self, order_id: int) -> None:
        """List this order's candidates (a queue's assigned order too: reassign, pin)."""
        self.shown = order_id
        row = self._row(order_id)
        self._view.set_pin_state(row.dispatch_pinned if row and row.state in PINNABLE
                                 else None)
        self._title = translate("DispatchDesk", "Candidates for {0} (1-9 or Enter assigns)"
                                ).format(row.order_no if row else order_id)
        self._view.set_candidates_title(self._title)
        if self.listed != order_id:
            self.listed = None
            self.candidates.set_candidates([])  # Enter must not assign another order's pick
        self._reload(order_id)

    def _reload(self, order_id: int) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._loading = spawn(self._load_candidates(order_id), self._route,
                              translate("DispatchDesk", "Loading the candidates"))

    def set_all_cities(self, on: bool) -> None:
        """List technicians of every city (on) or of the order's city only; from #1 again."""
        self.all_cities = on
        self.highlight.restart()
        if self.shown is not None:
            self._reload(self.shown)

    async def _load_candidates(self, order_id: int) -> None:
        found = await self._client.candidates(order_id, all_cities=self.all_cities)
        if self.shown != order_id:  # an answer for an order no longer shown must not win
            return
        fresh = self.listed != order_id
        self.candidates.set_candidates(found)
        self.listed = order_id
        self.highlight.placed(fresh)
        self._view.set_candidates_title(self._title if found or self.all_cities else translate(
            "DispatchDesk", "No technician in the order's city: tick “Other cities too” to see "
                            "the others."))

    def _row(self, order_id: int) -> OrderRow | None:
        needed = self.needs.row_for(order_id)
        return needed.order if needed else self._store_row(order_id)

    async def _version(self, order_id: int) -> int:
        """The version the agent saw: the listed row's, else the store's, else the server's."""
        row = self._row(order_id)
        return row.version if row else (await self._client.order(order_id)).version

    # -- assigning -----------------------------------------------------------------------

    def choose_row(self, row: int) -> None:
        if self.shown is not None and self.listed == self.shown \
                and 0 <= row < self.candidates.rowCount():
            self.assign_to(self.shown, self.candidates.candidate(row).technician.id)

    def drop_on_row(self, order_id: int, row: int) -> None:
        if 0 <= row < self.candidates.rowCount():
            self.assign_to(order_id, self.candidates.candidate(row).technician.id)

    def assign_to(self, order_id: int, technician_id: int) -> None:
        spawn(self.assign(order_id, technician_id), self._route,
              labels.label(labels.action_labels(), "assign"))

    async def _candidate(self, order_id: int, technician_id: int) -> CandidateOut | None:
        """As listed, else as the server ranks it among every city's (a map drop may name
        a technician the list leaves out: their breaks must still be confirmed)."""
        listed = self.candidates.candidates() if self.listed == order_id else []
        found = next((c for c in listed if c.technician.id == technician_id), None)
        if found is None:
            everyone = await self._client.candidates(order_id, all_cities=True)
            found = next((c for c in everyone if c.technician.id == technician_id), None)
        return found

    async def assign(self, order_id: int, technician_id: int) -> list[AssignmentResult]:
        """One order to one technician, after confirming any rule it breaks."""
        if self.busy:
            return []
        chosen = await self._candidate(order_id, technician_id)
        if chosen is not None and chosen.breaks and not await self.confirm(
                confirmation_text(chosen.technician.name, chosen.breaks)):
            return []
        item = AssignmentIn(order_id=order_id, version=await self._version(order_id),
                            technician_id=technician_id)
        return await self._send([item])

    def assign_best(self) -> None:
        spawn(self.assign_selected(None), self._route,
              translate("DispatchDesk", "Assigning to the best technicians"))

    def assign_all_to_chosen(self) -> None:
        row = self._view.candidates.currentIndex().row()
        if not 0 <= row < self.candidates.rowCount():
            self._view.set_status(translate("DispatchDesk", "Choose a technician on the right "
                                                            "first."), problem=True)
            return
        spawn(self.assign_selected(self.candidates.candidate(row)), self._route,
              translate("DispatchDesk", "Assigning to the chosen technician"))

    async def assign_selected(self, chosen: CandidateOut | None) -> list[AssignmentResult]:
        """Every selected order: to its own best eligible candidate (None) or to `chosen`."""
        ids = [int(k) for k in self._view.orders.selected_keys()]
        if not ids or self.busy:
            return []
        if chosen is not None and chosen.breaks and not await self.confirm(
                confirmation_text(chosen.technician.name, chosen.breaks)):
            return []
        tech = chosen.technician.id if chosen is not None else None
        items = [AssignmentIn(order_id=i, version=await self._version(i), technician_id=tech)
                 for i in ids]
        return await self._send(items)

    async def _send(self, items: list[AssignmentIn]) -> list[AssignmentResult]:
        self.busy = True
        self._view.set_busy(True)
        try:
            results = await self._client.assign_orders(BulkAssign(assignments=items))
        except Exception as exc:  # shown on the status line too, then routed as usual
            self._view.set_status(describe(exc), problem=True)
            raise
        finally:
            self.busy = False
            self._view.set_busy(False)
        text = summary(results)
        self._view.set_status(text, problem=not all(r.ok for r in results))
        self._route.info(text)
        self.highlight.restart()  # whatever order comes next, Enter means its best again
        self.assigned.emit(results)
        self.refresh(force=True)
        return results

    # -- pin, unpin, confirmation --------------------------------------------------------

    def _pin(self, action: str) -> None:
        if self.shown is not None:
            spawn(self.pin(self.shown, action), self._route,
                  labels.label(labels.action_labels(), action))

    async def pin(self, order_id: int, action: str) -> OrderDetail | None:
        """Pin (automatic dispatch never undoes it) or unpin (with a reason) an assignment."""
        reason = ""
        if action == "unpin":
            dialog = ReasonDialog(labels.label(labels.action_labels(), action), translate(
                "DispatchDesk", "Why may automatic dispatch change this assignment again?"),
                self._parent_widget)
            if not await self._open(dialog):
                return None
            reason = dialog.reason()
        request = ActionRequest(action=action, version=await self._version(order_id),
                                reason=reason)
        detail = await self._client.act(order_id, request)
        self._view.set_pin_state(detail.dispatch_pinned)
        self._route.info(translate("DispatchDesk", "{0}: done for order {1}.").format(
            labels.label(labels.action_labels(), action), detail.order_no))
        return detail

    async def confirm(self, text: str) -> bool:
        box = message_box(QMessageBox.Icon.Warning,
                          translate("DispatchDesk", "Assign anyway?"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self._parent_widget)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        await self._open(box)
        return box.result() == QMessageBox.StandardButton.Yes.value
