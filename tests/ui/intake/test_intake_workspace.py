"""The Intake workspace inside a role's window: who gets it, and how it meets the detail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from intake_fakes import FakeIntakeClient, make_origin, make_review
from PySide6.QtCore import QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.app import install_translator
from console.presenters.intake.lists import REFRESH_MS
from console.windows import SPECS, Workspace

Factory = Callable[[], QSettings]


def shown(workspace: Workspace) -> int | None:
    detail = workspace.detail.detail()
    return None if detail is None else detail.id


def build(qtbot: QtBot, role: str, settings_factory: Factory,
          client: FakeClient | None = None) -> Workspace:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 6)})
    workspace = Workspace(role, client or FakeIntakeClient(), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


@pytest.mark.parametrize(("role", "has_it"), [("agent", True), ("supervisor", True),
                                              ("admin", True), ("finance", False)])
def test_desk_roles_get_the_intake_workspace_beside_the_queue(
    qtbot: QtBot, settings_factory: Factory, role: str, has_it: bool
) -> None:
    workspace = build(qtbot, role, settings_factory)
    assert (workspace.intake is not None) is has_it
    if workspace.intake is not None:
        window = workspace.window
        assert workspace.intake.dock in window.tabifiedDockWidgets(window.queue_dock)
        assert workspace.intake.dock.windowTitle() == "Intake"
        assert workspace.intake.presenter.polling.timer is not None
        assert workspace.intake.presenter.polling.timer.interval() == REFRESH_MS


def test_the_role_spec_alone_decides_the_intake_desk(
    qtbot: QtBot, settings_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SPECS, "agent", replace(SPECS["agent"], intake=False))
    workspace = build(qtbot, "agent", settings_factory)
    assert workspace.intake is None
    assert workspace.origin is not None  # every desk shows where an order came from


async def test_selecting_a_review_shows_the_order_and_its_origin(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeIntakeClient()
    client.details[2] = make_detail(2)
    client.origins[2] = make_origin()
    workspace = build(qtbot, "agent", settings_factory, client)
    intake = workspace.intake
    assert intake is not None
    workspace.window.show()
    intake.show_desk()
    intake.presenter.refresh(force=True)
    await eventually(lambda: intake.presenter.reviews.rowCount() == 2)
    assert intake.dock.windowTitle() == "Intake (2 to review, 1 problems)"

    intake.view.review_table.select_key(2)

    await eventually(lambda: workspace.detail.origin_box.origin() is not None)
    detail = workspace.detail.detail()
    assert detail is not None and detail.id == 2
    assert workspace.detail.origin_box.text_of("split") == "1 笔订单按工种拆为 2 张服务单"
    assert workspace.queue_view.selected_order() == 2  # the queue follows too


def test_the_layout_with_the_intake_dock_is_remembered(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    first = build(qtbot, "supervisor", settings_factory)
    assert first.intake is not None
    first.intake.dock.setFloating(True)
    first.close()
    second = build(qtbot, "supervisor", settings_factory)
    assert second.intake is not None and second.intake.dock.isFloating()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translator(qapp, "zh_CN")
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()


def test_the_intake_workspace_speaks_chinese(
    qtbot: QtBot, settings_factory: Factory, chinese: None
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    assert workspace.intake is not None
    assert workspace.intake.dock.windowTitle() == "接单中心"
    view = workspace.intake.view
    assert [view.tabs.tabText(i) for i in range(3)] == ["到达统计", "审核队列（0）", "问题单（0）"]
    assert view.approve_button.text() == "通过(&A)"
    assert workspace.detail.origin_box.title() == "来源"
    assert view.status_combo.currentText() == "待处理"


async def test_reviews_outside_the_queue_still_open_in_the_detail(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeIntakeClient()
    client.details.update({1: make_detail(1), 2: make_detail(2), 99: make_detail(99)})
    client.review_rows.append(make_review(99))  # not in the queue (store rows 1-5)
    workspace = build(qtbot, "admin", settings_factory, client)
    intake = workspace.intake
    assert intake is not None
    workspace.window.show()
    intake.show_desk()
    intake.presenter.refresh(force=True)
    await eventually(lambda: intake.presenter.reviews.rowCount() == 3)

    intake.view.review_table.select_key(1)
    await eventually(lambda: shown(workspace) == 1)
    intake.view.review_table.select_key(99)
    await eventually(lambda: shown(workspace) == 99)
    intake.view.review_table.select_key(1)  # still selected in the queue: shown again
    await eventually(lambda: shown(workspace) == 1)


async def test_behind_the_queue_tab_a_refresh_does_not_move_the_detail(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeIntakeClient()
    client.details.update({1: make_detail(1), 2: make_detail(2), 3: make_detail(3)})
    workspace = build(qtbot, "agent", settings_factory, client)
    intake = workspace.intake
    assert intake is not None
    workspace.window.show()
    intake.show_desk()
    intake.presenter.refresh(force=True)
    await eventually(lambda: intake.presenter.reviews.rowCount() == 2)
    intake.view.review_table.select_key(2)
    await eventually(lambda: shown(workspace) == 2)
    workspace.window.queue_dock.raise_()
    await eventually(lambda: not intake.is_visible())
    workspace.queue_view.select_order(3)
    await eventually(lambda: shown(workspace) == 3)

    client.review_rows = client.review_rows[:1]  # 2 decided elsewhere: the list moves on
    intake.presenter.refresh(force=True)
    await eventually(lambda: intake.view.review_table.current_key() == 1)
    await eventually(lambda: not workspace.presenter.is_busy())
    assert shown(workspace) == 3
    assert workspace.presenter.wanted() == 3
