"""The technicians dock: the table and its filter, editing settings with a reason, a conflict
that reloads, a refusal that reopens the form, and the read-only dock of an agent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.models.technicians.table import ACTIVE, CAPACITY, CERTIFICATES, LOAD, TechnicianModel
from console.windows.technicians import TechnicianDesk
from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate
from ui.roles import WARNING_ROLE
from ui.technicians.dialog import TechnicianDialog, TechnicianSettings, split_names

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def make_technician(tech_id: int, name: str, *, capacity: int = 4, load: int = 1,
                    skills: tuple[str, ...] = ("aircon",), point: str = "朝阳网点",
                    active: bool = True, version: int = 1) -> TechnicianOut:
    return TechnicianOut(
        id=tech_id, name=name, phone="13900000001", skills=list(skills),
        county_adcode="110105", county_name="朝阳区", service_point=point, home_lng=116.4,
        home_lat=39.9, daily_capacity=capacity, load_today=load, active=active,
        qualifications=["电工证"] if tech_id == 1 else [], version=version)


class FakeTechnicianClient:
    """Technicians in memory; PATCH checks the version as the server does."""

    def __init__(self) -> None:
        self.rows = {1: make_technician(1, "王建"), 2: make_technician(2, "李静", point="海淀网点",
                                                                     skills=("general",))}
        self.sent: list[tuple[int, TechnicianUpdate]] = []
        self.refuse: list[ApiError] = []
        self.log: list[TechnicianChangeOut] = []

    async def technicians(self) -> list[TechnicianOut]:
        return list(self.rows.values())

    async def update_technician(self, technician_id: int,
                                change: TechnicianUpdate) -> TechnicianOut:
        self.sent.append((technician_id, change))
        if self.refuse:
            raise self.refuse.pop(0)
        row = self.rows[technician_id]
        if change.version != row.version:
            raise ApiError(409, "Conflict", "changed meanwhile", current_version=row.version)
        updated = row.model_copy(update={**change.changes(), "version": row.version + 1})
        self.rows[technician_id] = updated
        return updated

    async def technician_log(self, technician_id: int,
                             limit: int = 100) -> list[TechnicianChangeOut]:
        return [c for c in self.log if c.technician_id == technician_id][:limit]


Answer = Callable[[TechnicianDialog], None]


def _desk(qtbot: QtBot, messages: Messages, client: FakeTechnicianClient, *,
          can_edit: bool = True) -> TechnicianDesk:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = TechnicianDesk(client, messages, window, lambda _id: None, can_edit=can_edit)
    window.show()
    desk.show_desk()
    return desk


def _answering(desk: TechnicianDesk, answers: list[Answer]) -> list[dict[str, str]]:
    """Each opened dialog is answered by the next function (cancelled when none is left);
    what each showed on opening is kept (the dialogs are deleted once answered)."""
    seen: list[dict[str, str]] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, TechnicianDialog)
        seen.append({"history": dialog.history.text(), "error": dialog.error.text(),
                     "skills": dialog.skills.text()})
        if answers:
            answers.pop(0)(dialog)
        else:
            dialog.reject()

    desk.presenter.on_open = answer
    return seen


def _set(capacity: int | None = None, reason: str = "腰伤，少派单",
         skills: str | None = None) -> Answer:
    def fill(dialog: TechnicianDialog) -> None:
        if capacity is not None:
            dialog.capacity.setValue(capacity)
        if skills is not None:
            dialog.skills.setText(skills)
        dialog.reason_edit.setPlainText(reason)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled(), dialog.error.text()
        dialog.accept()
    return fill


def test_the_model_flags_a_full_day_and_an_inactive_technician() -> None:
    model = TechnicianModel()
    model.set_rows([make_technician(1, "王建", capacity=2, load=2),
                    make_technician(2, "李静", active=False)])
    assert model.columnCount() == 10
    assert model.data(model.index(0, CAPACITY)) == "2" and model.data(model.index(0, LOAD)) == "2"
    assert model.data(model.index(0, CERTIFICATES)) == "电工证"
    assert model.data(model.index(0, LOAD), WARNING_ROLE) is True
    assert model.data(model.index(1, LOAD), WARNING_ROLE) is False
    assert model.data(model.index(1, ACTIVE)) == "No"
    assert model.data(model.index(1, ACTIVE), WARNING_ROLE) is True


@pytest.mark.parametrize(("text", "names"), [
    ("aircon, washer", ["aircon", "washer"]),
    ("高空作业证、电工证，高空作业证", ["高空作业证", "电工证"]),
    (" , 、 ", []),
])
def test_names_are_split_on_commas_and_the_enumeration_comma(text: str,
                                                             names: list[str]) -> None:
    assert split_names(text) == names


def test_the_dialog_wants_a_change_and_a_reason(qtbot: QtBot) -> None:
    dialog = TechnicianDialog("王建", TechnicianSettings(4, ["aircon"], [], True))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.error.text() == "Nothing is changed yet."
    dialog.capacity.setValue(0)
    assert not ok.isEnabled() and dialog.error.text() == "Please give a reason."
    dialog.reason_edit.setPlainText("休假")
    assert ok.isEnabled() and dialog.changes() == {"daily_capacity": 0}


async def test_the_desk_lists_and_filters_the_technicians(qtbot: QtBot,
                                                          messages: Messages) -> None:
    desk = _desk(qtbot, messages, FakeTechnicianClient())
    await eventually(lambda: desk.presenter.refreshes >= 1)
    assert desk.dock.windowTitle() == "Technicians" and desk.dock.objectName() == "technicianDock"
    assert desk.view.proxy.rowCount() == 2

    desk.view.filter_edit.setText("海淀")

    assert desk.view.proxy.rowCount() == 1
    assert desk.view.proxy.index(0, 0).data() == "李静"
    desk.stop()


async def test_a_supervisor_changes_capacity_with_a_reason(qtbot: QtBot,
                                                           messages: Messages) -> None:
    client = FakeTechnicianClient()
    client.log = [TechnicianChangeOut(id=1, technician_id=1, at=NOW, actor="admin",
                                      reason="入职", before={"active": False},
                                      after={"active": True})]
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    dialogs = _answering(desk, [_set(capacity=2, skills="aircon、washer")])
    assert desk.view.select_technician(1)

    desk.view.edit_button.click()
    await eventually(lambda: not desk.presenter.actions.acting and client.sent)
    await eventually(lambda: not desk.presenter.actions.acting)

    [(tech_id, change)] = client.sent
    assert tech_id == 1 and change.version == 1 and change.reason == "腰伤，少派单"
    assert change.changes() == {"daily_capacity": 2, "skills": ["aircon", "washer"]}
    assert "admin" in dialogs[0]["history"] and "入职" in dialogs[0]["history"]
    row = desk.presenter.model.find(1)
    assert row is not None and row.daily_capacity == 2 and row.version == 2
    assert messages.shown[-1] == ("info", "Dispatch settings of 王建 saved.")
    desk.stop()


async def test_a_stale_edit_says_so_and_reloads(qtbot: QtBot, messages: Messages) -> None:
    client = FakeTechnicianClient()
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    # Someone else changed 王建 after the table was fetched.
    client.rows[1] = make_technician(1, "王建", capacity=6, version=2)
    _answering(desk, [_set(capacity=0)])

    saved = await desk.presenter.edit_technician(1)

    assert saved is False and client.sent[0][1].version == 1
    level, text = messages.shown[-1]
    assert level == "warning" and "changed by someone else" in text
    row = desk.presenter.model.find(1)
    assert row is not None and (row.daily_capacity, row.version) == (6, 2)
    desk.stop()


async def test_a_refused_value_reopens_the_form_with_the_message(qtbot: QtBot,
                                                                 messages: Messages) -> None:
    client = FakeTechnicianClient()
    client.refuse = [ApiError(422, "Invalid request", "skills: “x” 太长",
                              errors=[{"loc": ["body", "skills"], "msg": "太长"}])]
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    seen = _answering(desk, [_set(skills="x")])  # the second opening is cancelled

    saved = await desk.presenter.edit_technician(1)

    assert saved is False and len(client.sent) == 1
    assert seen[1]["error"] == "skills: “x” 太长" and seen[1]["skills"] == "x"
    desk.stop()


async def test_an_agent_sees_the_settings_read_only(qtbot: QtBot, messages: Messages) -> None:
    client = FakeTechnicianClient()
    desk = _desk(qtbot, messages, client, can_edit=False)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    opened = _answering(desk, [])
    requested: list[int] = []
    desk.view.editRequested.connect(requested.append)

    assert desk.view.edit_button.isHidden() and not desk.view.note.isHidden()
    assert desk.view.select_technician(1)
    qtbot.keyClick(desk.view.table, Qt.Key.Key_Return)
    assert await desk.presenter.edit_technician(1) is False

    assert requested == [] and opened == [] and client.sent == []
    desk.stop()

