"""What the time limits editor's tests share: a fake client over the real limit rules (a
refusal is the server's 422, naming the field; a save is logged) and the assembled desk."""

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
from core.contracts.sla_limits import (
    EffectiveLimitsOut,
    LimitsLogEntry,
    LimitsPut,
    LimitsScopeOut,
)
from core.server.sla.limits import effective_out
from core.sla.errors import LimitRefused
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
        self.log: list[LimitsLogEntry] = []

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

    async def sla_limits_log(self, scope: str | None = None,
                             limit: int = 100) -> list[LimitsLogEntry]:
        return [e for e in self.log if scope is None or e.scope == ("" if scope == "default"
                                                                      else scope)]

    async def put_sla_limits(self, scope: str, change: LimitsPut) -> LimitsScopeOut:
        self.puts.append((scope, change))
        if self.conflict or change.version != self.versions.get(scope, 0):
            self.conflict = False
            self.versions[scope] = self.versions.get(scope, 0) + 1
            raise ApiError(409, "已被他人修改 (changed meanwhile)")
        before = self.bodies.get(scope, {})
        try:
            self.bodies[scope] = normalise(change.body)
        except LimitRefused as exc:
            raise ApiError(422, "Unprocessable Entity", str(exc)) from None
        self.log.insert(0, LimitsLogEntry(
            id=len(self.log) + 1, scope=scope, scope_name=NAMES[scope], at=AT,
            actor="supervisor", reason=change.reason, before=before,
            after=self.bodies[scope]))
        self.versions[scope] = self.versions.get(scope, 0) + 1
        return await self.sla_limits_scope(scope)


class Editor:
    def __init__(self, qtbot: QtBot, messages: Messages, can_edit: bool) -> None:
        self.client = FakeLimitsClient()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.desk = LimitsDesk(self.client, messages, self.window, lambda _id: None,
                               can_edit=can_edit, now=lambda: AT)
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
