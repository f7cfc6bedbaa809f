"""Keeps the verification review current and turns its keys and clicks into calls: the queue
on a timer while on screen (photos and flags arrive without changing the order's version, so
the queue is polled, and the shown order's evidence reloaded when its row says something
changed), the chosen order's evidence, its thumbnails fetched and decoded off the GUI thread,
and one decision at a time (a reason asked to reject, or to approve what is not ready; a
conflict refreshes the queue)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.language import pick_fields
from console.models.fieldwork.review import ReviewQueueModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling, spawn
from core.contracts.fieldwork.review import (
    EvidenceOut,
    ReviewQueueOut,
    ReviewRowOut,
    VerificationDecision,
    VerificationDecisionOut,
)
from ui.fieldwork.review import DecisionDialog, ReviewView
from ui.fieldwork.review_labels import item_labels, label

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 10_000  # photos arrive while an order waits: ten seconds is current enough
LIMIT = 200


class ReviewClient(Protocol):
    async def verification_reviews(self, limit: int = LIMIT) -> ReviewQueueOut: ...
    async def order_evidence(self, order_id: int) -> EvidenceOut: ...
    async def photo_thumbnail(self, photo_id: int) -> bytes: ...
    async def decide_verification(self, order_id: int, decision: VerificationDecision
                                  ) -> VerificationDecisionOut: ...


def decode(data: bytes) -> QImage:
    """The thumbnail's picture (a null image when the bytes are not one); QImage, unlike
    QPixmap, may be made off the GUI thread."""
    image = QImage()
    image.loadFromData(data)
    return image


def _changed(row: ReviewRowOut, shown: EvidenceOut) -> bool:
    """The queue's row says more than the evidence shown: a new version, photo or flag."""
    return (row.version, row.photos, row.flags) != (
        shown.order.version, shown.photos.count, len(shown.flags))


class ReviewPresenter(PolledList, DialogHost, QObject):
    """Fetches the queue on a timer while `visible()` and on request, the chosen order's
    evidence when the choice changes, then its thumbnails (each photo once: a photo never
    changes).

    Signals: refreshed() after the queue was replaced; evidenceShown(int order id);
    thumbnailShown(int photo id); decided(int order id, bool approved).
    """

    refreshed = Signal()
    evidenceShown = Signal(int)
    thumbnailShown = Signal(int)
    decided = Signal(int, bool)

    def __init__(self, client: ReviewClient, view: ReviewView, route: MessageRoute, *,
                 interval_ms: int = REFRESH_MS, visible: Callable[[], bool] = lambda: True,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.model = ReviewQueueModel(self)
        self.queue: ReviewQueueOut | None = None
        self.evidence: EvidenceOut | None = None
        self.thumbnails: dict[int, QImage] = {}
        self._loading: asyncio.Task[None] | None = None
        self._wanted: int | None = None
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("ReviewPresenter", "Refreshing the verification queue"),
                               log, every_ms=interval_ms, owner=view, visible=visible)
        self._actions = OneAction(route, view, after=lambda: self.refresh(force=True))
        view.set_model(self.model)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.orderSelected.connect(self.show_order)
        view.approveRequested.connect(lambda order_id: self._actions.start(
            self.approve(order_id), translate("ReviewPresenter", "Approving the verification")))
        view.rejectRequested.connect(lambda order_id: self._actions.start(
            self.reject(order_id), translate("ReviewPresenter", "Rejecting the verification")))

    def acting(self) -> bool:
        return self._actions.acting

    def loading(self) -> bool:
        return self._loading is not None and not self._loading.done()

    # -- the queue -----------------------------------------------------------------------

    async def _refresh(self) -> None:
        queue = await self._client.verification_reviews(LIMIT)
        if not shiboken6.isValid(self._view):
            return
        self.queue = queue
        self.refreshes += 1
        self.model.set_rows([pick_fields(row) for row in queue.rows])  # verdicts: one language
        counts = self.model.counts()
        self._view.set_counts(translate(
            "ReviewPresenter", "{0} served: {1} flagged, {2} incomplete, {3} ready").format(
            queue.served, counts["flagged"], counts["incomplete"], counts["ready"]))
        self._view.select_first()
        shown = self.evidence
        row = self.model.find(shown.order.id) if shown is not None else None
        if shown is not None and row is not None and _changed(row, shown):
            self.show_order(shown.order.id)
        self.refreshed.emit()

    # -- one order's evidence ------------------------------------------------------------

    def show_order(self, order_id: int | None) -> None:
        """Load the order's evidence (the latest choice wins; None clears it)."""
        self._wanted = order_id
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        if order_id is None:
            self.evidence = None
            self._view.clear_evidence()
            return
        self._loading = spawn(self._load(order_id), self._route,
                              translate("ReviewPresenter", "Loading the order's evidence"))

    async def _load(self, order_id: int) -> None:
        evidence = await self._client.order_evidence(order_id)
        if self._wanted != order_id or not shiboken6.isValid(self._view):
            return
        self.evidence = evidence = pick_fields(evidence)  # every judgement in one language
        self._view.show_evidence(evidence)
        self.evidenceShown.emit(order_id)
        await asyncio.gather(*(self._thumbnail(p.id) for p in evidence.photos.photos))

    async def _thumbnail(self, photo_id: int) -> None:
        image = self.thumbnails.get(photo_id)
        if image is None:
            try:
                data = await self._client.photo_thumbnail(photo_id)
            except ApiError as exc:
                log.info("thumbnail of photo %s: %s", photo_id, exc)
                data = b""
            # Decoding a JPEG is work: a worker thread does it, the GUI thread only shows it.
            image = await asyncio.get_running_loop().run_in_executor(None, decode, data)
            if not image.isNull():
                self.thumbnails[photo_id] = image
        if shiboken6.isValid(self._view) and self._view.set_thumbnail(
                photo_id, None if image.isNull() else image):
            self.thumbnailShown.emit(photo_id)

    # -- the decision --------------------------------------------------------------------

    def _version(self, order_id: int, row: ReviewRowOut) -> int:
        """The version the reviewer saw: the evidence's when it is this order's."""
        shown = self.evidence
        return shown.order.version if shown is not None and shown.order.id == order_id \
            else row.version

    async def approve(self, order_id: int) -> bool:
        """Verify; what is not ready asks why first."""
        row = self.model.find(order_id)
        if row is None:
            return False
        reason = translate("ReviewPresenter", "Evidence checked")
        if row.verdict != "ready":
            items = item_labels()
            dialog = DecisionDialog(row.order_no, True, translate("ReviewPresenter", ", ").join(
                label(items, item) for item in row.open_items), self._parent_widget)
            if not await self._open(dialog):
                return False
            reason = dialog.reason()
        return await self._decide(row, True, reason)

    async def reject(self, order_id: int) -> bool:
        """Freeze the order (and its fee), with a reason."""
        row = self.model.find(order_id)
        if row is None:
            return False
        dialog = DecisionDialog(row.order_no, False, parent=self._parent_widget)
        if not await self._open(dialog):
            return False
        return await self._decide(row, False, dialog.reason())

    async def _decide(self, row: ReviewRowOut, approve: bool, reason: str) -> bool:
        decision = VerificationDecision(approve=approve, version=self._version(row.order_id,
                                                                               row),
                                        reason=reason)
        try:
            done = await self._client.decide_verification(row.order_id, decision)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("verification of order %s is stale: %s", row.order_id, exc)
            self._route.warning(translate(
                "ReviewPresenter", "Order {0} was changed or decided by someone else "
                "meanwhile; the queue is refreshed.").format(row.order_no))
            return False
        if approve:
            text = translate("ReviewPresenter", "Order {0} verified.").format(done.order_no)
        else:
            text = translate("ReviewPresenter", "Order {0} rejected: frozen with its "
                             "fee.").format(done.order_no)
        self._route.info(text)
        self.decided.emit(row.order_id, approve)
        return True
