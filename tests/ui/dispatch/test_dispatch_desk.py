"""The dispatch workspace: list and candidates, keyboard, rule-break confirmation, bulk with a
conflict, drag from the order list onto a candidate, a drop on the map, pin and unpin."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from dispatch_fakes import DispatchFakeClient, needs_row
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import T0, FakeStore, make_row
from ui_support import Messages

from console.errors import ApiError
from console.models.dispatch.candidates import NAME
from console.models.dispatch.needs import DUE, WHY, NeedsPersonModel
from console.windows.dispatch import DispatchDesk
from core.contracts.dispatch import NeedsPersonRow
from core.orders.lifecycle import OrderState
from ui.dispatch.tables import order_from_mime, order_mime
from ui.orders.action_dialogs import ReasonDialog


class FakeMap(QWidget):
    orderDroppedOnTechnician = Signal(int, int)
    technicianClicked = Signal(int)


@pytest.fixture
def client() -> DispatchFakeClient:
    return DispatchFakeClient()


@pytest.fixture
async def desk(qtbot: QtBot, client: DispatchFakeClient,
               messages: Messages) -> AsyncIterator[tuple[DispatchDesk, FakeMap, list[int]]]:
    # Async: the desk starts loading as it comes on screen, on the test's (qasync) loop.
    window = QMainWindow()
    qtbot.addWidget(window)
    fake_map = FakeMap()
    qtbot.addWidget(fake_map)
    opened: list[int] = []
    store = FakeStore(rows={7: make_row(7, state=OrderState.ASSIGNED, version=3,
                                        dispatch_pinned=False)})
    desk = DispatchDesk(client, messages, window, opened.append, map_widget=fake_map,
                        store=store)
    window.show()
    desk.show_desk()
    yield desk, fake_map, opened
    desk.stop()


def answer_boxes(desk: DispatchDesk, yes: bool) -> list[str]:
    asked: list[str] = []

    def on_open(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(dialog.text())
        dialog.done(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No)

    desk.presenter.on_open = on_open
    return asked


async def loaded(desk: DispatchDesk) -> None:
    await eventually(lambda: desk.presenter.candidates.rowCount() == 2
                     and desk.presenter.needs.rowCount() == 2)


async def test_the_list_and_the_selected_orders_candidates_are_shown(
    desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, opened = desk
    await loaded(d)

    assert d.view.orders.current_key() == 1 and client.candidate_calls[0] == 1
    assert opened and opened[0] == 1  # the detail follows the desk's selection
    needs = d.presenter.needs
    assert needs.index(0, WHY).data() == "VIP 客户"
    cands = d.presenter.candidates
    assert cands.index(0, NAME).data() == "王师傅"
    assert cands.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # breaks: red
    assert "缺少技能「空调」" in cands.index(1, cands.columnCount() - 1).data()
    assert "need a person" in d.dock.windowTitle()


def test_an_sla_due_within_the_hour_or_past_is_red(qtbot: QtBot) -> None:
    model = NeedsPersonModel(clock=lambda: T0)
    model.set_rows([needs_row(1, due_in=timedelta(minutes=30)),
                    needs_row(2, due_in=timedelta(hours=5)),
                    needs_row(3, due_in=-timedelta(minutes=10))])
    red = [model.index(r, DUE).data(Qt.ItemDataRole.ForegroundRole) is not None
           for r in range(3)]
    assert red == [True, False, True]
    assert "late" in model.index(2, DUE).data()


async def test_keyboard_alone_assigns_tab_arrows_and_number_keys(
    qtbot: QtBot, desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, _ = desk
    await loaded(d)
    d.view.orders.setFocus()
    qtbot.keyClick(d.view.orders, Qt.Key.Key_Down)  # order 2
    await eventually(lambda: d.presenter.shown == 2
                     and d.presenter.candidates.rowCount() == 2)
    qtbot.keyClick(d.view.orders, Qt.Key.Key_Tab)
    assert d.view.candidates.hasFocus() or d.view.focusWidget() is d.view.candidates

    qtbot.keyClick(d.view.candidates, Qt.Key.Key_1)

    await eventually(lambda: len(client.requests) == 1)
    item = client.requests[0].assignments[0]
    assert (item.order_id, item.technician_id, item.version) == (2, 11, 5)
    await eventually(lambda: "1 assigned" in d.view.status.text())


@pytest.mark.parametrize(("yes", "sent"), [(True, 1), (False, 0)])
async def test_a_rule_breaking_candidate_asks_first_listing_the_breaks(
    qtbot: QtBot, desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient,
    yes: bool, sent: int,
) -> None:
    d, _, _ = desk
    await loaded(d)
    asked = answer_boxes(d, yes)
    d.view.candidates.setFocus()
    d.view.candidates.selectRow(1)

    qtbot.keyClick(d.view.candidates, Qt.Key.Key_Return)

    await eventually(lambda: bool(asked))
    assert "李师傅" in asked[0] and "缺少技能「空调」" in asked[0] and "今日已满 6/6 单" in asked[0]
    await eventually(lambda: len(client.requests) == sent)
    if sent:
        assert client.requests[0].assignments[0].technician_id == 12


async def test_bulk_each_to_its_best_reports_one_conflict(
    qtbot: QtBot, desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, _ = desk
    await loaded(d)
    client.stale = {2}
    d.view.orders.selectAll()

    qtbot.mouseClick(d.view.best_button, Qt.MouseButton.LeftButton)

    await eventually(lambda: len(client.requests) == 1)
    items = client.requests[0].assignments
    assert [(i.order_id, i.technician_id) for i in items] == [(1, None), (2, None)]
    await eventually(lambda: "not assigned" in d.view.status.text())
    text = d.view.status.text()
    assert "1 assigned" in text and "LM00000002" in text and "已被他人改动" in text
    await eventually(lambda: d.presenter.needs.rowCount() == 1)  # refreshed after


async def test_bulk_all_to_the_chosen_technician(
    qtbot: QtBot, desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, _ = desk
    await loaded(d)
    d.view.orders.selectAll()
    d.view.candidates.selectRow(0)

    qtbot.mouseClick(d.view.chosen_button, Qt.MouseButton.LeftButton)

    await eventually(lambda: len(client.requests) == 1)
    assert [(i.order_id, i.technician_id) for i in client.requests[0].assignments] == [
        (1, 11), (2, 11)]


async def test_dragging_an_order_onto_a_candidate_assigns_it(
    desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, _ = desk
    await loaded(d)
    d.view.orders.select_key(2)
    mime = d.view.orders.drag_mime()
    assert mime is not None and mime.text() == "lastmile-order:2"
    await eventually(lambda: d.presenter.listed == 2)  # order 2's candidates have arrived
    first = d.view.candidates.visualRect(d.presenter.candidates.index(0, 0)).center()

    assert d.view.candidates.drop_order(mime, first)

    await eventually(lambda: len(client.requests) == 1)
    item = client.requests[0].assignments[0]
    assert (item.order_id, item.technician_id) == (2, 11)


def test_only_order_texts_are_accepted_as_drops() -> None:
    assert order_from_mime(order_mime(42)) == 42
    bad = order_mime(1)
    bad.setText("hello")
    assert order_from_mime(bad) is None


async def test_a_drop_on_a_technician_on_the_map_assigns(
    desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, fake_map, _ = desk
    await loaded(d)
    answer_boxes(d, True)

    fake_map.orderDroppedOnTechnician.emit(1, 12)

    await eventually(lambda: len(client.requests) == 1)
    item = client.requests[0].assignments[0]
    assert (item.order_id, item.technician_id, item.version) == (1, 12, 5)
    fake_map.technicianClicked.emit(12)
    assert d.view.candidates.current_key() == 12


async def test_pin_and_unpin_an_assigned_order_from_the_queue(
    desk: tuple[DispatchDesk, FakeMap, list[int]], client: DispatchFakeClient
) -> None:
    d, _, _ = desk
    await loaded(d)
    d.show_order(7)
    assert d.view.pin_button.isEnabled() and not d.view.unpin_button.isEnabled()

    d.view.pin_button.click()
    await eventually(lambda: d.view.unpin_button.isEnabled())

    def reason(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason_edit.setPlainText("交回自动派单")
        dialog.accept()

    d.presenter.on_open = reason
    d.view.unpin_button.click()
    await eventually(lambda: len(client.acts) == 2)
    assert [(a.action, a.version, a.reason) for _, a in client.acts] == [
        ("pin", 3, ""), ("unpin", 3, "交回自动派单")]


async def test_a_store_change_to_a_dispatching_order_refreshes_the_list(
    qtbot: QtBot, client: DispatchFakeClient, messages: Messages
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    store = FakeStore()
    d = DispatchDesk(client, messages, window, lambda _i: None, store=store)
    window.show()
    d.show_desk()
    await eventually(lambda: d.presenter.needs.rowCount() == 2)
    client.rows = [*client.rows, needs_row(3)]

    store.emit("upsert", [make_row(3, state=OrderState.DISPATCHING)])

    await eventually(lambda: d.presenter.needs.rowCount() == 3)
    d.stop()


def fast_polling(d: DispatchDesk, ms: int = 20) -> list[int]:
    """Poll every `ms`; the returned list counts the timer's ticks (after the desk's)."""
    timer = d.presenter.polling.timer
    assert timer is not None
    timer.setInterval(ms)
    ticks = [0]
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    return ticks


async def test_the_list_is_polled_while_on_screen_and_not_behind_the_queue(
    qtbot: QtBot, client: DispatchFakeClient, messages: Messages
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    d = DispatchDesk(client, messages, window, lambda _i: None)
    ticks = fast_polling(d)
    window.show()
    d.show_desk()
    await eventually(lambda: client.needs_calls >= 3)  # on screen: on the timer

    d.dock.close()
    await eventually(lambda: not d.presenter.polling.busy())
    seen, ticked = client.needs_calls, ticks[0]
    await eventually(lambda: ticks[0] >= ticked + 3)

    assert client.needs_calls == seen  # closed: the timer ticks, nothing is fetched
    d.stop()


class FailingNeeds(DispatchFakeClient):
    async def needs_person(self) -> list[NeedsPersonRow]:
        self.needs_calls += 1
        raise ApiError(500, "boom")


async def test_a_failing_list_is_reported_once_not_on_every_tick(
    qtbot: QtBot, messages: Messages
) -> None:
    client = FailingNeeds()
    window = QMainWindow()
    qtbot.addWidget(window)
    d = DispatchDesk(client, messages, window, lambda _i: None)
    fast_polling(d)
    window.show()
    d.show_desk()

    await eventually(lambda: client.needs_calls >= 4)
    d.stop()

    assert len(messages.shown) == 1
    assert "Loading the orders needing a person" in messages.shown[0][1]


async def test_a_store_change_during_a_fetch_fetches_once_more_afterwards(
    qtbot: QtBot, messages: Messages
) -> None:
    class Held(DispatchFakeClient):
        hold: asyncio.Future[None] | None = None

        async def needs_person(self) -> list[NeedsPersonRow]:
            answer = await super().needs_person()  # the rows as they are when asked
            if self.hold is not None:
                await self.hold
            return answer

    client = Held()
    window = QMainWindow()
    qtbot.addWidget(window)
    store = FakeStore()
    d = DispatchDesk(client, messages, window, lambda _i: None, store=store)
    window.show()
    d.show_desk()
    await eventually(lambda: d.presenter.needs.rowCount() == 2)
    assert d.presenter.polling.timer is not None
    d.presenter.polling.timer.stop()  # only the store's change may bring the new row
    client.hold = asyncio.get_running_loop().create_future()
    asked = client.needs_calls
    d.presenter.refresh()
    await eventually(lambda: client.needs_calls > asked)  # asked, and its answer is held
    client.rows = [*client.rows, needs_row(3)]

    store.emit("upsert", [make_row(3, state=OrderState.DISPATCHING)])
    await eventually(lambda: not d._settle.isActive())  # settled while the fetch was held
    client.hold.set_result(None)

    await eventually(lambda: d.presenter.needs.rowCount() == 3)
    d.stop()


Answer = Callable[[QDialog], None]
