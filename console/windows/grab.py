"""The grab pool monitor (抢单池): a dock beside the queue with the offers and their fate."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.grab.pool import PoolClient, PoolMonitorPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_desk import SideDesk
from ui.grab.pool_monitor import PoolMonitorView

translate = QCoreApplication.translate


class PoolMonitorDesk(SideDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail."""

    def __init__(self, client: PoolClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 parent: QObject | None = None) -> None:
        self.view = PoolMonitorView()
        super().__init__(window, "poolMonitorDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = PoolMonitorPresenter(client, self.view, route,
                                              visible=self.is_visible, parent=self)
        self.view.orderOpened.connect(open_order)
        self.presenter.countsChanged.connect(self._set_title)
        self._set_title(0)
        self.presenter.start()

    def focus(self) -> None:
        self.view.focus_current()

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh()

    def _set_title(self, open_offers: int) -> None:
        title = translate("PoolMonitorDesk", "Grab pool")
        if open_offers:
            title = translate("PoolMonitorDesk", "Grab pool ({0} open)").format(open_offers)
        self.dock.setWindowTitle(title)

    def stop(self) -> None:
        self.presenter.stop()
