"""The detail always shows the order selected in the queue: late answers, re-sorts, actions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import T0, FakeClient, FakeStore, make_detail, make_row

from console.models.orders import Column
from console.windows import Workspace
from core.contracts import ActionRequest, OrderDetail
from core.orders.lifecycle import OrderState, Role
from ui.roles import ID_ROLE

Factory = Callable[[], QSettings]


class LateClient(FakeClient):
    """Answers an order only when the test releases it, in whatever order the test chooses.

    Like a server whose answer is already on the wire, an answer arrives even when the request
    was cancelled meanwhile.
    """

    def __init__(self, details: list[OrderDetail]) -> None:
        super().__init__()
        self.details.update({d.id: d for d in details})
        self.gates: dict[int, asyncio.Future[None]] = {}
        self.answered: list[int] = []
        self.act_gate: asyncio.Future[None] | None = None

    def gate(self, order_id: int) -> asyncio.Future[None]:
        if order_id not in self.gates:
            self.gates[order_id] = asyncio.get_running_loop().create_future()
        return self.gates[order_id]

    def release(self, order_id: int) -> None:
        self.gate(order_id).set_result(None)

    async def order(self, order_id: int) -> OrderDetail:
        self.order_calls.append(order_id)
        try:
            await asyncio.shield(self.gate(order_id))
        except asyncio.CancelledError:
            await self.gate(order_id)
        # The caller takes the answer in this same step of its task.
        self.answered.append(order_id)
        return self.details[order_id]

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail:
        if self.act_gate is not None:
            await self.act_gate
        return await super().act(order_id, request)


def supervisor_details(*ids: int) -> list[OrderDetail]:
    return [make_detail(i, state=OrderState.NEW, role=Role.SUPERVISOR) for i in ids]


def build(qtbot: QtBot, role: str, client: FakeClient, store: FakeStore,
          settings_factory: Factory) -> Workspace:
    workspace = Workspace(role, client, store, settings_factory=settings_factory,
                          map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


def new_rows(*ids: int) -> FakeStore:
    return FakeStore(rows={i: make_row(i, state=OrderState.NEW) for i in ids})


def shown_id(workspace: Workspace) -> int | None:
    detail = workspace.detail.detail()
    return None if detail is None else detail.id


def current_row_id(workspace: Workspace) -> int | None:
    index = workspace.queue_view.table.selectionModel().currentIndex()
    return index.data(ID_ROLE) if index.isValid() else None


async def test_a_late_answer_for_an_earlier_selection_is_ignored(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = LateClient(supervisor_details(8, 10))
    workspace = build(qtbot, "supervisor", client, new_rows(8, 10), settings_factory)
    workspace.queue_view.select_order(8)
    await eventually(lambda: 8 in client.order_calls)  # the request for 8 is on its way
    workspace.queue_view.select_order(10)

    client.release(10)
    await eventually(lambda: shown_id(workspace) == 10)
    late = workspace.presenter.orderShown
    answers: list[int] = []
    late.connect(lambda detail: answers.append(detail.id))
    client.release(8)
    await eventually(lambda: 8 in client.answered)  # the late answer has been taken

    assert answers == []
    assert shown_id(workspace) == 10
    assert workspace.queue_view.selected_order() == 10


async def test_the_selection_stays_on_its_order_when_the_rows_re_sort(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = LateClient(supervisor_details(8, 9, 10))
    for i in (8, 9, 10):
        client.release(i)
    workspace = build(qtbot, "supervisor", client, new_rows(8, 9, 10), settings_factory)
    workspace.queue_view.table.sortByColumn(Column.TIME_IN_STATE, Qt.SortOrder.DescendingOrder)
    assert workspace.proxy.index(0, 0).data(ID_ROLE) == 8  # the longest in its state
    workspace.queue_view.select_order(8)
    await eventually(lambda: shown_id(workspace) == 8)

    # Someone moves order 8 on: it is now the newest in its state and sorts last.
    moved = make_row(8, state=OrderState.AUDITED, version=2,
                     state_changed_at=T0 + timedelta(hours=1))
    workspace._store.emit("upsert", [moved])  # type: ignore[attr-defined]

    assert workspace.proxy.index(2, 0).data(ID_ROLE) == 8
    assert workspace.queue_view.selected_order() == 8
    assert current_row_id(workspace) == 8
    assert workspace.presenter.wanted() == 8
    assert client.order_calls.count(10) == 0  # no detail was loaded for a neighbour


async def test_an_order_leaving_the_queue_takes_the_selection_with_it(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeClient()
    client.details.update({d.id: d for d in supervisor_details(8, 9, 10)})
    store = new_rows(8, 9, 10)
    workspace = build(qtbot, "supervisor", client, store, settings_factory)
    workspace.queue_view.select_order(9)
    await eventually(lambda: shown_id(workspace) == 9)

    store.emit("remove", [store.rows[9]])
    await eventually(lambda: current_row_id(workspace) is None)

    assert not workspace.queue_view.table.selectionModel().hasSelection()
    assert client.order_calls == [9]
    assert shown_id(workspace) == 9


async def test_an_action_answer_does_not_replace_a_newer_selection(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = LateClient(supervisor_details(8, 10))
    client.release(8)
    client.release(10)
    client.act_gate = asyncio.get_running_loop().create_future()
    workspace = build(qtbot, "supervisor", client, new_rows(8, 10), settings_factory)
    workspace.queue_view.select_order(8)
    await eventually(lambda: shown_id(workspace) == 8)
    workspace.detail.action_buttons["audit"].click()
    await eventually(lambda: workspace.presenter.is_busy())

    workspace.queue_view.select_order(10)
    await eventually(lambda: shown_id(workspace) == 10)
    client.act_gate.set_result(None)
    await eventually(lambda: bool(client.acts) and not workspace.presenter.is_busy())

    assert shown_id(workspace) == 10
    assert client.acts[0][0] == 8


async def test_a_supervisors_buttons_are_enabled_once_the_detail_is_loaded(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeClient()
    client.details.update({d.id: d for d in supervisor_details(8)})
    workspace = build(qtbot, "supervisor", client, new_rows(8), settings_factory)

    workspace.queue_view.select_order(8)
    await eventually(lambda: shown_id(workspace) == 8 and not workspace.presenter.is_busy())

    buttons = workspace.detail.action_buttons
    assert set(buttons) == {"audit", "mark", "cancel", "freeze"}
    assert all(button.isEnabled() for button in buttons.values())


async def test_a_feed_refresh_of_the_shown_order_keeps_its_buttons_enabled(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = LateClient(supervisor_details(8))
    client.release(8)
    store = new_rows(8)
    workspace = build(qtbot, "supervisor", client, store, settings_factory)
    workspace.queue_view.select_order(8)
    await eventually(lambda: shown_id(workspace) == 8)
    client.details[8] = make_detail(8, state=OrderState.NEW, version=4, role=Role.SUPERVISOR)
    client.gates[8] = asyncio.get_running_loop().create_future()  # the reload waits

    store.emit("upsert", [make_row(8, state=OrderState.NEW, version=4)])

    assert workspace.presenter.is_busy()
    assert all(b.isEnabled() for b in workspace.detail.action_buttons.values())
    client.release(8)
    await eventually(lambda: workspace.detail.detail().version == 4)  # type: ignore[union-attr]
    assert all(b.isEnabled() for b in workspace.detail.action_buttons.values())
