"""Assembled workspaces: the map and the queue follow each other; finance settles and closes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.windows import Workspace
from core.contracts import ActionRequest, OrderDetail
from core.orders.lifecycle import ACTIONS, OrderState, Role, allowed_actions
from ui.map_view import MapView
from ui.roles import ID_ROLE

Factory = Callable[[], QSettings]
MAP_TIMEOUT = 30.0


async def js(view: MapView, script: str) -> Any:
    """The value of a script in the map page."""
    answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def answered(value: Any) -> None:
        if not answer.done():
            answer.set_result(value)

    view.page().runJavaScript(script, 0, answered)
    return await asyncio.wait_for(answer, MAP_TIMEOUT)


async def until_js(view: MapView, script: str, expected: Any) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + MAP_TIMEOUT
    while (value := await js(view, script)) != expected:
        if loop.time() > deadline:
            raise AssertionError(f"{script} -> {value!r}, expected {expected!r}")
        await asyncio.sleep(0.05)


@pytest.fixture
def map_workspace(qtbot: QtBot, settings_factory: Factory) -> Iterator[Workspace]:
    rows = {i: make_row(i, lat=30.0 + i * 0.02, lng=120.0 + i * 0.02) for i in range(1, 21)}
    client = FakeClient()
    for i in rows:
        client.details[i] = make_detail(i, state=rows[i].state, role=Role.ADMIN)
    workspace = Workspace("admin", client, FakeStore(rows=rows),
                          settings_factory=settings_factory, map_factory=MapView)
    workspace.window.show()
    yield workspace
    # Delete now, not at exit: a page outliving its profile makes WebEngine warn and may crash.
    workspace.window.close()
    workspace.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def shown_id(workspace: Workspace) -> int | None:
    detail = workspace.detail.detail()
    return None if detail is None else detail.id


async def test_the_map_follows_the_queue_and_the_queue_follows_the_map(
    map_workspace: Workspace,
) -> None:
    view = map_workspace.map_widget
    assert isinstance(view, MapView)
    await eventually(lambda: view.is_loaded, MAP_TIMEOUT)
    map_workspace.map_feed.push()
    await until_js(view, "lastmile.orderCount()", 20)

    map_workspace.queue_view.select_order(5)

    await until_js(view, "lastmile.selectedOrder()", 5)
    await until_js(view, "lastmile.orderShown(5)", "true true")
    assert (await js(view, "lastmile.view().zoom")) <= 13
    await eventually(lambda: shown_id(map_workspace) == 5)

    await js(view, "lastmile.orderMarker(12).fire('click'), 1")

    await eventually(lambda: map_workspace.queue_view.selected_order() == 12, MAP_TIMEOUT)
    await eventually(lambda: shown_id(map_workspace) == 12)
    await until_js(view, "lastmile.selectedOrder()", 12)


def state_of(workspace: Workspace) -> OrderState | None:
    detail = workspace.detail.detail()
    return None if detail is None else detail.state


class LifecycleClient(FakeClient):
    """Acts as the server would for one role: the action's target state, the role's actions."""

    def __init__(self, role: Role, details: list[OrderDetail]) -> None:
        super().__init__()
        self.role = role
        self.details.update({d.id: d for d in details})

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail:
        self.acts.append((order_id, request))
        detail = self.details[order_id]
        target = ACTIONS[request.action].target or detail.state
        updated = detail.model_copy(update={
            "state": target, "version": detail.version + 1,
            "allowed_actions": allowed_actions(target, self.role),
        })
        self.details[order_id] = updated
        return updated


async def test_finance_sees_served_to_settled_and_settles_and_closes_from_the_detail(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    states = {1: OrderState.SETTLEABLE, 2: OrderState.SERVED, 3: OrderState.NEW,
              4: OrderState.SETTLED, 5: OrderState.DISPATCHING}
    store = FakeStore(rows={i: make_row(i, state=s) for i, s in states.items()})
    client = LifecycleClient(Role.FINANCE, [make_detail(1, state=OrderState.SETTLEABLE,
                                                        role=Role.FINANCE)])
    workspace = Workspace("finance", client, store, settings_factory=settings_factory,
                          map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    visible = {workspace.proxy.index(r, 0).data(ID_ROLE) for r in range(workspace.proxy.rowCount())}
    assert visible == {1, 2, 4}

    workspace.queue_view.select_order(1)
    await eventually(lambda: shown_id(workspace) == 1 and not workspace.presenter.is_busy())
    assert set(workspace.detail.action_buttons) == {"settle", "freeze"}
    workspace.detail.action_buttons["settle"].click()
    await eventually(lambda: state_of(workspace) is OrderState.SETTLED)
    await eventually(lambda: not workspace.presenter.is_busy())
    assert set(workspace.detail.action_buttons) == {"close", "freeze"}
    assert workspace.detail.action_buttons["close"].isEnabled()
    workspace.detail.action_buttons["close"].click()
    await eventually(lambda: state_of(workspace) is OrderState.CLOSED)

    assert [(i, r.action, r.version) for i, r in client.acts] == [
        (1, "settle", 3), (1, "close", 4)]
