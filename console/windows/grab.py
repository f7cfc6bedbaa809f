"""The grab pool monitor (抢单池): a dock beside the queue with the offers and their fate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.grab.pool import PoolClient, PoolMonitorPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_dock import side_dock
from ui.grab.pool_monitor import PoolMonitorView

translate = QCoreApplication.translate


def has_pool(client: object) -> TypeGuard[PoolClient]:
    """Clients of a server without the grab pool (and older fakes) have no pool monitor."""
    return callable(getattr(client, "grab_pool", None))


class PoolMonitorDesk(QObject):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail."""

    def __init__(self, client: PoolClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_screen = False
        self.view = PoolMonitorView()
        self.dock = side_dock(window, "poolMonitorDock", self.view, queue_dock)
        self.presenter = PoolMonitorPresenter(client, self.view, route,
                                              visible=self.is_visible, parent=self)
        self.view.orderOpened.connect(open_order)
        self.presenter.countsChanged.connect(self._set_title)
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self._set_title(0)
        self.presenter.start()

    def is_visible(self) -> bool:
        """On screen: not closed, not behind the queue's tab (where isVisible() stays True)."""
        return self._on_screen and self.dock.isVisible()

    def show_desk(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.view.focus_current()

    def _visibility_changed(self, visible: bool) -> None:
        self._on_screen = visible
        if visible:
            self.presenter.refresh()

    def _set_title(self, open_offers: int) -> None:
        title = translate("PoolMonitorDesk", "Grab pool")
        if open_offers:
            title = translate("PoolMonitorDesk", "Grab pool ({0} open)").format(open_offers)
        self.dock.setWindowTitle(title)

    def stop(self) -> None:
        self.presenter.stop()
