"""The technician risk dock (技师风险): technicians by risk score beside the queue, the chosen
one's flagged orders (Enter opens an order in the detail), and routing his completions to
manual review. Supervisors and admins (the role's spec decides; the server checks it too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.fieldwork.risk import RiskClient, RiskPresenter
from console.presenters.messages import MessageRoute
from console.windows.side_desk import SideDesk
from ui.fieldwork.risk import RiskView

translate = QCoreApplication.translate


class RiskDesk(SideDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows a flagged order."""

    def __init__(self, client: RiskClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 parent: QObject | None = None) -> None:
        self.view = RiskView()
        super().__init__(window, "riskDock", self.view, queue_dock=queue_dock,
                         title=translate("RiskDesk", "Technician risk"), parent=parent)
        self.presenter = RiskPresenter(client, self.view, route, visible=self.is_visible,
                                       parent_widget=window, parent=self)
        self.view.orderOpened.connect(open_order)
        self.presenter.start()

    def focus(self) -> None:
        self.view.focus_current()

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh()

    def stop(self) -> None:
        self.presenter.stop()
        self.presenter.detail_polling.stop()
