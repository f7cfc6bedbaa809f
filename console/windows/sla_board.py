"""The supervisor board workspace (时效看板): a dock beside the queue with live counts of
warnings and breaches, the open alerts by deadline and on-time charts; it follows the change
feed's SLA alerts through the order store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.sla.board import BoardClient, BoardPresenter
from console.windows.side_desk import CountedDesk
from core.clock import WALL_CLOCK
from core.contracts import ChangeEvent
from ui.formatting import SHANGHAI
from ui.sla.board import BoardView

translate = QCoreApplication.translate
# store.subscribe_events: takes a callback of a list of feed events, returns the unsubscriber.
SubscribeEvents = Callable[[Callable[[list[ChangeEvent]], None]], Callable[[], None]]


class BoardDesk(CountedDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail. The
    title counts the open breaches. The charts load when the dock first comes on screen."""

    def __init__(self, client: BoardClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 subscribe_events: SubscribeEvents | None = None,
                 today: Callable[[], date] = lambda: WALL_CLOCK.now().astimezone(
                     SHANGHAI).date(),
                 parent: QObject | None = None) -> None:
        self.view = BoardView()
        super().__init__(window, "slaBoardDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = BoardPresenter(client, self.view, route, today=today,
                                        visible=self.is_visible, parent=self)
        self._unsubscribe = (subscribe_events(self.presenter.on_events)
                             if subscribe_events is not None else None)
        self._rates_loaded = False
        self.follow(open_order)

    def waiting(self) -> int:
        return self.presenter.counts()[2]

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("BoardDesk", "SLA board ({0} breached)").format(waiting)
        return translate("BoardDesk", "SLA board")

    def on_screen(self, visible: bool) -> None:
        super().on_screen(visible)
        if visible and not self._rates_loaded:
            self._rates_loaded = True
            self.presenter.load_rates()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().stop()
