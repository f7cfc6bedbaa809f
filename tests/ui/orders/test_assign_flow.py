"""Manual assignment end to end: detail -> assign dialog -> client.act, and a stale version."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, make_detail
from ui_support import Messages

from console.errors import ApiError
from console.presenters.orders.detail import OrderPresenter
from ui.dispatch.assign_dialog import AssignDialog
from ui.orders.action_dialogs import ReasonDialog
from ui.orders.detail_panel import DetailPanel


@pytest.fixture
def client() -> FakeClient:
    return FakeClient(make_detail(7, version=3))


@pytest.fixture
def presenter(qtbot: QtBot, client: FakeClient, messages: Messages) -> OrderPresenter:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    return OrderPresenter(client, panel, messages)


def answer_with(handler: Callable[[QDialog], None], presenter: OrderPresenter) -> list[QDialog]:
    opened: list[QDialog] = []

    def on_open(dialog: QDialog) -> None:
        opened.append(dialog)
        handler(dialog)

    presenter.forms.on_open = on_open
    return opened


async def test_selecting_an_order_loads_it(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient
) -> None:
    presenter.select(7)
    await eventually(lambda: presenter.current() is not None)
    assert presenter.current().id == 7  # type: ignore[union-attr]
    assert client.order_calls == [7]


async def test_keyboard_choice_assigns_with_the_current_version(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient, messages: Messages
) -> None:
    await presenter.load(7)

    def keyboard(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    opened = answer_with(keyboard, presenter)
    qtbot.mouseClick(presenter._panel.action_buttons["assign"], Qt.MouseButton.LeftButton)
    await eventually(lambda: len(client.acts) == 1)
    order_id, request = client.acts[0]
    assert (order_id, request.action, request.technician_id, request.version) == (
        7, "assign", 11, 3)
    assert len(opened) == 1
    await eventually(lambda: presenter.current().version == 4)  # type: ignore[union-attr]
    assert messages.shown and messages.shown[-1][0] == "info"


@pytest.mark.parametrize(("confirmed", "acts"), [(True, 1), (False, 0)])
async def test_rule_breaking_candidate_needs_confirmation(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient, confirmed: bool, acts: int
) -> None:
    await presenter.load(7)
    asked: list[str] = []

    def pick_second(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        def confirm(_parent: object, text: str) -> bool:
            asked.append(text)
            return confirmed

        dialog.confirm = confirm
        dialog.set_current_row(1)
        assert dialog.table.model().index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
        dialog.choose_current()
        if not confirmed:
            assert dialog.isVisible()
            dialog.reject()

    answer_with(pick_second, presenter)
    result = await presenter.perform("assign")
    assert len(client.acts) == acts
    assert asked and "李师傅" in asked[0]
    if confirmed:
        assert client.acts[0][1].technician_id == 12
        assert result is not None
    else:
        assert result is None


async def test_stale_version_shows_a_message_and_reloads(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient, messages: Messages
) -> None:
    await presenter.load(7)
    # Someone else assigned the order meanwhile: the server has version 4.
    client.details[7] = make_detail(7, version=4)
    client.fail_next_act = ApiError(409, "Conflict", "stale version", current_version=4)
    answer_with(lambda d: d.choose_current(), presenter)  # type: ignore[attr-defined]
    result = await presenter.perform("assign")
    assert result is None
    assert client.acts[0][1].version == 3
    level, text = messages.shown[-1]
    assert level == "warning" and "changed by someone else" in text
    assert client.order_calls == [7, 7]
    assert presenter.current().version == 4  # type: ignore[union-attr]


async def test_other_errors_go_to_the_message_route(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient, messages: Messages
) -> None:
    await presenter.load(7)
    client.fail_next_act = ApiError(403, "Forbidden", "role agent may not settle")
    answer_with(lambda d: d.accept(), presenter)
    presenter.request_action("settle")
    await eventually(lambda: bool(messages.shown))
    level, text = messages.shown[-1]
    assert level == "error" and "Your role may not do this." in text
    assert "Traceback" not in text


async def test_cancel_asks_for_a_reason(
    qtbot: QtBot, presenter: OrderPresenter, client: FakeClient
) -> None:
    await presenter.load(7)

    def give_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.reason_edit.setPlainText("客户取消")
        dialog.accept()

    answer_with(give_reason, presenter)
    await presenter.perform("cancel")
    assert client.acts[0][1].reason == "客户取消"
