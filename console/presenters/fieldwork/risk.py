"""Keeps the technician risk dock current and turns its clicks into calls: the list on a timer
while on screen, the chosen technician's flagged orders, and the manual-review switch (a
reason asked, a PUT from the version shown; a conflict reloads, a refusal reopens the form)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.language import pick_fields
from console.models.fieldwork.risk import (
    SCORE,
    FlaggedOrderModel,
    RiskModel,
    band_labels,
    flag_words,
)
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.contracts.fieldwork.risk import (
    ReviewCompletionsUpdate,
    RiskListOut,
    TechnicianReviewOut,
    TechnicianRiskDetailOut,
    TechnicianRiskOut,
)
from ui.fieldwork.risk import ReviewDialog, RiskView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 60_000  # flags arrive with visits: a minute is current enough
DEFAULT_DAYS = 30


class RiskClient(Protocol):
    async def technician_risk(self, days: int = 30) -> RiskListOut: ...
    async def technician_risk_detail(self, technician_id: int,
                                     days: int = 30) -> TechnicianRiskDetailOut: ...
    async def set_review_completions(self, technician_id: int,
                                     change: ReviewCompletionsUpdate) -> TechnicianReviewOut: ...


def heading(row: TechnicianRiskOut) -> str:
    """'王建: score 60.0 (High), 3 orders worked, 3 flagged' and his reasons below."""
    band = band_labels().get(row.band, row.band)
    text = translate("RiskPresenter",
                     "{0}: score {1} ({2}), {3} orders worked, {4} flagged").format(
        row.name, f"{row.score:.1f}", band, row.orders, row.flagged_orders)
    if row.reasons:
        reasons = "、".join(translate("RiskPresenter", "{0} ×{1}").format(
            flag_words(r.kind, r.text), r.orders) for r in row.reasons)
        text = f"{text}\n{reasons}"
    if row.review_completions:
        text = f"{text}\n" + translate("RiskPresenter", "His completions go to manual review.")
    return text


class RiskPresenter(PolledList, DialogHost, QObject):
    """Fetches the risk list on a timer while `visible()` and on request, the chosen
    technician's flagged orders when the choice changes; one review change at a time.

    Signals: refreshed() after the list was replaced; detailLoaded(int technician id) after
    his flagged orders were; saved(int technician id) after the switch was changed.
    """

    refreshed = Signal()
    detailLoaded = Signal(int)
    saved = Signal(int)

    def __init__(self, client: RiskClient, view: RiskView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.days = DEFAULT_DAYS
        self.model = RiskModel(self)
        self.orders = FlaggedOrderModel(self)
        self.chosen: int | None = None
        self.detail: TechnicianRiskDetailOut | None = None
        self.refreshes = 0
        self._focus_drill_down = False
        self.polling = Polling(self._refresh, route,
                               translate("RiskPresenter", "Loading technician risk"), log,
                               every_ms=interval_ms, owner=view, visible=visible)
        self.detail_polling = Polling(self._load_detail, route,
                                      translate("RiskPresenter", "Loading the flagged orders"),
                                      log, owner=view)
        self.actions = OneAction(route, view)
        view.set_models(self.model, self.orders, SCORE)
        view.set_days(self.days)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.daysChanged.connect(self.set_days)
        view.technicianSelected.connect(self.choose)
        view.drillDownRequested.connect(self.drill_down)
        view.reviewRequested.connect(self.request_review)

    def set_days(self, days: int) -> None:
        if days != self.days:
            self.days = days
            self.refresh(force=True)
            self.detail_polling.refresh(force=True)

    def choose(self, technician_id: object) -> None:
        """Show this technician's drill-down (None: nobody)."""
        self.chosen = technician_id if isinstance(technician_id, int) else None
        if self.chosen is None:
            self.detail = None
            self.orders.set_rows([])
            self._view.show_detail(None)
            return
        row = self.model.find(self.chosen)
        if row is not None:
            self._view.show_detail(heading(row), row.review_completions)
        self.detail_polling.refresh(force=True)

    def drill_down(self, technician_id: int) -> None:
        """Enter on a technician: his flagged orders, with the keyboard on them once loaded."""
        self._focus_drill_down = True
        if technician_id != self.chosen:
            self._view.select_technician(technician_id)  # choose() follows the selection
        if self.detail is not None and self.detail.risk.technician_id == technician_id \
                and not self.detail_polling.busy():
            self._focus_drill_down = False
            self._view.focus_drill_down()

    async def _refresh(self) -> None:
        days = self.days
        answer = await self._client.technician_risk(days)
        if not shiboken6.isValid(self._view) or days != self.days:
            return
        # The reasons' and flags' words are the backend's ("中文 (English)"): one language.
        self.model.set_rows([pick_fields(row) for row in answer.technicians])
        self.refreshes += 1
        if self.chosen is not None:
            row = self.model.find(self.chosen)
            if row is not None:
                self._view.show_detail(heading(row), row.review_completions)
        self.refreshed.emit()

    async def _load_detail(self) -> None:
        technician_id, days = self.chosen, self.days
        if technician_id is None:
            return
        detail = await self._client.technician_risk_detail(technician_id, days)
        if not shiboken6.isValid(self._view) or (technician_id, days) != (self.chosen, self.days):
            return
        self.detail = detail = pick_fields(detail)
        self.orders.set_rows(list(detail.orders))
        self._view.show_detail(heading(detail.risk), detail.risk.review_completions)
        if self._focus_drill_down:
            self._focus_drill_down = False
            self._view.focus_drill_down()
        self.detailLoaded.emit(technician_id)

    # -- the manual-review switch -------------------------------------------------------

    def request_review(self, technician_id: int, review: bool) -> None:
        self.actions.start(self.change_review(technician_id, review),
                           translate("RiskPresenter", "Changing the manual review"))

    async def change_review(self, technician_id: int, review: bool) -> bool:
        """Ask why and send it; True once saved."""
        row = self.model.find(technician_id)
        if row is None or row.review_completions == review:
            return False
        reason = refusal = ""
        while True:
            dialog = ReviewDialog(row.name, review, self._parent_widget)
            if reason:
                dialog.reason_edit.setPlainText(reason)
            if refusal:
                dialog.show_refusal(refusal)
            if not await self._open(dialog):
                return False
            reason = dialog.reason()
            change = ReviewCompletionsUpdate(review=review, version=row.review_version,
                                             reason=reason)
            try:
                saved = await self._client.set_review_completions(technician_id, change)
            except ApiError as exc:
                if exc.status == 422:
                    refusal = exc.detail or str(exc)
                    continue
                if exc.status != 409:
                    raise
                self._route.warning(translate(
                    "RiskPresenter", "The manual review of {0} was changed by someone else "
                    "meanwhile; it is loaded again.").format(row.name))
                self.refresh(force=True)
                return False
            self._replace(row.model_copy(update={"review_completions": saved.review_completions,
                                                 "review_version": saved.version}))
            self._route.info(
                translate("RiskPresenter", "Completions of {0} now go to manual review.")
                .format(row.name) if saved.review_completions else
                translate("RiskPresenter", "Completions of {0} no longer go to manual review.")
                .format(row.name))
            self.saved.emit(technician_id)
            self.refresh(force=True)
            return True

    def _replace(self, saved: TechnicianRiskOut) -> None:
        self.model.set_rows([saved if r.technician_id == saved.technician_id else r
                             for r in self.model.rows()])
        if saved.technician_id == self.chosen:
            self._view.show_detail(heading(saved), saved.review_completions)
