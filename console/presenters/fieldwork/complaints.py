"""Keeps the complaints list current for a supervisor and turns U/D (or the buttons) into a
ruling with a reason, from the complaint's version seen; a conflict refreshes and says so."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.models.fieldwork.followups import ComplaintModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.contracts.fieldwork.followups import ComplaintRuling, ComplaintRulingOut, ComplaintsOut
from ui.fieldwork.complaints import ComplaintView
from ui.fieldwork.followup_dialogs import RulingDialog

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 30_000
LIMIT = 200
Status = Literal["open", "all"]


class ComplaintClient(Protocol):
    async def complaints(self, status: Status = "open", offset: int = 0,
                         limit: int = 50) -> ComplaintsOut: ...
    async def rule_complaint(self, complaint_id: int,
                             ruling: ComplaintRuling) -> ComplaintRulingOut: ...


class ComplaintPresenter(PolledList, DialogHost, QObject):
    """Fetches complaints on a timer while `visible()`, rules one at a time.

    Signals: refreshed() after the list was replaced; ruled(int complaint id, bool upheld).
    """

    refreshed = Signal()
    ruled = Signal(int, bool)

    def __init__(self, client: ComplaintClient, view: ComplaintView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.model = ComplaintModel(self)
        self.page: ComplaintsOut | None = None
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("ComplaintPresenter", "Refreshing the complaints"),
                               log, every_ms=interval_ms, owner=view, visible=visible)
        self._actions = OneAction(route, view, after=lambda: self.refresh(force=True))
        view.set_model(self.model)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.statusChanged.connect(lambda _status: self.refresh(force=True))
        view.complaintSelected.connect(self.show_complaint)
        view.upholdRequested.connect(lambda complaint_id: self._actions.start(
            self.rule(complaint_id, True),
            translate("ComplaintPresenter", "Upholding the complaint")))
        view.dismissRequested.connect(lambda complaint_id: self._actions.start(
            self.rule(complaint_id, False),
            translate("ComplaintPresenter", "Dismissing the complaint")))

    def acting(self) -> bool:
        return self._actions.acting

    def open_count(self) -> int:
        return self.page.open if self.page is not None else 0

    async def _refresh(self) -> None:
        status: Status = "all" if self._view.status() == "all" else "open"
        page = await self._client.complaints(status, 0, LIMIT)
        if not shiboken6.isValid(self._view):
            return
        self.page = page
        self.refreshes += 1
        self.model.set_rows(list(page.rows))
        self._view.set_counts(translate("ComplaintPresenter", "{0} open of {1}").format(
            page.open, page.total))
        self._view.select_first()
        self.show_complaint(self._view.current_complaint())
        self.refreshed.emit()

    def show_complaint(self, complaint_id: int | None) -> None:
        self._view.show_complaint(
            self.model.find(complaint_id) if complaint_id is not None else None)

    async def rule(self, complaint_id: int, uphold: bool) -> bool:
        """Uphold or dismiss, with a reason, from the version shown."""
        complaint = self.model.find(complaint_id)
        if complaint is None:
            return False
        dialog = RulingDialog(complaint.order_no, uphold, self._parent_widget)
        if not await self._open(dialog):
            return False
        ruling = ComplaintRuling(uphold=uphold, version=complaint.version,
                                 reason=dialog.reason())
        try:
            done = await self._client.rule_complaint(complaint_id, ruling)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("complaint %s is stale: %s", complaint_id, exc)
            self._route.warning(translate(
                "ComplaintPresenter", "The complaint about order {0} was changed or ruled by "
                "someone else meanwhile; the list is refreshed. ({1})").format(
                complaint.order_no, exc.detail or exc.title))
            return False
        if uphold:
            text = translate("ComplaintPresenter", "Complaint about order {0} upheld.")
        else:
            text = translate("ComplaintPresenter", "Complaint about order {0} dismissed; the "
                             "order is back in review.")
        self._route.info(text.format(done.complaint.order_no or complaint.order_no))
        self.ruled.emit(complaint_id, uphold)
        return True
