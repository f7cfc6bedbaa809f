"""The dispatch workspace (派单工作台): a dock beside the queue with the orders needing a
person and the ranked candidates of the selected one; assign by keyboard, mouse, drag or map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from console.models.orders.queue import StoreLike
from console.presenters.dispatch.desk import DispatchClient, DispatchPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_desk import SideDesk
from ui.dispatch.view import DispatchView

translate = QCoreApplication.translate
SHORTCUT = "Ctrl+D"
SETTLE_MS = 400  # store changes come in bursts; refresh once after they settle
TICK_MS = 30_000  # waited times and SLA colours move with the clock


class DispatchDesk(SideDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail.

    `map_widget`: its orderDroppedOnTechnician(int, int) assigns, technicianClicked(int)
    picks that technician's candidate row (both optional). `store`: its changes refresh the
    list (its rows also give the versions of queue orders shown for reassigning or pinning).
    """

    def __init__(self, client: DispatchClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 map_widget: QWidget | None = None, store: StoreLike | None = None,
                 parent: QObject | None = None) -> None:
        self.view = DispatchView()
        super().__init__(window, "dispatchDock", self.view, queue_dock=queue_dock, parent=parent)
        self._open_order = open_order
        rows = (lambda i: store.rows.get(i)) if store is not None else None
        self.presenter = DispatchPresenter(client, self.view, route, rows=rows,
                                           parent_widget=window, visible=self.is_visible,
                                           parent=self)
        self.presenter.countChanged.connect(self._set_title)
        self.view.orderSelected.connect(self._order_selected)
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), window)
        self.shortcut.activated.connect(self.show_desk)
        self._connect_map(map_widget)
        # Timers of their own, as Polling has neither: a debounce that restarts with each store
        # change, and a repaint of waited times that fetches nothing. Children of the dock:
        # they go with it and never fire into deleted widgets.
        self._settle = QTimer(self.dock)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._refresh_if_visible)
        self._tick = QTimer(self.dock)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.presenter.needs.tick)
        self._unsubscribe = store.subscribe(self._store_changed) if store is not None else None
        self._set_title(0)
        # Refreshing needs the asyncio loop: ticks before it runs (or in plain Qt) do nothing.
        self.presenter.start()

    def _connect_map(self, map_widget: QWidget | None) -> None:
        dropped = getattr(map_widget, "orderDroppedOnTechnician", None)
        if dropped is not None:
            dropped.connect(self.presenter.assign_to)
        clicked = getattr(map_widget, "technicianClicked", None)
        if clicked is not None:
            clicked.connect(self.view.candidates.select_key)

    def focus(self) -> None:
        self.view.focus_orders()

    def show_order(self, order_id: int) -> None:
        """Candidates for any order (an assigned one from the queue: reassign, pin, unpin)."""
        self.presenter.show_order(order_id)

    def _order_selected(self, order_id: object) -> None:
        # Behind the queue's tab a refresh may move the selection; the detail stays put.
        if isinstance(order_id, int) and self.is_visible():
            self._open_order(order_id)

    def _store_changed(self, change: Any) -> None:
        listed = {r.order.id for r in self.presenter.needs.rows()}
        rows = getattr(change, "rows", [])
        if getattr(change, "kind", "") == "reset" or any(
                r.id in listed or r.state == "dispatching" for r in rows):
            self._settle.start()

    def _refresh_if_visible(self) -> None:
        if self.is_visible():
            self.presenter.refresh(force=True)  # the store moved on: a fetch under way is stale

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh(force=True)
            self._tick.start()
        else:
            self._tick.stop()

    def _set_title(self, count: int) -> None:
        title = translate("DispatchDesk", "Dispatch desk")
        if count:
            title = translate("DispatchDesk", "Dispatch desk ({0} need a person)").format(count)
        self.dock.setWindowTitle(title)

    def stop(self) -> None:
        self.presenter.stop()
        for timer in (self._settle, self._tick):
            timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
