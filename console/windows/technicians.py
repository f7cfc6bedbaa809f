"""The technicians dock (师傅): each technician's dispatch settings beside the queue; supervisors
and admins change them, everyone else reads them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.technicians.settings import TechnicianClient, TechnicianPresenter
from console.windows.side_dock import side_dock
from ui.technicians.view import TechnicianTableView

translate = QCoreApplication.translate


def has_technicians_edit(client: object) -> TypeGuard[TechnicianClient]:
    """Clients of a server without technician settings (and older fakes) have no such dock."""
    return all(callable(getattr(client, name, None))
               for name in ("technicians", "update_technician", "technician_log"))


class TechnicianDesk(QObject):
    """Assembles view, presenter and dock. `open_order(id)` is kept for the desks' common
    signature (a technician row opens no order); `can_edit` for supervisors and admins."""

    def __init__(self, client: TechnicianClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 can_edit: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_screen = False
        self._open_order = open_order
        self.view = TechnicianTableView()
        self.dock = side_dock(window, "technicianDock", self.view, queue_dock,
                              title=translate("TechnicianDesk", "Technicians"))
        self.presenter = TechnicianPresenter(client, self.view, route, editable=can_edit,
                                             visible=self.is_visible, parent_widget=window,
                                             parent=self)
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self.presenter.start()

    def is_visible(self) -> bool:
        """On screen: not closed, not behind the queue's tab (where isVisible() stays True)."""
        return self._on_screen and self.dock.isVisible()

    def show_desk(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.presenter.refresh()
        self.view.focus_current()

    def _visibility_changed(self, visible: bool) -> None:
        self._on_screen = visible
        if visible:
            self.presenter.refresh()

    def stop(self) -> None:
        self.presenter.stop()
