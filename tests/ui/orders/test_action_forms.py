"""Actions that need a form (appointment, county, service type) and reloads from the feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import T0, FakeClient, make_detail, make_row
from ui_support import Messages

from console.presenters.orders.action_forms import ActionForms
from console.presenters.orders.detail import OrderPresenter
from core.orders.lifecycle import OrderState
from ui.formatting import SHANGHAI
from ui.orders.action_dialogs import AppointmentDialog, ChoiceDialog
from ui.orders.detail_panel import DetailPanel


def presenter_for(qtbot: QtBot, client: FakeClient, messages: Messages,
                  answer: Callable[[QDialog], None]) -> OrderPresenter:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    forms = ActionForms(client, panel, clock=lambda: T0)
    forms.on_open = answer
    return OrderPresenter(client, panel, messages, forms=forms)


async def test_appointment_is_picked_in_beijing_time_and_sent_in_utc(
    qtbot: QtBot, messages: Messages
) -> None:
    client = FakeClient(make_detail(7, state=OrderState.ACCEPTED))

    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog)
        dialog.set_window(datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI),
                          datetime(2026, 11, 26, 11, 0, tzinfo=SHANGHAI))
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, pick)
    await presenter.load(7)
    await presenter.perform("appoint")
    request = client.acts[0][1]
    assert (request.start, request.end) == (datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
                                            datetime(2026, 11, 26, 3, 0, tzinfo=UTC))


def test_appointment_must_end_after_it_starts(qtbot: QtBot) -> None:
    dialog = AppointmentDialog(T0)
    qtbot.addWidget(dialog)
    start = T0 + timedelta(days=1)
    dialog.set_window(start, start - timedelta(hours=1))
    assert dialog.problem() == "The end must be after the start."
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted


@pytest.mark.parametrize(
    ("state", "action", "value", "field"),
    [(OrderState.AUDITED, "place", "110105", "county_adcode"),
     (OrderState.PLACED, "classify", "repair", "service_type")],
)
async def test_choice_actions_send_the_chosen_value(
    qtbot: QtBot, messages: Messages, state: OrderState, action: str, value: str, field: str
) -> None:
    client = FakeClient(make_detail(7, state=state))

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoiceDialog)
        dialog.select(value)
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, choose)
    await presenter.load(7)
    await presenter.perform(action)
    assert str(getattr(client.acts[0][1], field)) == value


async def test_cancelled_form_sends_nothing(qtbot: QtBot, messages: Messages) -> None:
    client = FakeClient(make_detail(7))
    presenter = presenter_for(qtbot, client, messages, lambda d: d.reject())
    await presenter.load(7)
    assert await presenter.perform("freeze") is None
    assert client.acts == []
    assert all(b.isEnabled() for b in presenter._panel.action_buttons.values())


async def test_a_newer_version_on_the_feed_reloads_the_shown_order(
    qtbot: QtBot, messages: Messages
) -> None:
    client = FakeClient(make_detail(7, version=3))
    presenter = presenter_for(qtbot, client, messages, lambda d: d.reject())
    await presenter.load(7)
    client.details[7] = make_detail(7, state=OrderState.ASSIGNED, version=4)
    presenter.rows_changed([make_row(7, version=3), make_row(8, version=9)])
    assert client.order_calls == [7]
    presenter.rows_changed([make_row(7, state=OrderState.ASSIGNED, version=4)])
    await eventually(lambda: presenter.current() is not None
                     and presenter.current().version == 4)  # type: ignore[union-attr]


async def test_refuse_sends_a_code_and_a_reason_but_never_offers_timeout(
    qtbot: QtBot, messages: Messages
) -> None:
    from ui.orders.action_dialogs import CodedReasonDialog

    client = FakeClient(make_detail(7, state=OrderState.ASSIGNED))
    offered: list[str] = []

    def refuse(dialog: QDialog) -> None:
        assert isinstance(dialog, CodedReasonDialog)
        offered.extend(dialog.combo.itemData(i) for i in range(dialog.combo.count()))
        dialog.select("too_far")
        dialog.reason_edit.setPlainText("师傅在外地")
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, refuse)
    await presenter.load(7)
    await presenter.perform("refuse")
    request = client.acts[0][1]
    assert (request.code, request.reason) == ("too_far", "师傅在外地")
    assert "timeout" not in offered and "customer_unreachable" in offered


async def test_escalate_moves_to_the_chosen_mode_as_an_agent(
    qtbot: QtBot, messages: Messages
) -> None:
    from ui.orders.action_dialogs import CodedReasonDialog

    client = FakeClient(make_detail(7, state=OrderState.DISPATCHING))

    def escalate(dialog: QDialog) -> None:
        assert isinstance(dialog, CodedReasonDialog)
        assert dialog.code() == "manual"
        dialog.select("grab")
        dialog.reason_edit.setPlainText("附近师傅多，放进抢单池")
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, escalate)
    await presenter.load(7)
    await presenter.perform("escalate")
    request = client.acts[0][1]
    assert (request.mode, request.code, request.reason) == ("grab", "agent",
                                                            "附近师傅多，放进抢单池")


async def test_mark_sends_tags_and_a_price_in_fen(qtbot: QtBot, messages: Messages) -> None:
    from ui.orders.action_dialogs import MarkDialog

    client = FakeClient(make_detail(7, state=OrderState.DISPATCHING))

    def mark(dialog: QDialog) -> None:
        assert isinstance(dialog, MarkDialog)
        dialog.tag_boxes["vip"].setChecked(True)
        dialog.tag_boxes["urgent"].setChecked(True)
        dialog.price_edit.setText("79.5")
        dialog.reason_edit.setPlainText("大客户加急")
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, mark)
    await presenter.load(7)
    await presenter.perform("mark")
    request = client.acts[0][1]
    assert (sorted(request.tags or []), request.grab_price_fen) == (["urgent", "vip"], 7950)


@pytest.mark.parametrize(("text", "ok"), [("80", True), ("0.01", True), ("1.234", False),
                                          ("-3", False), ("abc", False), ("", True)])
def test_the_grab_price_must_be_yuan_with_two_decimals(
    qtbot: QtBot, text: str, ok: bool
) -> None:
    from ui.orders.action_dialogs import MarkDialog

    dialog = MarkDialog("Mark", "", [("vip", "VIP")], [], None)
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("why")
    dialog.price_edit.setText(text)
    assert (dialog.problem() == "") is ok


@pytest.mark.parametrize(("action", "asks"), [("pin", False), ("unpin", True),
                                              ("withdraw", True)])
async def test_pin_needs_no_reason_unpin_and_withdraw_do(
    qtbot: QtBot, messages: Messages, action: str, asks: bool
) -> None:
    client = FakeClient(make_detail(7, state=OrderState.ASSIGNED))
    opened: list[QDialog] = []

    def answer(dialog: QDialog) -> None:
        opened.append(dialog)
        dialog.reason_edit.setPlainText("客户要求换师傅")  # type: ignore[attr-defined]
        dialog.accept()

    presenter = presenter_for(qtbot, client, messages, answer)
    await presenter.load(7)
    await presenter.perform(action)
    assert bool(opened) is asks
    assert client.acts[0][1].action == action
    assert client.acts[0][1].reason == ("客户要求换师傅" if asks else "")
