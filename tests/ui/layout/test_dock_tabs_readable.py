"""At 1366×768 the docks tabbed beside the queue show their whole titles (issue 13 item 6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QTabBar
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.windows import Workspace


def dock_tab_bars(workspace: Workspace) -> list[QTabBar]:
    return [bar for bar in workspace.window.findChildren(QTabBar)
            if bar.parent() is workspace.window and bar.isVisible() and bar.count() > 1]


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_every_dock_tab_shows_its_whole_title_at_1366x768(
    qtbot: QtBot, settings_factory: Callable[[], QSettings], role: str
) -> None:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    window = workspace.window
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: bool(dock_tab_bars(workspace)))
    bars = dock_tab_bars(workspace)
    titles = [bar.tabText(i) for bar in bars for i in range(bar.count())]
    assert len(titles) >= 6
    for bar in bars:
        assert bar.elideMode() == Qt.TextElideMode.ElideNone
        assert bar.usesScrollButtons()
        metrics = bar.fontMetrics()
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= metrics.horizontalAdvance(bar.tabText(i)), \
                bar.tabText(i)
    workspace.close()
