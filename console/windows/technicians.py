"""The technicians dock (师傅): each technician's dispatch settings beside the queue; supervisors
and admins change them, everyone else reads them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.technicians.settings import TechnicianClient, TechnicianPresenter
from console.windows.side_desk import SideDesk
from ui.technicians.view import TechnicianTableView

translate = QCoreApplication.translate


class TechnicianDesk(SideDesk):
    """Assembles view, presenter and dock. `open_order(id)` is kept for the desks' common
    signature (a technician row opens no order); `can_edit` for supervisors and admins."""

    def __init__(self, client: TechnicianClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 can_edit: bool = False, parent: QObject | None = None) -> None:
        self.view = TechnicianTableView()
        super().__init__(window, "technicianDock", self.view, queue_dock=queue_dock,
                         title=translate("TechnicianDesk", "Technicians"), parent=parent)
        self._open_order = open_order
        self.presenter = TechnicianPresenter(client, self.view, route, editable=can_edit,
                                             visible=self.is_visible, parent_widget=window,
                                             parent=self)
        self.presenter.start()

    def focus(self) -> None:
        self.presenter.refresh()
        self.view.focus_current()

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh()

    def stop(self) -> None:
        self.presenter.stop()
