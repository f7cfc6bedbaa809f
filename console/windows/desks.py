"""The docks of a workspace beside the queue: dispatch desk, day routes, grab pool, region
policies, technicians' dispatch settings, technician risk, verification review, follow-up calls,
complaints. The role's spec alone decides which are built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QWidget

from console.models.orders.queue import StoreLike
from console.presenters.dispatch.desk import DispatchClient
from console.presenters.fieldwork.complaints import ComplaintClient
from console.presenters.fieldwork.followups import FollowupClient
from console.presenters.fieldwork.review import ReviewClient
from console.presenters.fieldwork.risk import RiskClient
from console.presenters.grab.pool import PoolClient
from console.presenters.intake.origin import OriginClient
from console.presenters.messages import MessageRoute
from console.presenters.orders.detail import OrderClient
from console.presenters.policies.editor import PolicyClient
from console.presenters.routes.day import RouteClient
from console.presenters.sla.board import BoardClient
from console.presenters.sla.limits import LimitsClient
from console.presenters.sla.urge_policy import UrgePolicyClient
from console.presenters.sla.urges import UrgeClient
from console.presenters.technicians.settings import TechnicianClient
from console.windows.dispatch import DispatchDesk
from console.windows.followups import ComplaintDesk, FollowupDesk
from console.windows.grab import PoolMonitorDesk
from console.windows.intake import IntakeDeskClient
from console.windows.policies import PolicyDesk
from console.windows.review import ReviewDesk
from console.windows.risk import RiskDesk
from console.windows.routes import RouteDesk
from console.windows.side_desk import SideDesk
from console.windows.sla_board import BoardDesk
from console.windows.sla_limits import LimitsDesk
from console.windows.sla_urges import UrgeDesk
from console.windows.specs import WorkspaceSpec
from console.windows.technicians import TechnicianDesk


class WorkspaceClient(OrderClient, OriginClient, IntakeDeskClient, DispatchClient, RouteClient,
                      PoolClient, PolicyClient, TechnicianClient, RiskClient, ReviewClient,
                      FollowupClient, ComplaintClient, LimitsClient, BoardClient, UrgeClient,
                      UrgePolicyClient, Protocol):
    """Every call a workspace's desks make (LastmileClient answers them all)."""


class DispatchDocks(QObject):
    """Builds the docks the spec asks for; `stop()` stops them all."""

    def __init__(self, spec: WorkspaceSpec, client: WorkspaceClient, route: MessageRoute,
                 window: QMainWindow, open_order: Callable[[int], None], *,
                 store: StoreLike, map_widget: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        queue_dock = getattr(window, "queue_dock", None)
        self.dispatch: DispatchDesk | None = None
        self.routes: RouteDesk | None = None
        self.pool: PoolMonitorDesk | None = None
        self.policies: PolicyDesk | None = None
        self.technicians: TechnicianDesk | None = None
        self.risk: RiskDesk | None = None
        self.review: ReviewDesk | None = None
        self.followups: FollowupDesk | None = None
        self.complaints: ComplaintDesk | None = None
        self.sla_limits: LimitsDesk | None = None
        self.sla_board: BoardDesk | None = None
        self.sla_urges: UrgeDesk | None = None
        if spec.dispatch:
            self.dispatch = DispatchDesk(client, route, window, open_order, queue_dock=queue_dock,
                                         map_widget=map_widget, store=store, parent=self)
        if spec.routes:
            self.routes = RouteDesk(client, route, window, open_order, queue_dock=queue_dock,
                                    map_widget=map_widget, subscribe=store.subscribe,
                                    parent=self)
        if spec.pool:
            self.pool = PoolMonitorDesk(client, route, window, open_order,
                                        queue_dock=queue_dock, parent=self)
        if spec.policies:
            self.policies = PolicyDesk(client, route, window, open_order, queue_dock=queue_dock,
                                       can_edit=spec.edit_policies, parent=self)
        if spec.technicians:
            self.technicians = TechnicianDesk(client, route, window, open_order,
                                              queue_dock=queue_dock,
                                              can_edit=spec.edit_policies, parent=self)
        if spec.risk:
            self.risk = RiskDesk(client, route, window, open_order, queue_dock=queue_dock,
                                 parent=self)
        if spec.review:
            self.review = ReviewDesk(client, route, window, open_order, queue_dock=queue_dock,
                                     parent=self)
        if spec.followups:
            self.followups = FollowupDesk(client, route, window, open_order,
                                          queue_dock=queue_dock, parent=self)
        if spec.complaints:
            self.complaints = ComplaintDesk(client, route, window, open_order,
                                            queue_dock=queue_dock, parent=self)
        if spec.sla_limits:
            self.sla_limits = LimitsDesk(client, route, window, open_order,
                                         queue_dock=queue_dock, can_edit=spec.edit_policies,
                                         parent=self)
        if spec.sla_board:
            self.sla_board = BoardDesk(client, route, window, open_order, queue_dock=queue_dock,
                                       subscribe_events=getattr(store, "subscribe_events", None),
                                       parent=self)
        if spec.sla_urges:
            self.sla_urges = UrgeDesk(client, route, window, open_order, role=spec.role,
                                      queue_dock=queue_dock, parent=self, policy_client=client,
                                      subscribe_events=getattr(store, "subscribe_events",
                                                               None))

    def all(self) -> list[SideDesk]:
        desks = (self.dispatch, self.routes, self.pool, self.policies, self.technicians,
                 self.risk, self.review, self.followups, self.complaints, self.sla_limits,
                 self.sla_board, self.sla_urges)
        return [d for d in desks if d is not None]

    def stop(self) -> None:
        for desk in self.all():
            desk.stop()
