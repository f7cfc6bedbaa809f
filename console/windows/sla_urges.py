"""Urges (催单): a dock beside the queue for agents and supervisors with the urges sorted by
time left, unanswered first, their replies, one key to the order, urging by hand from it; it
follows the change feed's urges and replies through the order store."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.sla.urges import UrgeClient, UrgePresenter
from console.windows.side_desk import CountedDesk
from console.windows.sla_board import SubscribeEvents
from ui.sla.urges import UrgeView

translate = QCoreApplication.translate


class UrgeDesk(CountedDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail. The
    title counts the unanswered urges."""

    def __init__(self, client: UrgeClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, role: str = "agent",
                 queue_dock: QDockWidget | None = None,
                 subscribe_events: SubscribeEvents | None = None,
                 parent: QObject | None = None) -> None:
        self.view = UrgeView()
        super().__init__(window, "slaUrgeDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = UrgePresenter(client, self.view, route, role=role,
                                       visible=self.is_visible, parent_widget=window,
                                       parent=self)
        self._unsubscribe = (subscribe_events(self.presenter.on_events)
                             if subscribe_events is not None else None)
        self.follow(open_order)

    def waiting(self) -> int:
        return self.presenter.unanswered()

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("UrgeDesk", "Urges ({0} unanswered)").format(waiting)
        return translate("UrgeDesk", "Urges")

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().stop()
