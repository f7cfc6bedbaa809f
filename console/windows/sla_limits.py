"""The SLA time limits workspace (时限): a dock beside the queue with a region's limits per step
and the editor of what a scope sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.sla.limits import LimitsClient, LimitsPresenter
from console.windows.side_desk import SideDesk
from core.clock import WALL_CLOCK
from ui.sla.limits import LimitsView

translate = QCoreApplication.translate


class LimitsDesk(SideDesk):
    """Assembles view, presenter and dock. `can_edit`: supervisors and admins change limits;
    others read them; `now` dates a new suspension. The default scope is loaded when the dock
    first comes on screen."""

    def __init__(self, client: LimitsClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 can_edit: bool = False, now: Callable[[], datetime] = WALL_CLOCK.now,
                 parent: QObject | None = None) -> None:
        self.view = LimitsView()
        super().__init__(window, "slaLimitsDock", self.view, queue_dock=queue_dock,
                         title=translate("LimitsDesk", "Time limits"), parent=parent)
        self._open_order = open_order
        self._loaded = False
        self.presenter = LimitsPresenter(client, self.view, route, editable=can_edit,
                                         parent_widget=window, now=now, parent=self)

    def on_screen(self, visible: bool) -> None:
        if visible and not self._loaded:
            self._loaded = True
            self.presenter.load("default")

    def focus(self) -> None:
        self.view.region_edit.setFocus()

    def stop(self) -> None:
        """Nothing polls: limits are fetched on demand."""
