"""The dispatch policy editor (派单策略): region tree, inherited values, override, save with a
reason, conflicts and refused fields, read-only for agents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QMainWindow,
    QSpinBox,
)
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.models.policies.log import CHANGE, PolicyLogModel
from console.models.policies.regions import SETS_ROLE
from console.windows.policies import PolicyDesk
from core.contracts import RegionOut
from core.contracts.dispatch import (
    EffectivePolicyOut,
    PolicyLogEntry,
    PolicyPut,
    PolicyScopeOut,
    ServicePointOut,
)
from core.dispatch.policy import effective, scope_chain
from ui.orders.action_dialogs import ReasonDialog
from ui.policies.points import PointInfo, PointsEditor
from ui.policies.view import PolicyView

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NAMES = {"": "默认", "110000": "北京市", "110100": "北京市", "110105": "朝阳区",
         "110108": "海淀区", "310000": "上海市"}


def _region(adcode: str, name: str, level: str, parent: str | None = None) -> RegionOut:
    return RegionOut(adcode=adcode, name=name, level=level, parent=parent, lng=None, lat=None)


REGIONS = {
    ("province", None): [_region("110000", "北京市", "province"),
                         _region("310000", "上海市", "province")],
    ("city", "110000"): [_region("110100", "北京市", "city", "110000")],
    ("county", "110100"): [_region("110105", "朝阳区", "county", "110100"),
                           _region("110108", "海淀区", "county", "110100")],
}


class FakePolicyClient:
    """Policies in memory, merged with the real inheritance rule."""

    def __init__(self) -> None:
        self.bodies: dict[str, dict[str, Any]] = {"110100": {"accept_minutes": 45}}
        self.versions: dict[str, int] = {"110100": 3}
        self.puts: list[tuple[str, PolicyPut]] = []
        self.deletes: list[tuple[str, int, str]] = []
        self.fail_put: ApiError | None = None
        self.listed = 0
        self.log: list[PolicyLogEntry] = []

    def _out(self, scope: str) -> PolicyScopeOut:
        return PolicyScopeOut(scope=scope, scope_name=NAMES[scope],
                              level="default" if not scope else "city",
                              body=self.bodies.get(scope, {}),
                              version=self.versions.get(scope, 0), updated_by="admin",
                              updated_at=AT)

    async def dispatch_policies(self) -> list[PolicyScopeOut]:
        self.listed += 1
        return [self._out(s) for s in sorted({"", *self.bodies}) if s == "" or self.bodies[s]]

    async def effective_policy(self, region: str) -> EffectivePolicyOut:
        result = effective(region, self.bodies)
        return EffectivePolicyOut(
            county_adcode=region, county_name=NAMES[region], policy=result.policy.to_body(),
            sources=dict(result.sources), source_names={s: NAMES[s] for s in scope_chain(region)})

    async def put_dispatch_policy(self, scope: str, change: PolicyPut) -> PolicyScopeOut:
        self.puts.append((scope, change))
        if self.fail_put is not None:
            raise self.fail_put
        self.bodies[scope] = change.body
        self.versions[scope] = self.versions.get(scope, 0) + 1
        self.log.insert(0, PolicyLogEntry(id=len(self.log) + 1, scope=scope, at=AT,
                                          actor="supervisor", reason=change.reason, before={},
                                          after=change.body, scope_name=NAMES[scope]))
        return self._out(scope)

    async def delete_dispatch_policy(self, scope: str, version: int,
                                     reason: str) -> PolicyScopeOut:
        self.deletes.append((scope, version, reason))
        self.bodies[scope] = {}
        self.versions[scope] += 1
        return self._out(scope)

    async def dispatch_policy_log(self, scope: str | None = None,
                                  limit: int = 100) -> list[PolicyLogEntry]:
        return [e for e in self.log if scope is None or e.scope == scope]

    async def service_points(self, region: str = "") -> list[ServicePointOut]:
        points = [ServicePointOut(key="bj-cy", name="朝阳网点", county_adcode="110105",
                                  county_name="朝阳区", daily_capacity=0, technicians=3,
                                  technician_capacity=18),
                  ServicePointOut(key="bj-cy2", name="朝阳合作网点", county_adcode="110105",
                                  county_name="朝阳区", daily_capacity=0, technicians=1,
                                  technician_capacity=5)]
        return points if region in ("", "110000", "110100", "110105") else []

    async def regions(self, level: str | None = None,
                      parent: str | None = None) -> list[RegionOut]:
        return REGIONS.get((level or "", parent), [])


class Editor:
    def __init__(self, qtbot: QtBot, messages: Messages, can_edit: bool) -> None:
        self.client = FakePolicyClient()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.desk = PolicyDesk(self.client, messages, self.window, lambda _id: None,
                               can_edit=can_edit)
        self.view: PolicyView = self.desk.view
        self.presenter = self.desk.presenter
        self.answers: list[str] = []
        self.presenter.on_open = self._answer

    def _answer(self, dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        if not self.answers:
            dialog.reject()
            return
        dialog.reason_edit.setPlainText(self.answers.pop(0))
        ok = dialog.findChild(QDialogButtonBox)
        assert ok is not None and ok.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.accept()

    async def open(self, *path: str) -> None:
        """Select the region at the end of the path, expanding the tree down to it."""
        tree = self.presenter.tree
        for scope in ("", *path[:-1]):
            index = tree.index_of(scope)
            if tree.canFetchMore(index):
                tree.fetchMore(index)
            await eventually(lambda i=index: tree.rowCount(i) > 0)  # type: ignore[misc]
        target = path[-1] if path else ""
        await eventually(lambda: tree.index_of(target).isValid())
        self.view.tree.setCurrentIndex(tree.index_of(target))
        await eventually(lambda: self.presenter.shown == target)

    def spin(self, name: str) -> QSpinBox:
        field = name.removeprefix("editor_")
        editor = self.view.form.editors.get(field)
        spin = editor.findChild(QSpinBox) if editor else self.view.form.findChild(QSpinBox, name)
        assert isinstance(spin, QSpinBox)
        return spin

    def override(self, field: str) -> QCheckBox:
        return self.view.form.overrides[field]


async def make_editor(qtbot: QtBot, messages: Messages, can_edit: bool = True) -> Editor:
    editor = Editor(qtbot, messages, can_edit)
    editor.presenter.refresh()
    await eventually(lambda: editor.presenter.shown == "")
    return editor


async def test_a_county_shows_every_setting_with_where_it_comes_from(
    qtbot: QtBot, messages: Messages
) -> None:
    editor = await make_editor(qtbot, messages)
    assert editor.view.form.sources["accept_minutes"].text() == "Inherited from built-in"

    await editor.open("110000", "110100", "110105")

    form = editor.view.form
    assert editor.spin("editor_accept_minutes").value() == 45
    assert form.sources["accept_minutes"].text() == "Inherited from 北京市"
    assert not form.overrides["accept_minutes"].isChecked()
    assert not form.editors["accept_minutes"].isEnabled()
    assert editor.view.title.text().startswith("朝阳区")
    assert editor.presenter.tree.index_of("110100").data(SETS_ROLE) is True
    assert editor.presenter.tree.index_of("110105").data(SETS_ROLE) is False
    shares = form.editors["point_shares"]
    assert isinstance(shares, PointsEditor) and shares.table.rowCount() == 2


async def test_override_a_setting_and_save_it_with_a_reason(qtbot: QtBot,
                                                            messages: Messages) -> None:
    editor = await make_editor(qtbot, messages)
    await editor.open("110000", "110100", "110105")
    assert not editor.view.save_button.isEnabled()

    editor.override("accept_minutes").setChecked(True)
    editor.spin("editor_accept_minutes").setValue(15)
    assert editor.view.save_button.isEnabled()
    editor.answers.append("朝阳师傅多，缩短接单时限")
    editor.view.save_button.click()
    await eventually(lambda: bool(editor.client.puts) and not editor.presenter.acting())

    scope, change = editor.client.puts[0]
    assert (scope, change.body, change.version, change.reason) == (
        "110105", {"accept_minutes": 15}, 0, "朝阳师傅多，缩短接单时限")
    await eventually(lambda: editor.presenter.tree.index_of("110105").data(SETS_ROLE) is True)
    assert editor.view.form.sources["accept_minutes"].text() == "Own value"
    assert ("info", "Dispatch policy of 朝阳区 saved.") in messages.shown
    assert editor.presenter.log.rowCount() == 1


async def test_a_conflict_is_shown_and_the_scope_loaded_again(qtbot: QtBot,
                                                              messages: Messages) -> None:
    editor = await make_editor(qtbot, messages)
    await editor.open("110000", "110100")
    editor.override("max_refusals").setChecked(True)
    editor.spin("editor_max_refusals").setValue(5)
    editor.client.fail_put = ApiError(409, "Conflict", "changed meanwhile", current_version=4)
    editor.client.bodies["110100"] = {"accept_minutes": 60}  # what the other supervisor saved
    listed = editor.client.listed
    editor.answers.append("拒单次数放宽")

    editor.view.save_button.click()
    await eventually(lambda: editor.client.listed > listed and not editor.presenter.acting())
    await eventually(lambda: editor.spin("editor_accept_minutes").value() == 60)

    assert editor.client.puts[0][1].version == 3
    assert any(level == "warning" and "changed by someone else" in text
               for level, text in messages.shown)
    assert not editor.override("max_refusals").isChecked()  # the edit gave way to the reload
    assert not editor.view.form.is_dirty()


async def test_a_refused_field_is_marked_on_the_form(qtbot: QtBot, messages: Messages) -> None:
    editor = await make_editor(qtbot, messages)
    await editor.open("110000", "110100", "110105")
    editor.override("point_shares").setChecked(True)
    editor.spin("point_bj-cy").setValue(100)
    editor.client.fail_put = ApiError(
        422, "Invalid request", "point_shares: bj-cy 不是本区域的服务网点",
        errors=[{"loc": ["body", "body", "point_shares"], "msg": "bj-cy 不是本区域的服务网点"}])
    editor.answers.append("全部给朝阳网点")

    editor.view.save_button.click()
    await eventually(lambda: bool(editor.client.puts) and not editor.presenter.acting())

    form = editor.view.form
    assert form.error.isVisibleTo(form) and "不是本区域的服务网点" in form.error.text()
    assert "c62828" in form.labels["point_shares"].styleSheet()
    assert form.is_dirty()  # the edit is kept to be corrected


async def test_shares_must_add_up_to_100_before_saving(qtbot: QtBot,
                                                       messages: Messages) -> None:
    editor = await make_editor(qtbot, messages)
    await editor.open("110000", "110100", "110105")
    editor.override("point_shares").setChecked(True)

    editor.spin("point_bj-cy").setValue(60)
    editor.spin("point_bj-cy2").setValue(30)
    stuck, why = editor.view.save_button.isEnabled(), editor.view.problem.text()
    editor.spin("point_bj-cy2").setValue(40)

    assert not stuck and "90%" in why
    assert editor.view.save_button.isEnabled() and editor.view.problem.text() == ""
    assert editor.view.form.body() == {"point_shares": {"bj-cy": 60, "bj-cy2": 40}}
    total = editor.view.form.editors["point_shares"].findChild(QLabel, "sharesTotal")
    assert total is not None and total.text() == "Total: 100%"


async def test_removing_a_scope_lets_it_inherit_again(qtbot: QtBot, messages: Messages) -> None:
    editor = await make_editor(qtbot, messages)
    await editor.open("110000", "110100")
    assert editor.view.remove_button.isEnabled()
    editor.answers.append("回到全省统一策略")

    editor.view.remove_button.click()
    await eventually(lambda: bool(editor.client.deletes) and not editor.presenter.acting())

    assert editor.client.deletes == [("110100", 3, "回到全省统一策略")]
    await eventually(lambda: editor.presenter.tree.index_of("110100").data(SETS_ROLE) is False)


async def test_agents_read_policies_but_cannot_change_them(qtbot: QtBot,
                                                           messages: Messages) -> None:
    editor = await make_editor(qtbot, messages, can_edit=False)
    await editor.open("110000", "110100")

    form = editor.view.form
    assert editor.view.note.isVisibleTo(editor.view)
    assert not editor.view.save_button.isVisibleTo(editor.view)
    assert all(not box.isEnabled() for box in form.overrides.values())
    assert all(not e.isEnabled() for e in form.editors.values())
    assert editor.spin("editor_accept_minutes").value() == 45
    assert not await editor.presenter.save()
    assert editor.client.puts == []


def test_the_stages_editor_always_ends_with_a_person(qtbot: QtBot) -> None:
    view = PolicyView()
    qtbot.addWidget(view)
    stages = view.form.editors["stages"]

    stages.set_value([{"mode": "grab", "minutes": 20}, {"mode": "manual", "minutes": None}])

    assert stages.value() == [{"mode": "grab", "minutes": 20}, {"mode": "manual", "minutes": None}]
    assert stages.problem() == ""


def test_the_floor_price_is_yuan_on_screen_and_fen_on_the_wire(qtbot: QtBot) -> None:
    view = PolicyView()
    qtbot.addWidget(view)
    floor = view.form.editors["grab_floor_fen"]

    floor.set_value(3550)

    spin = floor.findChild(QDoubleSpinBox)
    assert spin is not None and spin.value() == pytest.approx(35.5)
    assert floor.value() == 3550


def test_the_log_model_names_the_changed_settings(qtbot: QtBot) -> None:
    model = PolicyLogModel()
    model.set_rows([PolicyLogEntry(id=1, scope="110105", at=AT, actor="supervisor",
                                   reason="缩短", before={"accept_minutes": 30},
                                   after={"accept_minutes": 15, "max_refusals": 2},
                                   scope_name="朝阳区")])

    assert model.index(0, CHANGE).data() == "Accept within、Refusals before a person"
    assert "accept_minutes: 30 → 15" in model.index(0, CHANGE).data(Qt.ItemDataRole.ToolTipRole)


def test_points_editor_lists_unknown_keys_too(qtbot: QtBot) -> None:
    editor = PointsEditor(shares=False)
    qtbot.addWidget(editor)
    editor.set_points([PointInfo("bj-cy", "朝阳网点", 3, 18)])

    editor.set_value({"gone": 4})

    assert editor.table.rowCount() == 2
    assert editor.value() == {"gone": 4}


def test_a_scope_chosen_before_its_branch_loaded_is_titled_with_its_own_level() -> None:
    from console.presenters.policies.editor import PolicyPresenter
    from core.contracts.dispatch import EffectivePolicyOut

    class Tree:
        def level_of(self, scope: str) -> str:
            return ""  # not in the loaded tree yet

        def name_of(self, scope: str) -> str:
            return "杭州市"

    shown = EffectivePolicyOut(county_adcode="330100", policy={}, sources={})
    presenter = PolicyPresenter.__new__(PolicyPresenter)
    presenter.tree = Tree()  # type: ignore[assignment]
    assert presenter._title("330100", shown) == "杭州市 · City"
