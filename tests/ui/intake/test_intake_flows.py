"""Intake presenters against a fake client: refresh, review decisions, retry, discard, import."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from intake_fakes import BROKEN, FakeIntakeClient, pretty, receipt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError, Offline
from console.presenters.intake.actions import IntakeActions
from console.presenters.intake.importer import ImportPresenter
from console.presenters.intake.lists import IntakePresenter
from core.contracts.intake import Outcome
from ui.intake.payload import RetryDialog
from ui.intake.view import IntakeView
from ui.orders.action_dialogs import ReasonDialog

Answer = Callable[[QDialog], None]


class Desk:
    def __init__(self, qtbot: QtBot, client: FakeIntakeClient, messages: Messages) -> None:
        self.client = client
        self.view = IntakeView()
        qtbot.addWidget(self.view)
        self.presenter = IntakePresenter(client, self.view, messages, interval_ms=60_000)
        self.actions = IntakeActions(client, self.presenter, self.view, messages, self.view)

    async def refreshed(self) -> None:
        before = self.presenter.refreshes
        self.presenter.refresh(force=True)
        await eventually(lambda: self.presenter.refreshes > before and not self.presenter.busy())

    async def settled(self, before: int) -> None:
        """The action is done and the refresh after it too."""
        await eventually(lambda: not self.actions.busy() and self.presenter.refreshes > before
                         and not self.presenter.busy())


@pytest.fixture
async def desk(qtbot: QtBot, messages: Messages) -> Desk:
    desk = Desk(qtbot, FakeIntakeClient(), messages)
    await desk.refreshed()
    return desk


async def test_a_refresh_fills_the_lists_and_counts(desk: Desk) -> None:
    p = desk.presenter
    assert p.arrivals.rowCount() == 2 and p.gaps.rowCount() == 1
    assert [r.order.id for r in p.reviews.rows()] == [1, 2]
    assert [m.id for m in p.messages.rows()] == [7]  # the problem list shows dead letters
    assert (p.review_total, p.problem_total) == (2, 1)
    assert desk.view.tabs.tabText(1) == "Review queue (2)"
    assert desk.view.headline.text() == (
        "Today: 17 received, 14 converted, 2 to review, 0 refused, 1 problems")
    desk.view.status_combo.setCurrentIndex(desk.view.status_combo.findData(""))
    await eventually(lambda: p.messages.rowCount() == 2)
    assert "messages:dead" in desk.client.calls[-5:]  # the problem count still comes along


async def test_the_timer_skips_while_a_refresh_is_under_way(desk: Desk) -> None:
    client, presenter = desk.client, desk.presenter
    client.gate = asyncio.get_running_loop().create_future()
    client.calls.clear()
    presenter.tick()
    await eventually(lambda: len(client.calls) == 4)  # the four lists asked for, held
    for _ in range(3):
        presenter.tick()
    presenter.refresh(force=True)  # an action finished meanwhile: one more refresh after
    client.gate.set_result(None)
    await eventually(lambda: presenter.refreshes == 3 and not presenter.busy())
    # Idle now; a fetch started by a tick would have asked for its four lists meanwhile.
    assert len(client.calls) == 8


async def test_a_failing_refresh_is_reported_once_and_offline_not_at_all(
    desk: Desk, messages: Messages
) -> None:
    async def broken() -> None:
        raise ApiError(500, "Internal error", "boom")

    desk.client.reviews = broken  # type: ignore[method-assign]
    for _ in range(3):
        desk.presenter.refresh()
        await eventually(lambda: not desk.presenter.busy())
    assert [text for _, text in messages.shown] == [
        "Refreshing the intake lists: Internal error: boom."]

    async def away() -> None:
        raise Offline("Cannot reach the server")

    messages.shown.clear()
    desk.presenter.polling.failing = False
    desk.client.reviews = away  # type: ignore[method-assign]
    desk.presenter.refresh()
    await eventually(lambda: not desk.presenter.busy())
    assert messages.shown == []


async def test_approve_sends_the_order_version_and_refreshes(
    desk: Desk, messages: Messages
) -> None:
    before = desk.presenter.refreshes
    desk.view.review_table.select_key(2)
    desk.view.approve_button.click()
    await desk.settled(before)
    [(order_id, decision)] = desk.client.decisions
    assert (order_id, decision.approve, decision.version, decision.reason) == (2, True, 3, "")
    assert [r.order.id for r in desk.presenter.reviews.rows()] == [1]
    assert messages.shown[-1] == ("info", "Order LM00000002 approved; now Classified.")


async def test_reject_requires_a_reason(desk: Desk, messages: Messages) -> None:
    seen: list[bool] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen.append(ok.isEnabled())
        dialog.accept()  # without a reason: refused, the dialog stays open
        seen.append(dialog.isVisible())
        dialog.reason_edit.setPlainText("收货地址为空壳公司，刷单")
        dialog.accept()

    desk.actions.on_open = answer
    before = desk.presenter.refreshes
    desk.view.rejectRequested.emit(1)
    await desk.settled(before)
    assert seen == [False, True]
    [(order_id, decision)] = desk.client.decisions
    assert (order_id, decision.approve, decision.reason) == (1, False, "收货地址为空壳公司，刷单")
    assert messages.shown[-1] == ("info", "Order LM00000001 rejected and cancelled.")


async def test_a_cancelled_reject_sends_nothing(desk: Desk) -> None:
    desk.actions.on_open = lambda dialog: dialog.reject()
    before = desk.presenter.refreshes
    desk.view.rejectRequested.emit(1)
    await desk.settled(before)
    assert desk.client.decisions == []


async def test_a_review_decided_meanwhile_is_a_warning_not_an_error(
    desk: Desk, messages: Messages
) -> None:
    desk.client.decide_error = ApiError(409, "Stale version", "order 1 changed")
    before = desk.presenter.refreshes
    desk.view.approveRequested.emit(1)
    await desk.settled(before)
    level, text = messages.shown[-1]
    assert level == "warning"
    assert text.startswith("Order LM00000001 was decided or changed by someone else")


async def test_retry_sends_the_edited_payload(desk: Desk, messages: Messages) -> None:
    fixed = pretty(BROKEN).replace('"receiver_address": ""', '"receiver_address": "建国路88号"')

    def fix(dialog: QDialog) -> None:
        assert isinstance(dialog, RetryDialog)
        assert dialog.editor.toPlainText() == pretty(BROKEN)
        assert "地址为空" in dialog.prompt.text()
        dialog.set_payload(fixed)
        dialog.accept()

    desk.actions.on_open = fix
    before = desk.presenter.refreshes
    desk.view.retryRequested.emit(7)
    await desk.settled(before)
    assert desk.client.retries == [(7, fixed)]
    assert messages.shown[-1] == ("info", "Retried: 1 records: 1 created.")
    assert desk.presenter.messages.rowCount() == 0  # no longer a dead letter


async def test_retry_unchanged_resends_the_original_and_a_still_dead_one_warns(
    desk: Desk, messages: Messages
) -> None:
    desk.client.retry_receipt = receipt("taobao", Outcome.DEAD)
    desk.actions.on_open = lambda dialog: dialog.accept()
    before = desk.presenter.refreshes
    desk.view.retryRequested.emit(7)
    await desk.settled(before)
    assert desk.client.retries == [(7, None)]
    assert messages.shown[-1] == (
        "warning", "Still not convertible: address: 地址为空. It stays in the problem list.")


async def test_a_fix_the_server_still_refuses_reopens_the_editor_with_the_edit(
    desk: Desk, messages: Messages
) -> None:
    desk.client.retry_errors.append(ApiError(
        422, "Invalid request", "receiver_mobile: 不是手机号",
        errors=[{"loc": ["body", "receiver_mobile"], "msg": "不是手机号"}]))
    first = pretty(BROKEN).replace('"receiver_address": ""', '"receiver_address": "建国路88号"')
    prompts: list[str] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, RetryDialog)
        prompts.append(dialog.prompt.text())
        if len(prompts) == 1:
            dialog.set_payload(first)
        else:
            assert dialog.editor.toPlainText() == first  # goes on from the edit
        dialog.accept()  # the second time unchanged: the edit is sent again

    desk.actions.on_open = answer
    before = desk.presenter.refreshes
    desk.view.retryRequested.emit(7)
    await desk.settled(before)
    assert desk.client.retries == [(7, first), (7, first)]
    assert prompts[1].endswith("could not be converted: receiver_mobile: 不是手机号")
    assert messages.shown[-1][0] == "info"


async def test_a_message_someone_else_resolved_is_a_warning(
    desk: Desk, messages: Messages
) -> None:
    desk.client.discard_error = ApiError(409, "Conflict", "message 7 is not dead")

    def why(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason_edit.setPlainText("重复推送")
        dialog.accept()

    desk.actions.on_open = why
    before = desk.presenter.refreshes
    desk.view.discardRequested.emit(7)
    await desk.settled(before)
    assert messages.shown[-1] == ("warning", "Message T-7 was dealt with by someone else "
                                  "meanwhile; the problem list is refreshed.")


async def test_discard_asks_why_and_sends_the_reason(desk: Desk, messages: Messages) -> None:
    def why(dialog: QDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        assert "T-7" in dialog.prompt.text()
        dialog.reason_edit.setPlainText("平台测试推送")
        dialog.accept()

    desk.actions.on_open = why
    before = desk.presenter.refreshes
    desk.view.message_table.select_key(7)
    desk.view.discard_button.click()
    await desk.settled(before)
    assert desk.client.discards == [(7, "平台测试推送")]
    assert messages.shown[-1] == ("info", "Message T-7 discarded.")


async def test_import_previews_the_file_then_imports_it(
    desk: Desk, messages: Messages, tmp_path: Path
) -> None:
    file = tmp_path / "erp-2026-11-25.csv"
    file.write_bytes("单号,电话\nE-1,13800138000\n".encode("gb18030"))
    # The backend's problem text shows in the person's language (English in UI tests).
    rows = desk.client.preview.rows
    rows[1] = rows[1].model_copy(update={"problem": "缺少收货人电话 (no receiver phone)"})
    importer = ImportPresenter(desk.client, messages, desk.view)
    importer.imported.connect(lambda _r: desk.presenter.refresh(force=True))
    dialog = importer.open()
    await eventually(lambda: dialog.platform_combo.count() == 2 and not importer.busy())
    dialog.platform_combo.setCurrentIndex(dialog.platform_combo.findData("erp"))
    dialog.choose_file(str(file))
    await eventually(lambda: dialog.import_button.isEnabled())

    assert desk.client.imports == [("erp", file.read_bytes(), "text/csv",
                                    "erp-2026-11-25.csv", True)]
    model = dialog.preview_table.model()
    assert model.rowCount() == 3
    assert [model.index(1, c).data() for c in range(5)] == ["2", "E-2", "Problem",
                                                             "receiver_phone", "no receiver phone"]
    assert dialog.summary.text() == "2 can be imported, 1 with problems"

    before = desk.presenter.refreshes
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.import_button.click()
    await eventually(lambda: closed == [QDialog.DialogCode.Accepted.value]
                     and desk.presenter.refreshes > before)
    assert desk.client.imports[-1][4] is False
    level, text = messages.shown[-1]
    assert level == "warning"
    assert text == ("Imported erp-2026-11-25.csv: 3 records: 1 created, 1 merged, 1 problems. "
                    "Records with problems are in the problem list.")
    await eventually(lambda: importer.dialog is None)


async def test_an_unreadable_file_is_said_in_the_dialog(
    desk: Desk, messages: Messages, tmp_path: Path
) -> None:
    importer = ImportPresenter(desk.client, messages, desk.view)
    dialog = importer.open()
    await eventually(lambda: dialog.platform_combo.count() == 2)
    dialog.choose_file(str(tmp_path / "gone.csv"))
    assert dialog.summary.text().startswith("Cannot read gone.csv")
    assert not dialog.import_button.isEnabled()
    assert [i for i in desk.client.imports] == []
    dialog.reject()


async def test_a_hidden_workspace_refreshes_rarely(qtbot: QtBot, messages: Messages) -> None:
    client = FakeIntakeClient()
    view = IntakeView()
    qtbot.addWidget(view)
    on_screen = [False]
    presenter = IntakePresenter(client, view, messages, interval_ms=60_000,
                                visible=lambda: on_screen[0])
    presenter.tick()  # never refreshed yet: refresh even hidden, for the tab title's counts
    await eventually(lambda: presenter.refreshes == 1 and not presenter.busy())
    presenter.tick()  # a fetch would be under way from here on
    assert presenter.refreshes == 1 and not presenter.busy()
    on_screen[0] = True
    presenter.tick()
    await eventually(lambda: presenter.refreshes == 2 and not presenter.busy())
