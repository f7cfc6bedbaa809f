"""The SLA time limits editor (时限) offscreen: a region's steps with the platform's limit beside
ours and where each comes from, a step saved for the scope and service type with a reason, a
stale save loaded again, and readers who cannot edit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.windows.sla_limits import LimitsDesk
from core.contracts.sla_limits import EffectiveLimitsOut, LimitsPut, LimitsScopeOut
from core.server.sla.limits import effective_out
from core.sla.limit_body import normalise
from core.sla.limits import effective_limits
from ui.orders.action_dialogs import ReasonDialog

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NAMES = {"": "默认", "110000": "北京市", "110100": "北京市", "110105": "朝阳区"}


class FakeLimitsClient:
    def __init__(self) -> None:
        self.bodies: dict[str, dict[str, Any]] = {
            "110100": {"steps": {"accept": {"any": {"due": {"minutes": 45}}}}}}
        self.versions: dict[str, int] = {"110100": 1}
        self.puts: list[tuple[str, LimitsPut]] = []
        self.conflict = False

    async def effective_limits(self, region: str,
                               service_type: str = "any") -> EffectiveLimitsOut:
        scope = "" if region == "default" else region
        return effective_out(effective_limits(scope, service_type, self.bodies)).model_copy(
            update={"county_name": NAMES[scope]})

    async def sla_limits_scope(self, scope: str) -> LimitsScopeOut:
        code = "" if scope == "default" else scope
        return LimitsScopeOut(scope=code, scope_name=NAMES[code], level="county",
                              body=self.bodies.get(code, {}),
                              version=self.versions.get(code, 0), updated_by="",
                              updated_at=None)

    async def put_sla_limits(self, scope: str, change: LimitsPut) -> LimitsScopeOut:
        self.puts.append((scope, change))
        if self.conflict or change.version != self.versions.get(scope, 0):
            self.conflict = False
            self.versions[scope] = self.versions.get(scope, 0) + 1
            raise ApiError(409, "已被他人修改 (changed meanwhile)")
        self.bodies[scope] = normalise(change.body)
        self.versions[scope] = self.versions.get(scope, 0) + 1
        return await self.sla_limits_scope(scope)


class Editor:
    def __init__(self, qtbot: QtBot, messages: Messages, can_edit: bool) -> None:
        self.client = FakeLimitsClient()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.desk = LimitsDesk(self.client, messages, self.window, lambda _id: None,
                               can_edit=can_edit)
        self.view, self.presenter = self.desk.view, self.desk.presenter
        self.answers: list[str] = []
        self.presenter.on_open = self._answer
        self.loads = self.saves = 0
        self.presenter.loaded.connect(self._loaded)
        self.presenter.saved.connect(self._saved)

    def _loaded(self) -> None:
        self.loads += 1

    def _saved(self, _version: int) -> None:
        self.saves += 1

    def _answer(self, dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        if not self.answers:
            dialog.reject()
            return
        dialog.reason_edit.setPlainText(self.answers.pop(0))
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        dialog.accept()

    async def load(self, qtbot: QtBot, region: str, kind: str = "any") -> None:
        self.view.region_edit.setText(region)
        self.view.type_combo.setCurrentText(kind)
        before = self.loads
        qtbot.keyClick(self.view.region_edit, Qt.Key.Key_Return)
        await eventually(lambda: self.loads > before)

    def cell(self, row: int, column: int) -> str:
        return str(self.presenter.model.index(row, column).data())


async def test_a_county_shows_its_steps_with_the_platforms_limit_and_the_source(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)

    await editor.load(qtbot, "110105", "install")

    assert editor.presenter.model.rowCount() == 7
    assert [editor.cell(0, c) for c in range(6)] == [
        "接单", "45 min", "natural", "50%/75%", "6 h", "北京市"]
    assert editor.cell(1, 4) == "24 h" and editor.cell(1, 5) == "built in"
    assert editor.cell(4, 1) == "agreed day 23:59:59"
    assert editor.view.source.text() == "北京市"
    assert editor.view.minutes.value() == 45 and editor.view.save.isEnabled()


async def test_a_step_is_saved_for_the_scope_and_type_with_a_reason(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105", "install")
    qtbot.keyClick(editor.view.table, Qt.Key.Key_Down)  # first contact
    editor.view.minutes.setValue(720)
    editor.view.clock.setCurrentIndex(1)
    editor.answers.append("朝阳区安装单加快首联")

    qtbot.mouseClick(editor.view.save, Qt.MouseButton.LeftButton)
    await eventually(lambda: editor.saves == 1 or bool(messages.shown))
    assert editor.saves == 1, messages.shown

    scope, change = editor.client.puts[-1]
    assert (scope, change.version, change.reason) == ("110105", 0, "朝阳区安装单加快首联")
    assert change.body == {"steps": {"first_contact": {"install": {
        "due": {"minutes": 720}, "clock": "business", "warn_percent": [50, 75]}}}}
    await eventually(lambda: editor.cell(1, 1) == "12 h")
    assert editor.cell(1, 2) == "business" and editor.cell(1, 5) == "朝阳区 · install"


async def test_no_reason_no_save(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")

    await editor.presenter._save()

    assert editor.client.puts == []


async def test_a_stale_save_says_so_and_loads_again(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110100")
    editor.client.conflict = True
    editor.answers.append("调整")

    before = editor.loads
    editor.view.save.click()
    await eventually(lambda: editor.loads > before)

    assert any(level == "warning" for level, _ in messages.shown)
    assert editor.presenter.scope is not None and editor.presenter.scope.version == 2


async def test_a_reader_sees_the_limits_but_cannot_save(qtbot: QtBot,
                                                        messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=False)
    await editor.load(qtbot, "110105")

    assert not editor.view.save.isEnabled() and not editor.view.minutes.isEnabled()
    editor.presenter.save()
    assert editor.client.puts == []
