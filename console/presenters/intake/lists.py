"""Keeps the Intake workspace's lists current: arrivals, coverage gaps, reviews, problems."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.language import pick
from console.models.intake.arrivals import ArrivalsModel, CoverageGapModel
from console.models.intake.messages import MessageModel
from console.models.intake.reviews import ReviewModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import PolledList, Polling
from core.contracts import OrderDetail
from core.contracts.intake import (
    ArrivalStats,
    CoverageGap,
    ImportPreview,
    IntakeMessageOut,
    IntakeMessagePage,
    IntakeReceipt,
    MessageStatus,
    PlatformOut,
    ReviewDecision,
    ReviewPage,
)
from ui.intake import labels as intake_labels
from ui.intake.view import IntakeView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 2000
# A hidden workspace refreshes rarely: its counts still show in its tab title.
HIDDEN_REFRESH_MS = 15_000
PAGE = 200


class IntakeClient(Protocol):
    async def arrivals(self, since: datetime | None = None) -> ArrivalStats: ...
    async def coverage_gaps(self) -> list[CoverageGap]: ...
    async def reviews(self) -> ReviewPage: ...
    async def intake_messages(
        self, *, status: str | None = None, platform: str | None = None, limit: int = PAGE,
        cursor: str | None = None,
    ) -> IntakeMessagePage: ...
    async def intake_message(self, message_id: int) -> IntakeMessageOut: ...
    async def retry_message(
        self, message_id: int, payload: str | None = None) -> IntakeReceipt: ...
    async def discard_message(self, message_id: int, reason: str) -> IntakeMessageOut: ...
    async def decide_review(self, order_id: int, decision: ReviewDecision) -> OrderDetail: ...
    async def intake_platforms(self) -> list[PlatformOut]: ...
    async def preview_import(
        self, platform: str, body: bytes, content_type: str, filename: str) -> ImportPreview: ...
    async def import_file(
        self, platform: str, body: bytes, content_type: str, filename: str) -> IntakeReceipt: ...


def status_options() -> list[tuple[str, str]]:
    names = intake_labels.status_labels()
    options = [(s, names[s]) for s in ("dead", "refused", "retried", "discarded", "converted")]
    return [*options, ("", translate("IntakePresenter", "All"))]


class IntakePresenter(PolledList, QObject):
    """Refreshes every REFRESH_MS (skipped while a refresh is under way; hidden, every
    HIDDEN_REFRESH_MS) and on request.

    Signals: refreshed() after the lists were replaced; countsChanged(int reviews, int problems).
    """

    refreshed = Signal()
    countsChanged = Signal(int, int)

    def __init__(self, client: IntakeClient, view: IntakeView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._view = view
        self._route = route
        self.arrivals = ArrivalsModel(self)
        self.gaps = CoverageGapModel(self)
        self.reviews = ReviewModel(self)
        self.messages = MessageModel(self)
        self.status = MessageStatus.DEAD.value
        self.review_total = self.problem_total = 0
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("IntakePresenter", "Refreshing the intake lists"), log,
                               every_ms=interval_ms, owner=view, visible=visible,
                               hidden_every_ms=HIDDEN_REFRESH_MS)
        self._shown: IntakeMessageOut | None = None
        view.set_models(self.arrivals, self.gaps, self.reviews, self.messages)
        view.set_status_options(status_options(), self.status)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.statusChanged.connect(self.set_status)
        view.messageSelected.connect(self._message_selected)

    def set_status(self, status: str) -> None:
        self.status = status
        self.refresh(force=True)

    # -- fetching ----------------------------------------------------------------------

    async def _refresh(self) -> None:
        status = self.status
        arrivals, gaps, reviews, messages, dead = await asyncio.gather(
            self._client.arrivals(),
            self._client.coverage_gaps(),
            self._client.reviews(),
            self._client.intake_messages(status=status or None, limit=PAGE),
            self._dead_page(status),
        )
        if shiboken6.isValid(self._view):  # the window may have closed meanwhile
            self._apply(arrivals, gaps, reviews, messages, dead)

    async def _dead_page(self, status: str) -> IntakeMessagePage | None:
        """The problem count, when the list shows another status."""
        if status == MessageStatus.DEAD:
            return None
        return await self._client.intake_messages(status=MessageStatus.DEAD.value, limit=PAGE)

    def _apply(self, arrivals: ArrivalStats, gaps: list[CoverageGap], reviews: ReviewPage,
               messages: IntakeMessagePage, dead: IntakeMessagePage | None) -> None:
        self.refreshes += 1
        self.arrivals.set_rows(list(arrivals.platforms))
        self.gaps.set_rows(sorted(gaps, key=lambda g: (-g.orders, g.county_adcode)))
        self.reviews.set_rows(list(reviews.rows))
        self.messages.set_rows(list(messages.rows))
        dead_page = messages if dead is None else dead
        self.review_total = reviews.total
        self.problem_total = len(dead_page.rows)
        self._view.set_counts(self.review_total, self.problem_total)
        self._view.set_headline(self.headline(dead_page.next_cursor is not None))
        self._message_selected(self._view.message_table.current_key())
        self.countsChanged.emit(self.review_total, self.problem_total)
        self.refreshed.emit()

    def headline(self, more_problems: bool = False) -> str:
        t = self.arrivals.totals()
        text = translate(
            "IntakePresenter",
            "Today: {0} received, {1} converted, {2} to review, {3} refused, {4} problems",
        ).format(t["received"], t["converted"], t["review"], t["refused"], t["dead"])
        if more_problems:
            text += translate("IntakePresenter", " (problem list shows the newest {0})").format(
                PAGE)
        return text

    def _message_selected(self, key: object) -> None:
        message = self.messages.find(key) if isinstance(key, int) else None
        if message == self._shown:
            return  # a refresh brought the same message: keep the viewer's scroll position
        self._shown = message
        if message is None:
            self._view.clear_message()
            return
        self._view.show_message(message.payload, pick(message.reason), message.field,
                                resolvable=message.status == MessageStatus.DEAD)
