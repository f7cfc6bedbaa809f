"""The Routes dock (路线): a technician's day as a timeline, and as a path on the map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from console.presenters.messages import MessageRoute
from console.presenters.routes.day import RouteClient, RoutePresenter
from console.presenters.tasks import loop_running
from console.windows.side_desk import SideDesk
from core.clock import WALL_CLOCK
from ui.formatting import SHANGHAI
from ui.routes.timeline import RoutePanel

translate = QCoreApplication.translate
# store.subscribe: takes a callback of StoreChange (kind, rows), returns the unsubscriber.
Subscribe = Callable[[Callable[[Any], None]], Callable[[], None]]


class RouteDesk(SideDesk):
    """Assembles panel, presenter and dock; `open_order(id)` shows a clicked visit's order.

    Choosing a technician (in the panel, or by clicking them on the map) shows their day; with
    `subscribe` (the order store's) a change to one of their orders re-plans it.
    """

    def __init__(self, client: RouteClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 map_widget: QWidget | None = None, subscribe: Subscribe | None = None,
                 parent: QObject | None = None) -> None:
        self.panel = RoutePanel()
        self.panel.set_day(WALL_CLOCK.now().astimezone(SHANGHAI).date())
        super().__init__(window, "routesDock", self.panel, queue_dock=queue_dock,
                         title=translate("RouteDesk", "Routes"), parent=parent)
        self.presenter = RoutePresenter(client, self.panel, route, map_widget=map_widget,
                                        parent=self)
        self.panel.timeline.orderActivated.connect(open_order)
        self.presenter.techniciansLoaded.connect(self._technicians_loaded)
        self._wanted: int | None = None  # picked on the map before the list arrived
        self._map = map_widget
        clicked = getattr(map_widget, "technicianClicked", None)
        if clicked is not None:
            clicked.connect(self.show_technician)
        self._unsubscribe: Callable[[], None] | None = (
            subscribe(self._store_changed) if subscribe is not None else None)
        self._loaded = False

    def show_technician(self, technician_id: int) -> None:
        """Show this technician's day (loading the technician list first if need be)."""
        if self.panel.choose_technician(technician_id):
            return
        self._wanted = technician_id
        if not self._loaded:
            self.start()

    def start(self) -> None:
        """Load the technicians (needs the running asyncio loop)."""
        self._loaded = True
        self.presenter.load_technicians()

    def _technicians_loaded(self, _count: int) -> None:
        if self._wanted is not None:
            wanted, self._wanted = self._wanted, None
            self.panel.choose_technician(wanted)

    def on_screen(self, visible: bool) -> None:
        if visible and not self._loaded and loop_running():
            self.start()

    def _store_changed(self, change: Any) -> None:
        self.presenter.orders_changed(change.kind, change.rows)

    def stop(self) -> None:
        self.presenter.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        clicked = getattr(self._map, "technicianClicked", None)
        if clicked is not None:
            try:
                clicked.disconnect(self.show_technician)
            except (RuntimeError, TypeError):
                pass  # the map went first
