"""The verification review (核验审核): a dock beside the queue with the served orders waiting
for verification and the chosen one's evidence chain, approved or rejected from the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.fieldwork.review import ReviewClient, ReviewPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_desk import CountedDesk
from ui.fieldwork.review import ReviewView

translate = QCoreApplication.translate


class ReviewDesk(CountedDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail."""

    def __init__(self, client: ReviewClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 parent: QObject | None = None) -> None:
        self.view = ReviewView()
        super().__init__(window, "verificationReviewDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = ReviewPresenter(client, self.view, route, visible=self.is_visible,
                                         parent_widget=window, parent=self)
        self.follow(open_order)

    def waiting(self) -> int:
        return self.presenter.model.rowCount()

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("ReviewDesk", "Verification review ({0})").format(waiting)
        return translate("ReviewDesk", "Verification review")
