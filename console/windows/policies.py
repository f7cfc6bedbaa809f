"""The dispatch policies workspace (派单策略): a dock beside the queue with the region tree and
the selected region's policy form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.policies.editor import PolicyClient, PolicyPresenter
from console.windows.side_desk import SideDesk
from ui.policies.view import PolicyView

translate = QCoreApplication.translate


class PolicyDesk(SideDesk):
    """Assembles view, presenter and dock. `can_edit`: the user may change policies
    (supervisors and admins); others read them. `open_order` is unused (policies show no
    orders) but kept so every desk is built alike."""

    def __init__(self, client: PolicyClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 can_edit: bool = False, parent: QObject | None = None) -> None:
        self.view = PolicyView()
        super().__init__(window, "policyDock", self.view, queue_dock=queue_dock,
                         title=translate("PolicyDesk", "Dispatch policies"), parent=parent)
        self._open_order = open_order
        self.presenter = PolicyPresenter(client, self.view, route, editable=can_edit,
                                         parent_widget=window, parent=self)

    def focus(self) -> None:
        self.view.tree.setFocus()

    def stop(self) -> None:
        """Nothing polls (policies are fetched when the dock comes on screen and after edits);
        a region still loading is let go."""
        self.presenter.stop()
