"""The dispatch-policy editor and the SLA limits editor, docked in a supervisor's workspace, and
the urging policy editor over it, show their texts whole and fit 1366×768 and 1920×1080
(issue 13 item 6). One workspace per screen size for the module."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fit_check import LARGE, SMALL, misfits, room
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.presenters.sla.urge_policy import step_name
from console.windows import Workspace
from core.sla.limit_types import Step
from core.sla.urging import TARGET_WORDS
from ui.sla.urge_policy import UrgePolicyView

SCREENS = {"1366x768": SMALL, "1920x1080": LARGE}


@pytest.fixture(scope="module", params=list(SCREENS))
def workspace(request: pytest.FixtureRequest, qapp: QApplication,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A supervisor's workspace (every editor, editable) filling the screen's room.

    Its docks start loading as they show (presenters spawn tasks): on a loop of the module's
    own that never runs, so the editors are measured as they first appear, whichever test ran
    before (an async test leaves no current loop behind)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    path = str(Path(tmp_path_factory.mktemp("fit")) / "console.ini")
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    built = Workspace("supervisor", FakeClient(make_detail(1)), store,
                      settings_factory=lambda: QSettings(path, QSettings.Format.IniFormat),
                      map_factory=lambda: QLabel("map"))
    built.window.resize(room(SCREENS[request.param]))
    built.window.show()
    yield built
    built.close()
    built.window.deleteLater()
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
    asyncio.set_event_loop(None)


def screen_of(workspace: Workspace) -> QSize:
    return SMALL if workspace.window.width() <= SMALL.width() else LARGE


def test_the_workspace_itself_fits(qtbot: QtBot, workspace: Workspace) -> None:
    qtbot.waitExposed(workspace.window)
    assert misfits(workspace.window, screen_of(workspace)) == []


def test_the_dispatch_policy_editor_fits_its_dock(qtbot: QtBot, workspace: Workspace) -> None:
    desk = workspace.docks.policies
    assert desk is not None
    desk.show_desk()
    qtbot.waitUntil(desk.is_visible)
    assert misfits(desk.view, screen_of(workspace)) == []


@pytest.mark.parametrize("tab", [0, 1, 2], ids=["steps", "hours", "log"])
def test_every_tab_of_the_limits_editor_fits_its_dock(
    qtbot: QtBot, workspace: Workspace, tab: int
) -> None:
    desk = workspace.docks.sla_limits
    assert desk is not None
    desk.show_desk()
    qtbot.waitUntil(desk.is_visible)
    desk.view.tabs.setCurrentIndex(tab)
    qtbot.waitUntil(lambda: desk.view.tabs.currentWidget().isVisible())
    assert misfits(desk.view, screen_of(workspace)) == []
    assert desk.view.tree.width() >= 160  # the region names beside it stay readable


def test_the_urging_policy_editor_fits_the_screen(qtbot: QtBot, workspace: Workspace) -> None:
    editor = UrgePolicyView(workspace.window)
    qtbot.addWidget(editor)
    editor.set_choices([(s.value, step_name(s.value)) for s in Step],
                       [(t.value, f"{zh} ({en})") for t, (zh, en) in TARGET_WORDS.items()])
    editor.set_status("Version 12, changed by supervisor 王建国 at 2026-03-02 16:00:00")
    editor.show()
    qtbot.waitExposed(editor)
    assert misfits(editor, screen_of(workspace)) == []
