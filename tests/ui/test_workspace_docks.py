"""The dispatch docks in a role's window: who gets which, beside the queue, stopped on close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.windows import Workspace
from core.contracts.dispatch import PoolSummary

Factory = Callable[[], QSettings]


class DispatchingClient(FakeClient):
    """A fake with every dispatch call the docks look for (answers: nothing waiting)."""

    async def needs_person(self) -> list[Any]:
        return []

    async def assign_orders(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    async def technician_route(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no route is asked for until a technician is chosen")

    async def grab_pool(self, status: str | None = None, limit: int = 200) -> PoolSummary:
        return PoolSummary(open=0, claimed=0, expired=0, withdrawn=0, views=0,
                           claim_attempts=0, below_floor=0, rows=[])

    async def dispatch_policies(self) -> list[Any]:
        return []

    async def effective_policy(self, region: str) -> Any:
        raise AssertionError("not shown in these tests")

    async def put_dispatch_policy(self, *args: Any) -> Any:
        raise AssertionError("not shown in these tests")

    async def service_points(self, region: str = "") -> list[Any]:
        return []

    async def update_technician(self, *args: Any) -> Any:
        raise AssertionError("not edited in these tests")

    async def technician_log(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def build(qtbot: QtBot, role: str, settings_factory: Factory,
          client: FakeClient | None = None) -> Workspace:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, client or DispatchingClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


@pytest.mark.parametrize(("role", "docks", "can_edit"), [
    ("agent", {"dispatch", "routes", "pool", "policies", "technicians"}, False),
    ("supervisor", {"dispatch", "routes", "pool", "policies", "technicians"}, True),
    ("admin", {"dispatch", "routes", "pool", "policies", "technicians"}, True),
    ("finance", set(), False),
])
def test_desk_roles_get_the_dispatch_docks_beside_the_queue(
    qtbot: QtBot, settings_factory: Factory, role: str, docks: set[str], can_edit: bool
) -> None:
    workspace = build(qtbot, role, settings_factory)
    built = {name for name in ("dispatch", "routes", "pool", "policies", "technicians")
             if getattr(workspace.docks, name) is not None}
    assert built == docks
    window = workspace.window
    tabbed = window.tabifiedDockWidgets(window.queue_dock)
    for desk in workspace.docks.all():
        assert desk.dock in tabbed  # type: ignore[attr-defined]
    if workspace.docks.policies is not None:
        assert workspace.docks.policies.presenter.editable is can_edit
    if workspace.docks.technicians is not None:
        assert workspace.docks.technicians.presenter.editable is can_edit
    assert workspace.spec.edit_policies is can_edit


def test_a_server_without_dispatch_calls_means_no_dispatch_docks(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "supervisor", settings_factory, FakeClient(make_detail(1)))
    assert workspace.docks.all() == []


def test_closing_the_workspace_stops_the_docks_timers(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    desk = workspace.docks.dispatch
    assert desk is not None
    workspace.window.show()
    desk.show_desk()
    qtbot.waitUntil(desk.is_visible)
    assert desk._poll.isActive()
    workspace.close()
    assert not desk._poll.isActive() and not desk._tick.isActive()
