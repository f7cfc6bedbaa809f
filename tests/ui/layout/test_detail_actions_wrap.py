"""At 1366×768 the detail panel's action buttons wrap: none lies past the panel's right edge."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QLabel, QScrollArea
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.windows import Workspace

MANY = ["assign", "escalate", "withdraw", "pin", "appoint", "cannot_complete", "cancel",
        "start_review"]


def test_action_buttons_wrap_inside_the_detail_panel_at_1366x768(
    qtbot: QtBot, settings_factory: Callable[[], QSettings]
) -> None:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace("supervisor", FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    window = workspace.window
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    panel = workspace.detail
    panel.show_order(make_detail(1).model_copy(update={"allowed_actions": MANY}))
    buttons = list(panel.action_buttons.values())
    qtbot.waitUntil(lambda: all(b.isVisible() for b in buttons))
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None
    viewport = scroll.viewport()
    edge = min(panel.width(), viewport.mapTo(panel, QPoint(viewport.width(), 0)).x())
    for button in buttons:
        right = button.mapTo(panel, QPoint(button.width(), 0)).x()
        assert right <= edge, button.text()
    assert len({b.mapTo(panel, QPoint(0, 0)).y() for b in buttons}) > 1  # on several lines
    box = panel.actions_box  # tall enough for its lines: no button over the fields below
    assert all(b.geometry().bottom() <= box.height() for b in buttons)
    workspace.close()
