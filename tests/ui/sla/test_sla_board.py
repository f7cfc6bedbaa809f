"""The supervisor board offscreen: counts per group and the open alerts from the server, an SLA
alert on the change feed refreshes it at once (coalesced) and other changes later, Enter opens
the alert's order, the on-time charts follow the period, and an export saves the file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.presenters.sla import board as board_presenter
from console.store import OrderStore
from console.windows.sla_board import BoardDesk
from core.contracts import ChangeEvent, OrderRow
from core.contracts.sla_board import AlertTally, BoardOut, OnTimeOut
from core.contracts.sla_deadlines import AlertOut
from core.orders.lifecycle import OrderState

AT = datetime(2026, 3, 2, 2, 31, tzinfo=UTC)


def tally(key: str, label: str, warning: int = 0, severe: int = 0) -> AlertTally:
    return AlertTally(key=key, label=label, notice=0, warning=warning, severe=severe)


def alert(order_id: int, level: str, left_minutes: int) -> AlertOut:
    return AlertOut(order_id=order_id, order_no=f"LM{order_id}", county_adcode="110105",
                    service_type="install", step="accept", step_name="接单 (accept)", run=1,
                    level=level, at=AT, due=AT + timedelta(minutes=left_minutes),
                    clock="natural", recorded_at=AT, time_left=timedelta(minutes=left_minutes),
                    cursor=f"c{order_id}")


class FakeBoardClient:
    def __init__(self) -> None:
        self.severe = 1
        self.board_calls = 0
        self.rate_calls: list[tuple[date, date, str]] = []
        self.exports: list[tuple[str, date, date]] = []
        self.filters: list[tuple[str | None, str | None]] = []
        self.alert_filters: list[tuple[str | None, str | None]] = []
        self.afters: list[str | None] = []

    async def sla_board(self, region: str | None = None, step: str | None = None) -> BoardOut:
        self.board_calls += 1
        self.filters.append((region, step))
        total = tally("", "合计 (total)", 1, self.severe)
        return BoardOut(at=AT, total=total, by_city=[tally("110100", "北京市", 1, self.severe)],
                        by_county=[tally("110105", "朝阳区", 1, self.severe)],
                        by_step=[tally("accept", "接单 (accept)", 1, self.severe)],
                        by_service_point=[tally("1", "Beijing Chaoyang point", 1, 0)],
                        by_technician=[tally("", "未派 (unassigned)", 0, self.severe),
                                       tally("1", "Wang Jian", 1, 0)])

    async def sla_alerts(self, after: str | None = None, limit: int = 200,
                         level: str | None = None, region: str | None = None,
                         step: str | None = None) -> list[AlertOut]:
        self.alert_filters.append((region, step))
        self.afters.append(after)
        rows = [alert(n, "严重", -n) for n in range(1, self.severe + 1)] + [alert(9, "警告", 4)]
        start = next((n + 1 for n, a in enumerate(rows) if a.cursor == after), 0)
        return rows[start:start + limit]

    async def sla_on_time(self, start: date, end: date, by: str = "day") -> list[OnTimeOut]:
        self.rate_calls.append((start, end, by))
        if by == "day":
            return [OnTimeOut(key="2026-03-01", label="2026-03-01", finished=4, on_time=3,
                              rate=0.75),
                    OnTimeOut(key="2026-03-02", label="2026-03-02", finished=2, on_time=1,
                              rate=0.5)]
        return [OnTimeOut(key="110100", label="北京市", finished=6, on_time=4, rate=4 / 6)]

    async def sla_export(self, kind: Literal["csv", "xlsx"], start: date,
                         end: date) -> bytes:
        self.exports.append((kind, start, end))
        return "\ufeff工单号 (order no)\r\n".encode()


def event(seq: int, kind: str) -> ChangeEvent:
    row = OrderRow(id=1, order_no="LM1", platform="tmall", customer_name="c",
                   county_adcode="110105", county_name="朝阳区", city="北京市",
                   service_type=None, state=OrderState.DISPATCHING, technician_id=None,
                   technician_name="", lng=None, lat=None, version=3, created_at=AT,
                   state_changed_at=AT)
    return ChangeEvent.model_validate({"seq": seq, "order_id": 1, "kind": kind, "at": AT,
                                       "actor": "system", "actor_role": "system", "reason": "",
                                       "from_state": "dispatching", "to_state": "dispatching",
                                       "version": 3, "data": {}, "order": row})


class Board:
    def __init__(self, qtbot: QtBot, messages: Messages) -> None:
        self.client = FakeBoardClient()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.store = OrderStore()
        self.opened: list[int] = []
        self.desk = BoardDesk(self.client, messages, self.window, self.opened.append,
                              subscribe_events=self.store.subscribe_events,
                              today=lambda: date(2026, 3, 2))
        self.presenter = self.desk.presenter
        self.window.resize(900, 700)
        self.window.show()


async def test_the_board_shows_counts_per_group_and_the_alerts(qtbot: QtBot,
                                                               messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)

    view = board.desk.view
    assert view.totals.text() == "Open: 0 notices, 1 warnings, 1 breaches"
    technicians = board.presenter.tallies["technician"]
    # The server's "未派 (unassigned)" in the person's language (English here); names as sent.
    assert [technicians.text(r, 0) for r in technicians.rows()] == ["Unassigned", "Wang Jian"]
    assert board.presenter.alerts.rowCount() == 2
    assert board.desk.dock.windowTitle() == "SLA board (1 breached)"


async def test_an_sla_alert_on_the_feed_refreshes_the_board_at_once(
        qtbot: QtBot, messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)
    board.client.severe = 2

    board.store.apply_many([event(10, "sla_alert")])  # keeps the order's version: no row change
    board.store.apply_many([event(11, "sla_alert")])  # coalesced with the one before

    await eventually(lambda: board.presenter.counts() == (0, 1, 2), timeout=1.0)
    assert board.desk.dock.windowTitle() == "SLA board (2 breached)"
    assert board.presenter.alerts.rowCount() == 3


async def test_other_order_changes_refresh_it_later_and_once(qtbot: QtBot,
                                                             messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)
    before = board.client.board_calls

    board.store.apply_many([event(12, "accept"), event(13, "note")])
    board.store.apply(event(14, "appoint"))

    assert board.presenter._changed.isActive() and board.client.board_calls == before
    board.presenter._changed.timeout.emit()
    await eventually(lambda: board.client.board_calls == before + 1)


async def test_enter_or_a_click_on_an_alert_opens_its_order(qtbot: QtBot,
                                                            messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.alerts.rowCount() == 2)
    table = board.desk.view.alerts
    board.desk.view.focus_current()

    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)

    assert board.opened == [9]
    first = table.visualRect(board.presenter.alerts.index(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert board.opened == [9, 1]
    assert board.presenter.alerts.text(board.presenter.alerts.item(0), 5) == "1 min over"


async def test_the_charts_show_the_periods_rates(qtbot: QtBot, messages: Messages) -> None:
    board = Board(qtbot, messages)
    board.desk.show_desk()

    await eventually(lambda: bool(board.desk.view.charts.regions))

    charts = board.desk.view.charts
    assert charts.days == [("03-01", 0.75, 4), ("03-02", 0.5, 2)]
    assert charts.regions == [("北京市", 4 / 6, 6)]
    assert board.client.rate_calls[0] == (date(2026, 2, 17), date(2026, 3, 2), "day")


async def test_an_export_saves_the_periods_file(qtbot: QtBot, messages: Messages,
                                                tmp_path: Path) -> None:
    board = Board(qtbot, messages)
    target = tmp_path / "sla.csv"
    board.desk.view.choose_path = lambda kind: str(target)

    board.desk.view.csv_button.click()
    await eventually(target.exists)

    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert board.client.exports == [("csv", date(2026, 2, 17), date(2026, 3, 2))]


async def test_the_region_and_step_filters_narrow_counts_and_alerts(
        qtbot: QtBot, messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)
    view = board.desk.view

    view.region_edit.setText("110105")
    view.region_edit.editingFinished.emit()
    await eventually(lambda: board.client.filters[-1] == ("110105", None))
    view.step_combo.setCurrentIndex(view.step_combo.findData("accept"))

    await eventually(lambda: board.client.filters[-1] == ("110105", "accept"))
    await eventually(lambda: board.client.alert_filters[-1] == ("110105", "accept"))
    assert view.step_combo.itemText(0) == "All steps"


async def test_a_hidden_board_leaves_feed_events_to_its_slow_timer(
        qtbot: QtBot, messages: Messages) -> None:
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)
    board.desk.dock.hide()  # closed, or behind another tab
    before = board.client.board_calls

    board.store.apply_many([event(20, "sla_alert"), event(21, "accept")])

    assert not board.presenter.busy() and not board.presenter._changed.isActive()
    assert board.client.board_calls == before


async def test_more_alerts_follow_the_last_ones_cursor_and_stay_on_refresh(
        qtbot: QtBot, messages: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_presenter, "ALERT_LIMIT", 1)
    board = Board(qtbot, messages)
    await eventually(lambda: board.presenter.refreshes >= 1)
    view = board.desk.view
    assert board.presenter.alerts.rowCount() == 1 and view.more_button.isEnabled()

    view.more_button.click()
    await eventually(lambda: board.presenter.alerts.rowCount() == 2)
    board.store.apply_many([event(30, "sla_alert")])
    await eventually(lambda: board.presenter.refreshes >= 3)

    assert board.presenter.alerts.rowCount() == 2
    assert board.client.afters[-2:] == [None, "c1"]
