"""The dispatch docks in a role's window: who gets which, beside the queue, stopped on close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.client import LastmileClient
from console.windows import SPECS, Workspace
from console.windows.desks import WorkspaceClient

Factory = Callable[[], QSettings]


def build(qtbot: QtBot, role: str, settings_factory: Factory,
          client: FakeClient | None = None) -> Workspace:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, client or FakeClient(make_detail(1)), store,
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


def test_the_role_spec_alone_decides_the_docks(
    qtbot: QtBot, settings_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SPECS, "agent", replace(SPECS["agent"], routes=False, pool=False))
    workspace = build(qtbot, "agent", settings_factory)
    built = {name for name in ("dispatch", "routes", "pool", "policies", "technicians")
             if getattr(workspace.docks, name) is not None}
    assert built == {"dispatch", "policies", "technicians"}


def _calls(protocol: type) -> set[str]:
    return {name for cls in protocol.__mro__ if cls not in (object, Protocol)
            for name, value in vars(cls).items()
            if callable(value) and not name.startswith("_")}


@pytest.mark.parametrize("client", [LastmileClient, FakeClient], ids=["real", "fake"])
def test_every_call_of_a_workspace_is_answered(client: type) -> None:
    """Docks are chosen by role, not by what the client has: the client must answer them all."""
    calls = _calls(WorkspaceClient)
    assert {"needs_person", "grab_pool", "technician_route", "client_policies"} <= calls
    assert sorted(c for c in calls if not callable(getattr(client, c, None))) == []


def test_closing_the_workspace_stops_the_docks_timers(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    desk = workspace.docks.dispatch
    assert desk is not None
    workspace.window.show()
    desk.show_desk()
    qtbot.waitUntil(desk.is_visible)
    polling = desk.presenter.polling.timer
    assert polling is not None and polling.isActive() and desk._tick.isActive()
    workspace.close()
    assert not polling.isActive() and not desk._tick.isActive()
