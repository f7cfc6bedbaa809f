"""Workspaces per role: offline banner, layout and filters remembered, role defaults."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.models.orders import Column
from console.sync import ConnectionState
from console.windows import Workspace
from core.orders.lifecycle import OrderState

Factory = Callable[[], QSettings]


def build(qtbot: QtBot, role: str, settings_factory: Factory,
          store: FakeStore | None = None) -> Workspace:
    store = store or FakeStore(rows={i: make_row(i) for i in range(1, 41)})
    workspace = Workspace(role, FakeClient(make_detail(40)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


def test_offline_banner_follows_the_connection_state(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    workspace.window.show()
    workspace.set_connection(ConnectionState.OFFLINE, "Cannot reach the server")
    assert workspace.window.is_offline_banner_shown()
    assert "Cannot reach the server" in workspace.window.offline_banner.text()
    assert workspace.window.connection.text().startswith("Offline")
    workspace.set_connection(ConnectionState.CONNECTING, "")
    assert not workspace.window.is_offline_banner_shown()
    workspace.set_connection(ConnectionState.LIVE, "")
    assert not workspace.window.is_offline_banner_shown()
    assert workspace.window.connection.text() == "Online"


@pytest.mark.parametrize(
    ("role", "states"),
    [("agent", {"new", "audited", "placed", "classified", "dispatching", "assigned", "accepted",
               "appointed"}),
     ("finance", {"served", "verified", "in_review", "settleable", "settled"}),
     ("supervisor", set()), ("admin", set())],
)
def test_each_role_starts_with_its_queue(
    qtbot: QtBot, settings_factory: Factory, role: str, states: set[str]
) -> None:
    workspace = build(qtbot, role, settings_factory)
    assert workspace.proxy.order_filter().states == states
    shown = {workspace.proxy.index(r, Column.STATE).data(Qt.ItemDataRole.UserRole + 3)
             for r in range(workspace.proxy.rowCount())}
    assert shown <= states if states else len(shown) == 10


def test_agent_sees_orders_awaiting_dispatch_first(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    first = [workspace.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(9)]
    # Fake row i is dispatching when i % 10 == 4 and assigned when i % 10 == 5.
    assert first == [35, 34, 25, 24, 15, 14, 5, 4, 40]


def test_supervisor_sees_counts_per_state_and_longest_waiting_first(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "supervisor", settings_factory)
    assert workspace.summary is not None
    assert workspace.summary.text_of("") == "All open 40"
    assert workspace.summary.text_of("dispatching") == "Dispatching 4"
    assert workspace.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) == 1  # oldest change
    workspace.summary.keyClicked.emit("dispatching")
    assert workspace.proxy.rowCount() == 4


def test_summary_follows_the_store(qtbot: QtBot, settings_factory: Factory) -> None:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 41)})
    workspace = build(qtbot, "admin", settings_factory, store)
    store.emit("upsert", [make_row(41, state=OrderState.FROZEN)])
    qtbot.waitUntil(lambda: workspace.summary is not None
                    and workspace.summary.text_of("frozen") == "Frozen 1")


def test_filters_sort_and_layout_are_remembered(qtbot: QtBot, settings_factory: Factory) -> None:
    first = build(qtbot, "admin", settings_factory)
    first.queue_view.filter_bar.set_filters(
        {"states": ["new", "placed"], "region": "110100", "text": "客户1"})
    first.queue_view.table.sortByColumn(Column.CUSTOMER, Qt.SortOrder.AscendingOrder)
    first.window.map_dock.setFloating(True)
    first.close()
    second = build(qtbot, "admin", settings_factory)
    restored = second.proxy.order_filter()
    assert restored.states == {"new", "placed"}
    assert (restored.region, restored.text) == ("110100", "客户1")
    assert second.queue_view.filter_bar.search_edit.text() == "客户1"
    assert second.model.sort_spec() == (Column.CUSTOMER, Qt.SortOrder.AscendingOrder)
    assert second.window.map_dock.isFloating()
    other_role = build(qtbot, "finance", settings_factory)
    assert other_role.proxy.order_filter().states == {
        "served", "verified", "in_review", "settleable", "settled"}


async def test_selecting_in_the_queue_loads_the_detail(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "admin", settings_factory)
    assert workspace.queue_view.select_order(40)
    await eventually(lambda: workspace.detail.detail() is not None)
    assert workspace.detail.detail().id == 40  # type: ignore[union-attr]
    assert isinstance(workspace.map_widget, QWidget)


def test_region_options_come_from_the_queue(qtbot: QtBot, settings_factory: Factory) -> None:
    workspace = build(qtbot, "admin", settings_factory)
    combo = workspace.queue_view.filter_bar.region_combo
    values = [combo.itemData(i) for i in range(combo.count())]
    assert values[:3] == ["", "110100", "110105"]
    assert "330106" in values


def test_warnings_reach_the_status_bar_and_a_message_box(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "agent", settings_factory)
    workspace.window.show()
    workspace.route.info("Assign technician: done for order LM1.")
    assert workspace.window.statusBar().currentMessage() == "Assign technician: done for order LM1."
    assert workspace.message_box is None
    workspace.route.warning("Order LM1 was changed by someone else.")
    assert workspace.message_box is not None
    assert workspace.message_box.text() == "Order LM1 was changed by someone else."
    assert workspace.window.statusBar().currentMessage() == workspace.message_box.text()


async def test_a_failed_load_is_reported_and_leaves_the_panel_usable(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = build(qtbot, "admin", settings_factory)
    shown: list[tuple[str, str]] = []
    workspace.route.message.connect(lambda level, text: shown.append((level, text)))
    workspace.presenter.select(12345)  # the fake client knows no such order
    await eventually(lambda: bool(shown))
    assert shown[0][0] == "error"
    assert shown[0][1].startswith("Loading the order: ")
    assert "Traceback" not in shown[0][1]


def test_supervisor_counts_orders_needing_a_person_and_keeps_empty_states_in_place(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    rows = {i: make_row(i) for i in range(1, 41)}
    rows[4] = make_row(4, dispatch_mode="manual", dispatch_note="无合格候选技师 (no candidate)")
    workspace = build(qtbot, "supervisor", settings_factory, FakeStore(rows=rows))
    assert workspace.summary is not None
    assert workspace.summary.text_of("needs_person") == "Needs a person 1"
    assert workspace.summary.text_of("cancelled") == ""  # not an open state
    assert workspace.summary.text_of("frozen") == "Frozen 0"  # there, so nothing re-wraps
    workspace.summary.keyClicked.emit("needs_person")
    assert workspace.proxy.rowCount() == 1
    assert workspace.proxy.index(0, Column.NEEDS_PERSON).data() == "no candidate"  # English here
    assert workspace.queue_view.filter_bar.needs_person_button.isChecked()


def test_agent_sees_the_orders_that_need_a_person_at_the_top(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    rows = {i: make_row(i) for i in range(1, 41)}
    rows[14] = make_row(14, dispatch_mode="manual", dispatch_note="VIP 客户 (VIP customer)")
    workspace = build(qtbot, "agent", settings_factory, FakeStore(rows=rows))
    first = [workspace.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(4)]
    assert first == [14, 35, 34, 25]
    # A feed update that escalates another order moves it up there too.
    workspace.model.upsert([make_row(5, dispatch_mode="manual", dispatch_note="拒单 (refused)",
                                     state=OrderState.DISPATCHING, version=2)])
    first = [workspace.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(3)]
    assert first == [14, 5, 35]
