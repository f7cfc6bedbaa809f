"""The queue by keyboard alone, and saved views per person (named filter sets on Ctrl+1...9)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.models.orders import Column, OrderFilter
from console.windows import Workspace

Factory = Callable[[], QSettings]
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


async def build(qtbot: QtBot, settings_factory: Factory, user: str = "王芳") -> Workspace:
    rows = {i: make_row(i) for i in range(1, 41)}
    rows[4] = make_row(4, dispatch_mode="manual", dispatch_note="技师拒单 (refused)")
    # The settlement desk: a queue without docks that would fetch (and complain) meanwhile.
    client = FakeClient(make_detail(40))
    client.details.update({i: make_detail(i) for i in rows})  # whichever order gets selected
    workspace = Workspace("finance", client, FakeStore(rows=rows),
                          user_name=user, settings_factory=settings_factory,
                          map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    workspace.window.show()
    await focus(workspace)
    return workspace


async def focus(workspace: Workspace) -> None:
    """Offscreen nothing activates a window by itself (nor gives it back after a dialog)."""
    workspace.window.activateWindow()
    await eventually(lambda: QApplication.activeWindow() is workspace.window)
    workspace.queue_view.table.setFocus()


def press(workspace: Workspace, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:
    target = workspace.window.focusWidget() or workspace.queue_view.table
    QTest.keyClick(target, key, modifiers)


async def save_view(workspace: Workspace, name: str) -> None:
    press(workspace, Qt.Key.Key_V, CTRL | SHIFT)
    button = workspace.queue_view.filter_bar.views_button
    await eventually(lambda: button.name_dialog is not None and button.name_dialog.isVisible())
    assert button.name_dialog is not None
    button.name_dialog.setTextValue(name)
    button.name_dialog.accept()
    await focus(workspace)


async def test_a_saved_view_comes_back_on_its_key_for_that_person_only(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    first = await build(qtbot, settings_factory)
    bar = first.queue_view.filter_bar
    bar.set_filters({"states": ["dispatching"], "needs_person": True})
    await save_view(first, "要人工的")
    bar.set_filters({"region": "110100"})
    await save_view(first, "北京")
    press(first, Qt.Key.Key_0)  # clear everything
    assert first.proxy.order_filter() == OrderFilter()

    await focus(first)
    press(first, Qt.Key.Key_1)
    assert first.proxy.order_filter() == OrderFilter(states=frozenset({"dispatching"}),
                                                     needs_person=True)
    assert first.proxy.rowCount() == 1
    press(first, Qt.Key.Key_2)
    assert first.proxy.order_filter() == OrderFilter(region="110100")

    again = await build(qtbot, settings_factory)
    assert again.queue_view.filter_bar.views_button.names() == ["要人工的", "北京"]
    other = await build(qtbot, settings_factory, user="李强")
    assert other.views.views == []


async def test_filters_and_sorting_work_from_the_keyboard(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = await build(qtbot, settings_factory)
    bar, proxy, table = (workspace.queue_view.filter_bar, workspace.proxy,
                         workspace.queue_view.table)
    press(workspace, Qt.Key.Key_0)  # the desk's own default filter off: every order
    assert proxy.rowCount() == 40
    press(workspace, Qt.Key.Key_N, CTRL | SHIFT)
    assert bar.needs_person_button.isChecked() and proxy.rowCount() == 1
    press(workspace, Qt.Key.Key_0)
    assert proxy.rowCount() == 40

    press(workspace, Qt.Key.Key_S, CTRL | SHIFT)  # the states menu, first state active
    await eventually(bar.state_menu.isVisible)
    QTest.keyClick(bar.state_menu, Qt.Key.Key_Space)
    QTest.keyClick(bar.state_menu, Qt.Key.Key_Escape)
    await eventually(lambda: not bar.state_menu.isVisible())
    assert bar.selected_states() == {"new"} and proxy.order_filter().states == {"new"}
    press(workspace, Qt.Key.Key_0)

    table.setFocus()
    press(workspace, Qt.Key.Key_L)
    assert table.hasFocus()
    table.setCurrentIndex(proxy.index(0, Column.CUSTOMER))
    press(workspace, Qt.Key.Key_O, CTRL | SHIFT)
    assert workspace.model.sort_spec() == (Column.CUSTOMER, Qt.SortOrder.AscendingOrder)
    press(workspace, Qt.Key.Key_O, CTRL | SHIFT)
    assert workspace.model.sort_spec() == (Column.CUSTOMER, Qt.SortOrder.DescendingOrder)
    press(workspace, Qt.Key.Key_D, CTRL | SHIFT)
    assert workspace.model.sort_spec()[0] == -1
