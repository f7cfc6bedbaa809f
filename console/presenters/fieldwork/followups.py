"""Keeps the follow-up worklist current and turns its keys and clicks into outcomes: the list on
a timer while on screen (calls fall due by the clock, not by a change the feed carries), the
chosen call's script, and one outcome at a time from the version seen — a rating at once, a
problem and an unreachable customer through a form; a conflict refreshes the list and says so,
every refusal in the server's own words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.models.fieldwork.followups import WorklistModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.clock import WALL_CLOCK
from core.contracts.fieldwork.followups import (
    FollowupOutcomeIn,
    FollowupOutcomeOut,
    ReviewPolicyOut,
    WorklistOut,
    WorklistRowOut,
)
from ui.fieldwork.followup_dialogs import ProblemDialog, UnreachableDialog
from ui.fieldwork.followups import FollowupView
from ui.formatting import local_time

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 15_000  # calls fall due by the clock; a quarter minute is current enough
HIDDEN_MS = 60_000  # behind its tab the dock's title still counts the calls due
LIMIT = 200
# When the client's policy cannot be read: the built-in retry delay.
DEFAULT_RETRY = timedelta(hours=4)
Scope = Literal["due", "open"]


class FollowupClient(Protocol):
    async def followup_worklist(self, scope: Scope = "due", offset: int = 0,
                                limit: int = 50) -> WorklistOut: ...
    async def record_followup(self, followup_id: int,
                              outcome: FollowupOutcomeIn) -> FollowupOutcomeOut: ...
    async def review_policy(self, client_code: str) -> ReviewPolicyOut: ...


class FollowupPresenter(PolledList, DialogHost, QObject):
    """Fetches the worklist on a timer while `visible()` and on request, shows the chosen call,
    and records outcomes one at a time.

    Signals: refreshed() after the list was replaced; recorded(int follow-up id, str outcome).
    """

    refreshed = Signal()
    recorded = Signal(int, str)

    def __init__(self, client: FollowupClient, view: FollowupView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 now: Callable[[], datetime] = WALL_CLOCK.now,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route, self._now = client, view, route, now
        self._parent_widget = parent_widget
        self.model = WorklistModel(self)
        self.worklist: WorklistOut | None = None
        self.refreshes = 0
        self._retry: dict[str, timedelta] = {}  # each client's retry delay, read once
        self.polling = Polling(self._refresh, route,
                               translate("FollowupPresenter", "Refreshing the follow-up calls"),
                               log, every_ms=interval_ms, owner=view, visible=visible,
                               hidden_every_ms=HIDDEN_MS)
        self._actions = OneAction(route, view, after=lambda: self.refresh(force=True))
        view.set_model(self.model)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.scopeChanged.connect(lambda _scope: self.refresh(force=True))
        view.followupSelected.connect(self.show_followup)
        view.ratedRequested.connect(lambda followup_id, rating: self._actions.start(
            self.satisfied(followup_id, rating),
            translate("FollowupPresenter", "Recording the rating")))
        view.problemRequested.connect(lambda followup_id: self._actions.start(
            self.problem(followup_id), translate("FollowupPresenter", "Recording the problem")))
        view.unreachableRequested.connect(lambda followup_id: self._actions.start(
            self.unreachable(followup_id),
            translate("FollowupPresenter", "Recording the missed call")))

    def acting(self) -> bool:
        return self._actions.acting

    def due(self) -> int:
        """Calls due now, as the server counted them at the last refresh."""
        return self.worklist.due if self.worklist is not None else 0

    # -- the list ------------------------------------------------------------------------

    async def _refresh(self) -> None:
        scope: Scope = "open" if self._view.scope() == "open" else "due"
        worklist = await self._client.followup_worklist(scope, 0, LIMIT)
        if not shiboken6.isValid(self._view):
            return
        self.worklist = worklist
        self.refreshes += 1
        self.model.set_rows(list(worklist.rows))
        self._view.set_counts(translate(
            "FollowupPresenter", "{0} due now, {1} listed of {2}").format(
            worklist.due, len(worklist.rows), worklist.total))
        self._view.select_first()
        # The shown call follows its row: a new version, tries or due time.
        self.show_followup(self._view.current_followup())
        self.refreshed.emit()

    def show_followup(self, followup_id: int | None) -> None:
        row = self.model.find(followup_id) if followup_id is not None else None
        self._view.show_followup(row)

    # -- outcomes ------------------------------------------------------------------------

    async def satisfied(self, followup_id: int, rating: int) -> bool:
        """The customer is satisfied: recorded at once with the rating (1-5)."""
        row = self.model.find(followup_id)
        if row is None:
            return False
        done = await self._send(row, FollowupOutcomeIn(
            version=row.version, outcome="satisfied", rating=rating))
        if done is None:
            return False
        self._route.info(translate(
            "FollowupPresenter", "Order {0}: satisfied, rated {1}.").format(row.order_no, rating))
        self.recorded.emit(followup_id, "satisfied")
        return True

    async def problem(self, followup_id: int) -> bool:
        """A problem: the complaint type and a note asked, then the order frozen with its fee
        and an after-sales order opened by the server."""
        row = self.model.find(followup_id)
        if row is None:
            return False
        dialog = ProblemDialog(row.order_no, self._parent_widget)
        if not await self._open(dialog):
            return False
        done = await self._send(row, FollowupOutcomeIn(
            version=row.version, outcome="problem",
            complaint_type=dialog.complaint_type(),  # type: ignore[arg-type]
            note=dialog.note()))
        if done is None:
            return False
        complaint = done.complaint
        if complaint is not None and complaint.after_sales_order_no:
            text = translate("FollowupPresenter", "Order {0}: problem recorded, frozen with its "
                             "fee; after-sales order {1} opened.").format(
                row.order_no, complaint.after_sales_order_no)
        else:
            text = translate("FollowupPresenter", "Order {0}: problem recorded, frozen with "
                             "its fee.").format(row.order_no)
        self._route.info(text)
        self.recorded.emit(followup_id, "problem")
        return True

    async def unreachable(self, followup_id: int) -> bool:
        """Nobody answered: the next try's time asked (the client's delay by default)."""
        row = self.model.find(followup_id)
        if row is None:
            return False
        now = self._now()
        retry_at = now + await self._retry_delay(row.client_code)
        if row.review_until is not None and retry_at > row.review_until:
            retry_at = max(now + timedelta(minutes=1), row.review_until - timedelta(minutes=1))
        dialog = UnreachableDialog(row.order_no, now, retry_at, row.review_until,
                                   self._parent_widget)
        if not await self._open(dialog):
            return False
        done = await self._send(row, FollowupOutcomeIn(
            version=row.version, outcome="unreachable", note=dialog.note(),
            retry_at=dialog.retry_at().astimezone(UTC)))
        if done is None:
            return False
        followup = done.followup
        if followup.status == "open":
            text = translate("FollowupPresenter", "Order {0}: unreachable; next call at {1}."
                             ).format(row.order_no, local_time(followup.due_at))
        else:
            text = translate("FollowupPresenter", "Order {0}: unreachable {1} times; no more "
                             "calls.").format(row.order_no, followup.attempts)
        self._route.info(text)
        self.recorded.emit(followup_id, "unreachable")
        return True

    async def _retry_delay(self, client_code: str) -> timedelta:
        if client_code not in self._retry:
            try:
                policy = await self._client.review_policy(client_code)
            except ApiError as exc:
                log.info("review policy of %s: %s", client_code, exc)
                return DEFAULT_RETRY
            self._retry[client_code] = timedelta(hours=policy.retry_hours)
        return self._retry[client_code]

    async def _send(self, row: WorklistRowOut,
                    outcome: FollowupOutcomeIn) -> FollowupOutcomeOut | None:
        """The outcome from the version seen; None when someone else got there first (the
        list is refreshed after every action, and the server's words say what happened)."""
        try:
            return await self._client.record_followup(row.followup_id, outcome)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("follow-up %s is stale: %s", row.followup_id, exc)
            self._route.warning(translate(
                "FollowupPresenter", "The call about order {0} was changed or recorded by "
                "someone else meanwhile; the list is refreshed. ({1})").format(
                row.order_no, exc.detail or exc.title))
            return None
