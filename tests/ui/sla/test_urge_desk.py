"""The urge dock (催单) offscreen: the list from the server with the unanswered count in the
title, the chosen urge's text and reply, Enter opens the order, U urges it by hand, R answers
an escalation for a supervisor (never for an agent), a stale answer refreshes and says so, an
urge on the change feed refreshes the list at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.store import OrderStore
from console.windows.sla_urges import UrgeDesk
from core.contracts import ChangeEvent, OrderRow
from core.contracts.sla_urges import UrgeOut
from core.orders.lifecycle import OrderState

AT = datetime(2026, 3, 2, 2, 31, tzinfo=UTC)


def urge(n: int, target: str, *, reply: str | None = None, left: int = 5,
         settled: bool = False) -> UrgeOut:
    return UrgeOut(
        id=n, order_id=100 + n, order_no=f"LM{n}", source="alert", step="accept",
        step_name="接单 (accept)", level="严重" if target == "supervisor" else "预警",
        target=target, target_name=target, technician_id=1, service_point_id=None,
        text=f"催单 {n}", by_actor="sla", by_role="system", at=AT,
        due=AT + timedelta(minutes=left), time_left=timedelta(minutes=left), to_manual="",
        settled=settled,
        platform=None, reply=reply, replied_by="tech1" if reply else None,
        replied_role="technician" if reply else None, replied_at=AT if reply else None,
        version=2 if reply else 1)


def event(seq: int, kind: str) -> ChangeEvent:
    row = OrderRow(id=101, order_no="LM1", platform="tmall", customer_name="c",
                   county_adcode="110105", county_name="朝阳区", city="北京市",
                   service_type=None, state=OrderState.ASSIGNED, technician_id=1,
                   technician_name="", lng=None, lat=None, version=3, created_at=AT,
                   state_changed_at=AT)
    return ChangeEvent.model_validate({"seq": seq, "order_id": 101, "kind": kind, "at": AT,
                                       "actor": "sla", "actor_role": "system", "reason": "",
                                       "from_state": "assigned", "to_state": "assigned",
                                       "version": 3, "data": {}, "order": row})


class FakeUrgeClient:
    def __init__(self) -> None:
        self.rows = [urge(1, "supervisor", left=-3), urge(2, "technician"),
                     urge(3, "technician", reply="马上到"),
                     urge(5, "desk", left=-9, settled=True)]
        self.asked: list[bool | None] = []
        self.urged: list[tuple[int, str]] = []
        self.replies: list[tuple[int, str, int]] = []
        self.stale = False

    async def sla_urges(self, answered: bool | None = None, limit: int = 200,
                        offset: int = 0) -> list[UrgeOut]:
        self.asked.append(answered)
        return [r for r in self.rows if answered is None or (r.reply is not None) == answered]

    async def urge_order(self, order_id: int, text: str,
                         target: str = "technician") -> UrgeOut:
        self.urged.append((order_id, text))
        return urge(9, "technician")

    async def reply_urge(self, urge_id: int, text: str, version: int) -> UrgeOut:
        if self.stale:
            raise ApiError(409, "Conflict", "already answered")
        self.replies.append((urge_id, text, version))
        return urge(urge_id, "supervisor", reply=text)


class Dock:
    def __init__(self, qtbot: QtBot, messages: Messages, role: str) -> None:
        self.client = FakeUrgeClient()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.opened: list[int] = []
        self.desk = UrgeDesk(self.client, messages, self.window, self.opened.append, role=role)
        self.presenter, self.view = self.desk.presenter, self.desk.view
        self.window.resize(900, 700)
        self.window.show()


async def test_the_list_shows_unanswered_urges_and_counts_them_in_the_title(
        qtbot: QtBot, messages: Messages) -> None:
    dock = Dock(qtbot, messages, "agent")
    await eventually(lambda: dock.presenter.refreshes >= 1)

    model = dock.presenter.model
    assert model.rowCount() == 4
    assert dock.desk.dock.windowTitle() == "Urges (2 unanswered)"  # not the settled one
    assert dock.view.counts.text() == "2 awaiting an answer of 4"
    assert model.text(model.item(0), 4) == "3 min over"
    assert model.warning(model.item(0), 4) and not model.warning(model.item(3), 4)
    assert "催单 1" in dock.view.detail.text() and "Not answered yet." in dock.view.detail.text()

    dock.view.unanswered_only.setChecked(True)
    await eventually(lambda: dock.client.asked[-1] is False)


async def test_the_reply_is_shown_and_enter_opens_the_order(qtbot: QtBot,
                                                            messages: Messages) -> None:
    dock = Dock(qtbot, messages, "agent")
    await eventually(lambda: dock.presenter.refreshes >= 1)
    dock.view.focus_current()

    qtbot.keyClick(dock.view.table, Qt.Key.Key_Down)
    qtbot.keyClick(dock.view.table, Qt.Key.Key_Down)
    qtbot.keyClick(dock.view.table, Qt.Key.Key_Return)

    assert dock.opened == [103]
    assert "Answered by tech1" in dock.view.detail.text() and "马上到" in dock.view.detail.text()


async def test_u_urges_the_chosen_order_by_hand(qtbot: QtBot, messages: Messages) -> None:
    dock = Dock(qtbot, messages, "agent")
    await eventually(lambda: dock.presenter.refreshes >= 1)
    dock.presenter.on_open = lambda d: (d.reason_edit.setPlainText("客户又来电了"), d.accept())

    dock.view.urge_button.click()

    await eventually(lambda: dock.client.urged == [(101, "客户又来电了")])
    assert ("info", "Order LM1 urged.") in messages.shown


async def test_an_agent_cannot_answer_an_escalation_but_a_supervisor_can(
        qtbot: QtBot, messages: Messages) -> None:
    agent = Dock(qtbot, messages, "agent")
    await eventually(lambda: agent.presenter.refreshes >= 1)
    assert not agent.view.reply_button.isEnabled()

    supervisor = Dock(qtbot, messages, "supervisor")
    await eventually(lambda: supervisor.presenter.refreshes >= 1)
    supervisor.presenter.on_open = lambda d: (d.reason_edit.setPlainText("已安排改派"),
                                              d.accept())
    assert supervisor.view.reply_button.isEnabled()
    supervisor.view.reply_button.click()

    await eventually(lambda: supervisor.client.replies == [(1, "已安排改派", 1)])


async def test_a_stale_answer_refreshes_and_says_so(qtbot: QtBot, messages: Messages) -> None:
    dock = Dock(qtbot, messages, "supervisor")
    await eventually(lambda: dock.presenter.refreshes >= 1)
    dock.client.stale = True
    dock.presenter.on_open = lambda d: (d.reason_edit.setPlainText("好"), d.accept())
    before = dock.presenter.refreshes

    dock.view.reply_button.click()

    await eventually(lambda: any(level == "warning" for level, _ in messages.shown))
    await eventually(lambda: dock.presenter.refreshes > before)


async def test_an_urge_on_the_feed_refreshes_the_list(qtbot: QtBot, messages: Messages) -> None:
    client, window = FakeUrgeClient(), QMainWindow()
    qtbot.addWidget(window)
    store = OrderStore()
    desk = UrgeDesk(client, messages, window, lambda _id: None,
                    subscribe_events=store.subscribe_events)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    client.rows.append(urge(4, "technician"))

    store.apply_many([event(20, "sla_urge"), event(21, "sla_urge_reply")])

    await eventually(lambda: desk.presenter.model.rowCount() == 5, timeout=2.0)
    assert desk.dock.windowTitle() == "Urges (3 unanswered)"
    desk.stop()
