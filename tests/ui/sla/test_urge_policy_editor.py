"""The urging policy editor offscreen, opened from the urge dock (催单) by a supervisor (an
agent has no button): it shows per step whom each level urges and the back-to-manual check;
a change is saved from the version seen with a reason and logged in words; a change someone
else saved meanwhile is refused and said plainly, their policy shown; an unchanged policy is
not sent."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QDialog, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.presenters.sla.urge_policy import UrgePolicyPresenter
from console.windows.sla_urges import UrgeDesk
from core.contracts.sla_urges import UrgeOut, UrgePolicyLogEntry, UrgePolicyOut, UrgePolicyPut
from core.sla.urging import BUILT_IN, TARGET_WORDS
from ui.orders.action_dialogs import ReasonDialog
from ui.sla.urge_policy import UrgePolicyView

AT = datetime(2026, 3, 2, 2, 31, tzinfo=UTC)


class FakePolicyClient:
    """The urge list (empty) and the urging policy as the server keeps it."""

    def __init__(self) -> None:
        self.body: dict[str, Any] = BUILT_IN.as_body()
        self.version, self.by = 0, ""
        self.log: list[UrgePolicyLogEntry] = []
        self.puts: list[UrgePolicyPut] = []

    async def sla_urges(self, answered: bool | None = None, limit: int = 200,
                        offset: int = 0) -> list[UrgeOut]:
        return []

    async def urge_order(self, order_id: int, text: str, target: str = "technician") -> UrgeOut:
        raise AssertionError("no order is urged here")

    async def reply_urge(self, urge_id: int, text: str, version: int) -> UrgeOut:
        raise AssertionError("no urge is answered here")

    async def urge_policy(self) -> UrgePolicyOut:
        return UrgePolicyOut(body=copy.deepcopy(self.body), version=self.version,
                             updated_by=self.by, updated_at=AT if self.version else None,
                             targets={t.value: f"{zh} ({en})"
                                      for t, (zh, en) in TARGET_WORDS.items()})

    async def put_urge_policy(self, change: UrgePolicyPut) -> UrgePolicyOut:
        self.puts.append(change)
        if change.version != self.version:
            raise ApiError(409, "Conflict", "已被他人修改 (changed meanwhile)",
                           current_version=self.version)
        self.change(change.body, "supervisor", change.reason)
        return await self.urge_policy()

    def change(self, body: dict[str, Any], by: str, reason: str) -> None:
        self.log.insert(0, UrgePolicyLogEntry(id=len(self.log) + 1, at=AT, actor=by,
                                              reason=reason, before=self.body, after=body))
        self.body, self.version, self.by = copy.deepcopy(body), self.version + 1, by

    async def urge_policy_log(self, limit: int = 100) -> list[UrgePolicyLogEntry]:
        return self.log[:limit]


def _desk(qtbot: QtBot, messages: Messages, role: str) -> tuple[UrgeDesk, FakePolicyClient]:
    client, window = FakePolicyClient(), QMainWindow()
    qtbot.addWidget(window)
    desk = UrgeDesk(client, messages, window, lambda _order: None, role=role,
                    policy_client=client)
    window.show()
    return desk, client


async def _opened(qtbot: QtBot, desk: UrgeDesk) -> tuple[UrgePolicyPresenter, UrgePolicyView]:
    assert desk.view.policy_button.isVisible()
    desk.view.policy_button.click()
    presenter = desk.policy
    assert presenter is not None
    await eventually(lambda: presenter.shown is not None)
    editor = presenter.parent()
    assert isinstance(editor, UrgePolicyView) and editor.isVisible()
    return presenter, editor


def _say(reason: str) -> Any:
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason_edit.setPlainText(reason)
        dialog.accept()
    return answer


async def test_an_agent_has_no_policy_button(qtbot: QtBot, messages: Messages) -> None:
    desk, _client = _desk(qtbot, messages, "agent")
    assert not desk.view.policy_button.isVisible()


async def test_a_supervisor_changes_whom_a_breach_urges_with_a_reason(
        qtbot: QtBot, messages: Messages) -> None:
    desk, client = _desk(qtbot, messages, "supervisor")
    presenter, editor = await _opened(qtbot, desk)
    accept = editor.rows["accept"]
    assert editor.status.text() == "Built-in policy, never changed"
    assert [accept.combos[level].currentData() for level in ("notice", "warning", "severe")] \
        == ["technician", "service_point", "supervisor"]
    assert accept.to_manual.isChecked() and not editor.rows["complete"].to_manual.isChecked()
    severe = accept.combos["severe"]
    assert [severe.itemText(i) for i in range(severe.count())] == [
        "technician", "service point", "supervisor", "desk", "nobody"]
    assert editor.rows["accept"] is accept and len(editor.rows) == 7

    accept.combos["severe"].setCurrentIndex(accept.combos["severe"].findData("desk"))
    accept.to_manual.setChecked(False)
    presenter.on_open = _say("夜间无主管值班")
    editor.save_button.click()

    await eventually(lambda: client.version == 1 and presenter.shown is not None
                     and presenter.shown.version == 1)
    put = client.puts[-1]
    assert (put.version, put.reason) == (0, "夜间无主管值班")
    assert put.body["steps"]["accept"] == {"notice": "technician", "warning": "service_point",
                                           "severe": "desk", "to_manual": False}
    assert put.body["steps"]["complete"] == BUILT_IN.as_body()["steps"]["complete"]
    assert editor.status.text().startswith("Version 1, changed by supervisor at ")
    log = presenter.log_model
    assert log.rowCount() == 1
    assert log.item(0, 2).text() == "夜间无主管值班"
    what = log.item(0, 3).text()
    assert "breach:" in what and "→" in what and "back to manual: yes → no" in what
    assert messages.shown[-1] == ("info", "Urging policy saved (version 1).")


async def test_a_change_saved_meanwhile_is_not_overwritten_and_is_said_plainly(
        qtbot: QtBot, messages: Messages) -> None:
    desk, client = _desk(qtbot, messages, "supervisor")
    presenter, editor = await _opened(qtbot, desk)
    theirs = BUILT_IN.as_body()
    theirs["steps"]["verify"]["notice"] = "none"
    client.change(theirs, "boss", "核验不催")  # another supervisor, after this editor loaded

    editor.rows["accept"].to_manual.setChecked(False)
    presenter.on_open = _say("接单超时不回人工")
    editor.save_button.click()

    await eventually(lambda: editor.problem.isVisible() and "boss" in editor.problem.text())
    assert client.puts[-1].version == 0 and client.version == 1
    assert client.body == theirs  # not overwritten
    text = editor.problem.text()
    assert text.startswith("Not saved: boss changed the urging policy meanwhile (now version 1)")
    assert "back to manual: yes → no" in text  # what the person tried, so it can be redone
    assert ("warning", text) in messages.shown
    assert editor.rows["verify"].combos["notice"].currentData() == "none"  # theirs shown
    assert editor.rows["accept"].to_manual.isChecked()


async def test_an_unchanged_policy_is_not_sent(qtbot: QtBot, messages: Messages) -> None:
    desk, client = _desk(qtbot, messages, "supervisor")
    presenter, editor = await _opened(qtbot, desk)
    editor.save_button.click()
    await eventually(lambda: editor.problem.text() == "Nothing was changed.")
    assert client.puts == [] and presenter.current is None
    desk.view.policy_button.click()  # open already: brought forward, not a second one
    assert desk.policy is presenter
