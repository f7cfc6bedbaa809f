"""The detail panel shows an OrderDetail and turns button clicks into actionRequested."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from ui_fakes import make_detail

from core.orders.lifecycle import OrderState, Role, allowed_actions
from ui.formatting import duration, local_time, money
from ui.orders.detail_panel import DetailPanel


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


@pytest.fixture
def panel(qtbot: QtBot) -> DetailPanel:
    widget = DetailPanel()
    qtbot.addWidget(widget)
    widget.show_order(make_detail(7))
    return widget


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "¥0.00"), (5, "¥0.05"), (129900, "¥1,299.00"), (123456789, "¥1,234,567.89"),
     (-2550, "-¥25.50")],
)
def test_money_is_formatted_from_fen(fen: int, text: str) -> None:
    assert money(fen) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "5 s"), (12 * 60 + 30, "12 min"), (3 * 3600, "3 h"), (26 * 3600, "1 d 2 h")],
)
def test_durations_read_like_a_dispatcher_says_them(seconds: int, text: str) -> None:
    assert duration(seconds) == text


def test_customer_and_money_fields(panel: DetailPanel) -> None:
    assert panel.fields["customer"].text() == "客户7"
    assert panel.fields["phone"].text() == "13800138000"
    assert "建国路88号" in panel.fields["address"].text()
    assert panel.fields["amount"].text() == "¥1,400.00"
    assert panel.fields["technician"].text() == "Not assigned"
    items = panel.items_table
    assert items.rowCount() == 2
    assert cell(items, 0, 2) == "¥1,299.00"
    assert cell(items, 1, 3) == "¥101.00"


def test_timeline_rows_are_in_beijing_time(panel: DetailPanel) -> None:
    table = panel.timeline_table
    assert table.rowCount() == 3
    assert cell(table, 0, 0) == "2026-11-25 10:00"  # 02:00 UTC
    assert cell(table, 1, 1) == "agent (Dispatch agent)"
    assert cell(table, 1, 2) == "New → Audited"
    assert cell(table, 1, 3) == "地址核实"
    assert local_time(None) == ""


def test_action_buttons_match_allowed_actions(panel: DetailPanel) -> None:
    expected = allowed_actions(OrderState.DISPATCHING, Role.AGENT)
    assert list(panel.action_buttons) == expected
    assert expected == ["escalate", "assign", "mark", "cancel", "freeze"]
    assert panel.action_buttons["assign"].text() == "Assign technician"


def test_clicking_an_action_emits_its_name(qtbot: QtBot, panel: DetailPanel) -> None:
    with qtbot.waitSignal(panel.actionRequested) as signal:
        qtbot.mouseClick(panel.action_buttons["freeze"], Qt.MouseButton.LeftButton)
    assert signal.args == ["freeze"]


def test_new_detail_rebuilds_buttons_and_busy_disables_them(panel: DetailPanel) -> None:
    panel.show_order(make_detail(8, state=OrderState.SETTLEABLE, role=Role.FINANCE))
    assert list(panel.action_buttons) == ["settle", "freeze"]
    panel.set_busy(True)
    assert not any(b.isEnabled() for b in panel.action_buttons.values())
