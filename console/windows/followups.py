"""Follow-up calls (回访): a dock beside the queue with the calls to make and the chosen one's
script, outcomes from the keyboard; and, for supervisors, complaints (投诉) ruled beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.fieldwork.complaints import ComplaintClient, ComplaintPresenter
from console.presenters.fieldwork.followups import FollowupClient, FollowupPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_desk import CountedDesk
from core.clock import WALL_CLOCK
from ui.fieldwork.complaints import ComplaintView
from ui.fieldwork.followups import FollowupView

translate = QCoreApplication.translate


class FollowupDesk(CountedDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail. The
    title counts the calls due now."""

    def __init__(self, client: FollowupClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 now: Callable[[], datetime] = WALL_CLOCK.now,
                 parent: QObject | None = None) -> None:
        self.view = FollowupView()
        super().__init__(window, "followupDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = FollowupPresenter(client, self.view, route, visible=self.is_visible,
                                           now=now, parent_widget=window, parent=self)
        self.follow(open_order)

    def waiting(self) -> int:
        return self.presenter.due()

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("FollowupDesk", "Follow-up calls ({0})").format(waiting)
        return translate("FollowupDesk", "Follow-up calls")


class ComplaintDesk(CountedDesk):
    """The supervisor's complaints; the title counts the open ones."""

    def __init__(self, client: ComplaintClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 parent: QObject | None = None) -> None:
        self.view = ComplaintView()
        super().__init__(window, "complaintDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = ComplaintPresenter(client, self.view, route, visible=self.is_visible,
                                            parent_widget=window, parent=self)
        self.follow(open_order)

    def waiting(self) -> int:
        return self.presenter.open_count()

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("ComplaintDesk", "Complaints ({0})").format(waiting)
        return translate("ComplaintDesk", "Complaints")
