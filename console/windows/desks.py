"""The dispatch docks of a workspace: dispatch desk, day routes, grab pool, region policies,
technicians' dispatch settings.

Each dock appears when the role's spec asks for it and the client has its calls (an older
server, or a test's fake client, may have none of them).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QWidget

from console.models.orders.queue import StoreLike
from console.presenters.messages import MessageRoute
from console.windows.dispatch import DispatchDesk, has_dispatch
from console.windows.grab import PoolMonitorDesk, has_pool
from console.windows.policies import PolicyDesk, has_policies
from console.windows.routes import RouteDesk, has_routes
from console.windows.specs import WorkspaceSpec
from console.windows.technicians import TechnicianDesk, has_technicians_edit


class DispatchDocks(QObject):
    """Builds the docks the spec and client allow; `stop()` stops them all."""

    def __init__(self, spec: WorkspaceSpec, client: object, route: MessageRoute,
                 window: QMainWindow, open_order: Callable[[int], None], *,
                 store: StoreLike, map_widget: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        queue_dock = getattr(window, "queue_dock", None)
        self.dispatch: DispatchDesk | None = None
        self.routes: RouteDesk | None = None
        self.pool: PoolMonitorDesk | None = None
        self.policies: PolicyDesk | None = None
        self.technicians: TechnicianDesk | None = None
        if spec.dispatch and has_dispatch(client):
            self.dispatch = DispatchDesk(client, route, window, open_order, queue_dock=queue_dock,
                                         map_widget=map_widget, store=store, parent=self)
        if spec.routes and has_routes(client):
            self.routes = RouteDesk(client, route, window, open_order, queue_dock=queue_dock,
                                    map_widget=map_widget, subscribe=store.subscribe,
                                    parent=self)
        if spec.pool and has_pool(client):
            self.pool = PoolMonitorDesk(client, route, window, open_order,
                                        queue_dock=queue_dock, parent=self)
        if spec.policies and has_policies(client):
            self.policies = PolicyDesk(client, route, window, open_order, queue_dock=queue_dock,
                                       can_edit=spec.edit_policies, parent=self)
        if spec.technicians and has_technicians_edit(client):
            self.technicians = TechnicianDesk(client, route, window, open_order,
                                              queue_dock=queue_dock,
                                              can_edit=spec.edit_policies, parent=self)

    def all(self) -> list[QObject]:
        desks = (self.dispatch, self.routes, self.pool, self.policies, self.technicians)
        return [d for d in desks if d is not None]

    def stop(self) -> None:
        for desk in self.all():
            desk.stop()  # type: ignore[attr-defined]
