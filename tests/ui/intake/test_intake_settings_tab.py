"""The client policies tab (客户策略): policies and the blacklist, edited by supervisors only."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from intake_fakes import FakeIntakeClient, FakeSettingsClient, make_change, make_policy
from PySide6.QtCore import QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeStore, make_row
from ui_support import Messages

from console.app import install_translator
from console.errors import ApiError
from console.models.intake.clients import AUDIT, COVERAGE, MERGE, ClientPolicyModel
from console.presenters.intake.settings import ClientSettingsPresenter
from console.windows import Workspace
from ui.intake.policy import BlacklistEntryDialog, PolicyDialog, PolicyValues
from ui.intake.view import SETTINGS_TAB, IntakeView
from ui.orders.action_dialogs import ReasonDialog

Factory = Callable[[], QSettings]


class Tab:
    def __init__(self, qtbot: QtBot, client: FakeSettingsClient, messages: Messages,
                 editable: bool) -> None:
        self.client = client
        self.view = IntakeView()
        qtbot.addWidget(self.view)
        self.page = self.view.settings_page
        self.presenter = ClientSettingsPresenter(client, self.page, messages,
                                                 editable=editable, parent_widget=self.view)

    async def refreshed(self) -> None:
        before = self.presenter.refreshes
        self.presenter.refresh(force=True)
        await eventually(lambda: self.presenter.refreshes > before and not self.presenter.busy())

    async def settled(self, before: int) -> None:
        """The action is done and the refresh after it too."""
        await eventually(lambda: not self.presenter.acting() and not self.presenter.busy()
                         and self.presenter.refreshes > before)

    def ok(self, dialog: QDialog) -> bool:
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        return buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


async def make_tab(qtbot: QtBot, messages: Messages, editable: bool) -> Tab:
    tab = Tab(qtbot, FakeSettingsClient(), messages, editable)
    await tab.refreshed()
    return tab


@pytest.fixture
async def tab(qtbot: QtBot, messages: Messages) -> Tab:
    return await make_tab(qtbot, messages, editable=True)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translator(qapp, "zh_CN")
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()


def test_the_model_shows_policies_with_chinese_labels(qtbot: QtBot, chinese: None) -> None:
    model = ClientPolicyModel()
    model.set_rows([make_policy(), make_policy("haier", "海尔", audit_mode="manual",
                                               coverage_mode="accept_all",
                                               merge_window_minutes=0)])
    text = [[model.index(r, c).data() for c in (AUDIT, COVERAGE, MERGE)] for r in range(2)]
    assert text == [["自动通过无风险订单", "只接覆盖区县", "30 分钟"],
                    ["全部人工审核", "全部接收并报告缺口", "不合并"]]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["客户", "店铺", "审核方式"]
    assert model.index(0, 0).data() == "美的 (midea)"


def test_the_policy_dialog_speaks_chinese(qtbot: QtBot, chinese: None) -> None:
    from ui.intake import labels as intake_labels

    dialog = PolicyDialog("客户策略", "", list(intake_labels.audit_mode_labels().items()),
                          list(intake_labels.coverage_mode_labels().items()),
                          PolicyValues("auto_pass", "covered_only", 30, 40))
    qtbot.addWidget(dialog)
    combos = [[c.itemText(i) for i in range(c.count())]
              for c in (dialog.audit_combo, dialog.coverage_combo)]
    assert combos == [["自动通过无风险订单", "全部人工审核"],
                      ["只接覆盖区县", "全部接收并报告缺口"]]
    assert dialog.error.text() == "尚未做任何修改。"


async def test_a_refresh_fills_policies_blacklist_and_log(tab: Tab) -> None:
    p = tab.presenter
    assert [row.code for row in p.clients.rows()] == ["haier", "midea"]
    assert [e.id for e in p.blacklist.rows()] == [2, 1]  # in force only, newest first
    assert tab.client.blacklist_queries[-1] == "true"
    assert [p.log.index(r, 2).data() for r in range(2)] == [
        "Blacklist entry #3", "Policy of 美的"]
    assert "audit_mode: auto_pass → manual" in p.log.index(1, 2).data(
        Qt.ItemDataRole.ToolTipRole)

    tab.page.blacklist_filter.setCurrentIndex(tab.page.blacklist_filter.findData("all"))
    await eventually(lambda: p.blacklist.rowCount() == 3)
    assert tab.client.blacklist_queries[-1] == "all"


async def test_the_edit_dialog_needs_a_reason_and_sends_the_version_it_saw(
    tab: Tab, messages: Messages
) -> None:
    seen: list[object] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PolicyDialog)
        assert dialog.values() == PolicyValues("manual", "accept_all", 0, 40)
        dialog.merge_spin.setValue(45)
        dialog.audit_combo.setCurrentIndex(dialog.audit_combo.findData("auto_pass"))
        dialog.threshold_spin.setValue(60)
        seen.append(tab.ok(dialog))
        dialog.accept()  # without a reason: refused, the dialog stays open
        seen.append(dialog.isVisible())
        dialog.reason_edit.setPlainText("大促结束，恢复自动审核")
        seen.append(tab.ok(dialog))
        dialog.accept()

    tab.presenter.on_open = answer
    tab.page.client_table.select_key("haier")
    assert tab.page.edit_button.isEnabled()
    before = tab.presenter.refreshes
    tab.page.edit_button.click()
    await tab.settled(before)

    assert seen == [False, True, True]
    [(code, update)] = tab.client.policy_updates
    assert code == "haier"
    assert update.model_dump() == {
        "version": 4, "reason": "大促结束，恢复自动审核", "audit_mode": "auto_pass",
        "coverage_mode": "accept_all", "merge_window_minutes": 45, "review_threshold": 60}
    assert messages.shown[-1] == ("info", "Policy of 海尔 saved.")
    saved = tab.presenter.clients.find("haier")
    assert saved is not None and saved.version == 5 and saved.merge_window_minutes == 45


async def test_a_stale_policy_warns_and_refreshes(tab: Tab, messages: Messages) -> None:
    tab.client.policy_error = ApiError(409, "Stale version", "client midea changed")
    # Meanwhile another supervisor changed it: the refresh after the warning shows theirs.
    tab.client.policies[0] = make_policy(version=2, audit_mode="manual")

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PolicyDialog)
        dialog.coverage_combo.setCurrentIndex(dialog.coverage_combo.findData("accept_all"))
        dialog.reason_edit.setPlainText("试运营区县外也接")
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.editRequested.emit("midea")
    await tab.settled(before)

    [(_code, update)] = tab.client.policy_updates
    assert update.version == 1  # the version shown, not the one the server has now
    level, text = messages.shown[-1]
    assert level == "warning"
    assert text.startswith("The policy of 美的 was changed by someone else meanwhile")
    fresh = tab.presenter.clients.find("midea")
    assert fresh is not None and fresh.version == 2 and fresh.audit_mode == "manual"


async def test_agents_see_the_settings_read_only(qtbot: QtBot, messages: Messages) -> None:
    tab = await make_tab(qtbot, messages, editable=False)
    tab.page.client_table.select_key("midea")
    tab.page.blacklist_table.select_key(1)
    assert tab.presenter.clients.rowCount() == 2
    buttons = (tab.page.edit_button, tab.page.add_button, tab.page.remove_button)
    assert [b.isEnabled() for b in buttons] == [False, False, False]
    assert tab.page.note.text().startswith("Read only")

    opened: list[QDialog] = []
    tab.presenter.on_open = opened.append
    tab.page.client_table.keyActivated.emit("midea")  # a double click does not edit either
    tab.page.editRequested.emit("midea")
    tab.page.addEntryRequested.emit()
    await eventually(lambda: not tab.presenter.busy())
    assert opened == [] and tab.client.policy_updates == [] and tab.client.added == []


async def test_adding_to_the_blacklist_sends_what_was_typed(
    tab: Tab, messages: Messages
) -> None:
    seen: list[bool] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, BlacklistEntryDialog)
        dialog.reason_edit.setPlainText("同一地址一周下单 30 次")
        seen.append(tab.ok(dialog))  # neither phone nor address yet
        dialog.address_edit.setText("  北京市朝阳区某小区 3 号楼  ")
        seen.append(tab.ok(dialog))
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.add_button.click()
    await tab.settled(before)

    assert seen == [False, True]
    [entry] = tab.client.added
    assert (entry.phone, entry.address, entry.reason) == (
        "", "北京市朝阳区某小区 3 号楼", "同一地址一周下单 30 次")
    assert messages.shown[-1] == ("info", "北京市朝阳区某小区 3 号楼 is on the blacklist.")
    assert tab.presenter.blacklist.rowCount() == 3


async def test_an_entry_the_server_refuses_is_shown_again_with_its_reason(
    tab: Tab, messages: Messages
) -> None:
    tab.client.add_errors.append(ApiError(
        422, "Invalid request", "phone: the phone has no digits",
        errors=[{"loc": ["body", "phone"], "msg": "the phone has no digits"}]))
    shown: list[tuple[str, str, str, str]] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, BlacklistEntryDialog)
        shown.append((dialog.phone(), dialog.address(), dialog.reason(),
                      dialog.refused.text()))
        if not dialog.phone():
            dialog.phone_edit.setText("无")
            dialog.reason_edit.setPlainText("刷单")
        else:
            dialog.phone_edit.setText("13700000000")
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.addEntryRequested.emit()
    await tab.settled(before)
    assert shown == [("", "", "", ""), ("无", "", "刷单", "the phone has no digits")]
    assert [e.phone for e in tab.client.added] == ["无", "13700000000"]
    assert messages.shown[-1] == ("info", "13700000000 is on the blacklist.")


async def test_an_entry_listed_already_is_a_warning(tab: Tab, messages: Messages) -> None:
    tab.client.add_errors.append(ApiError(409, "Conflict",
                                          "already listed as blacklist entry 1"))

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, BlacklistEntryDialog)
        dialog.phone_edit.setText("13900000000")
        dialog.reason_edit.setPlainText("刷单")
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.addEntryRequested.emit()
    await tab.settled(before)
    assert messages.shown[-1] == (
        "warning",
        "13900000000 is already on the blacklist (already listed as blacklist entry 1).")


async def test_removing_from_the_blacklist_sends_the_reason(
    tab: Tab, messages: Messages
) -> None:
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        assert "13900000000" in dialog.prompt.text()
        dialog.reason_edit.setPlainText("客户本人来电核实，误判")
        dialog.accept()

    tab.presenter.on_open = answer
    tab.page.blacklist_table.select_key(1)
    assert tab.page.remove_button.isEnabled()
    before = tab.presenter.refreshes
    tab.page.remove_button.click()
    await tab.settled(before)

    assert tab.client.removals == [(1, "客户本人来电核实，误判")]
    assert messages.shown[-1] == ("info", "13900000000 is off the blacklist.")
    assert tab.presenter.blacklist.find(1) is None  # the list shows entries in force


async def test_a_removed_entry_cannot_be_removed_again(tab: Tab) -> None:
    tab.page.blacklist_filter.setCurrentIndex(tab.page.blacklist_filter.findData("all"))
    await eventually(lambda: tab.presenter.blacklist.rowCount() == 3)
    tab.page.blacklist_table.select_key(3)
    assert not tab.page.remove_button.isEnabled()
    tab.page.blacklist_table.select_key(1)
    assert tab.page.remove_button.isEnabled()


async def test_an_entry_removed_meanwhile_warns_and_refreshes(
    tab: Tab, messages: Messages
) -> None:
    tab.client.removal_error = ApiError(409, "Already removed", "entry 1")

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason_edit.setPlainText("误判")
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.removeEntryRequested.emit(1)
    await tab.settled(before)
    assert messages.shown[-1] == (
        "warning", "13900000000 was removed by someone else meanwhile; the blacklist is "
        "refreshed.")


async def test_other_errors_go_through_the_message_route(
    tab: Tab, messages: Messages
) -> None:
    tab.client.policy_error = ApiError(403, "Forbidden", "supervisors only")

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PolicyDialog)
        dialog.threshold_spin.setValue(50)
        dialog.reason_edit.setPlainText("收紧")
        dialog.accept()

    tab.presenter.on_open = answer
    before = tab.presenter.refreshes
    tab.page.editRequested.emit("midea")
    await tab.settled(before)
    assert messages.shown[-1] == (
        "error", "Changing the client's policy: Your role may not do this.")


async def test_a_server_without_the_settings_hides_the_tab(
    qtbot: QtBot, messages: Messages
) -> None:
    client = FakeSettingsClient()

    async def missing() -> list[object]:
        raise ApiError(404, "Not found", "/v1/intake/clients")

    client.client_policies = missing  # type: ignore[assignment,method-assign]
    tab = Tab(qtbot, client, messages, editable=True)
    tab.presenter.unavailable.connect(lambda: tab.view.set_settings_available(False))
    tab.view.set_settings_available(True)
    tab.presenter.refresh()
    await eventually(lambda: not tab.view.tabs.isTabVisible(SETTINGS_TAB))
    assert messages.shown == []


def build(qtbot: QtBot, role: str, settings_factory: Factory,
          client: FakeIntakeClient) -> Workspace:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, client, store, settings_factory=settings_factory,
                          map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


@pytest.mark.parametrize(("role", "editable"), [("agent", False), ("supervisor", True),
                                                ("admin", True)])
async def test_the_workspace_gives_the_tab_by_role_and_fills_it_when_shown(
    qtbot: QtBot, settings_factory: Factory, role: str, editable: bool
) -> None:
    client = FakeSettingsClient()
    workspace = build(qtbot, role, settings_factory, client)
    intake = workspace.intake
    assert intake is not None and intake.settings is not None
    assert intake.settings.editable is editable
    view = intake.view
    assert view.tabs.isTabVisible(SETTINGS_TAB)
    assert view.tabs.tabText(SETTINGS_TAB) == "Client policies"
    workspace.window.show()
    intake.show_desk()
    assert "clients" not in client.calls  # not fetched before it is looked at
    view.tabs.setCurrentIndex(SETTINGS_TAB)
    await eventually(lambda: intake.settings is not None
                     and intake.settings.clients.rowCount() == 2)
    view.settings_page.client_table.select_key("midea")
    assert view.settings_page.edit_button.isEnabled() is editable
    assert view.settings_page.add_button.isEnabled() is editable

    client.changes.insert(0, make_change(9))
    view.refresh_button.click()  # F5: the tab on screen is refreshed too
    await eventually(lambda: intake.settings is not None
                     and intake.settings.log.rowCount() == 3)


async def test_a_server_without_the_settings_hides_the_workspace_tab(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = FakeIntakeClient()

    async def missing() -> list[object]:
        raise ApiError(404, "Not found", "/v1/intake/clients")

    client.client_policies = missing  # type: ignore[assignment,method-assign]
    workspace = build(qtbot, "supervisor", settings_factory, client)
    intake = workspace.intake
    assert intake is not None and intake.view.tabs.isTabVisible(SETTINGS_TAB)
    intake.settings.refresh()
    await eventually(lambda: not intake.view.tabs.isTabVisible(SETTINGS_TAB))
