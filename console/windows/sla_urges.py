"""Urges (催单): a dock beside the queue for agents and supervisors with the urges sorted by
time left, unanswered first, their replies, one key to the order, urging by hand from it; it
follows the change feed's urges and replies through the order store. Supervisors open the
urging policy editor from it (a window of its own)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.messages import MessageRoute
from console.presenters.sla.urge_policy import UrgePolicyClient, UrgePolicyPresenter
from console.presenters.sla.urges import UrgeClient, UrgePresenter
from console.windows.side_desk import CountedDesk
from console.windows.sla_board import SubscribeEvents
from ui.sla.urge_policy import UrgePolicyView
from ui.sla.urges import UrgeView

translate = QCoreApplication.translate
POLICY_EDITORS = frozenset({"supervisor", "admin"})


class UrgeDesk(CountedDesk):
    """Assembles view, presenter and dock; `open_order(id)` shows an order in the detail. The
    title counts the unanswered urges. With a `policy_client`, supervisors (and admins) open
    the urging policy editor from it."""

    def __init__(self, client: UrgeClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, role: str = "agent",
                 queue_dock: QDockWidget | None = None,
                 subscribe_events: SubscribeEvents | None = None,
                 policy_client: UrgePolicyClient | None = None,
                 parent: QObject | None = None) -> None:
        self.view = UrgeView()
        super().__init__(window, "slaUrgeDock", self.view, queue_dock=queue_dock,
                         parent=parent)
        self.presenter = UrgePresenter(client, self.view, route, role=role,
                                       visible=self.is_visible, parent_widget=window,
                                       parent=self)
        self._unsubscribe = (subscribe_events(self.presenter.on_events)
                             if subscribe_events is not None else None)
        self.follow(open_order)
        self._policy_client, self._route, self._window = policy_client, route, window
        self.policy: UrgePolicyPresenter | None = None
        self.view.allow_policy(policy_client is not None and role in POLICY_EDITORS)
        self.view.policyRequested.connect(self.open_policy)

    def open_policy(self) -> UrgePolicyPresenter | None:
        """The urging policy editor, opened (or brought forward when it is open)."""
        if self._policy_client is None:
            return None
        if self.policy is not None and shiboken6.isValid(self.policy):
            editor = self.policy.parent()
            assert isinstance(editor, UrgePolicyView)
            editor.raise_()
            editor.activateWindow()
            return self.policy
        editor = UrgePolicyView(self._window)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.policy = UrgePolicyPresenter(self._policy_client, editor, self._route, editable=True,
                                          parent=editor)
        editor.show()
        self.policy.load()
        return self.policy

    def waiting(self) -> int:
        return self.presenter.unanswered()

    def title(self, waiting: int) -> str:
        if waiting:
            return translate("UrgeDesk", "Urges ({0} unanswered)").format(waiting)
        return translate("UrgeDesk", "Urges")

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().stop()
