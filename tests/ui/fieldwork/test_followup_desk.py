"""The follow-up dock (回访) and the complaints dock (投诉) with the client in memory: the
models, the chosen call's script, keyboard first (Up/Down, 1-5 at once, P and U through their
forms, Enter opens the order), the forms' checks, a stale outcome or ruling, and who gets which
dock. tests/e2e/test_followup_desk_live.py drives the same docks against a real backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row
from ui_support import Messages

from console.errors import ApiError
from console.models.fieldwork.followups import (
    ATTEMPTS,
    C_AFTER_SALES,
    C_REPEAT,
    C_STATUS,
    C_TYPE,
    DUE,
    PHONE,
    REASONS,
    ComplaintModel,
    WorklistModel,
)
from console.windows import Workspace
from console.windows.followups import ComplaintDesk, FollowupDesk
from core.contracts.fieldwork.followups import (
    ComplaintOut,
    ComplaintRuling,
    ComplaintRulingOut,
    ComplaintsOut,
    FollowupOut,
    FollowupOutcomeIn,
    FollowupOutcomeOut,
    ReviewPolicyOut,
    WorklistOut,
    WorklistRowOut,
)
from ui.fieldwork.followup_dialogs import ProblemDialog, RulingDialog, UnreachableDialog
from ui.roles import WARNING_ROLE

NOW = datetime.now(UTC).replace(microsecond=0)
SCRIPT = "您好，这里是客服回访。您的订单 LM00000001（安装）已由王建师傅完成。"
STALE = "回访已被他人记录 (the follow-up changed meanwhile)"


def work_row(followup_id: int, *, due: bool = True, version: int = 1, attempts: int = 0,
             reasons: list[str] | None = None) -> WorklistRowOut:
    return WorklistRowOut(
        followup_id=followup_id, version=version, order_id=100 + followup_id,
        order_no=f"LM{followup_id:08d}", order_version=12, order_state="in_review",
        client_code="demo-tmall", service_type="install", customer_name=f"客户{followup_id}",
        customer_phone=f"1380000000{followup_id}", address="朝阳路 1 号", county_name="朝阳区",
        technician_id=1, technician_name="王建", review_until=NOW + timedelta(days=6),
        reasons=reasons or ["new_technician"],  # type: ignore[arg-type]
        reasons_text="新师傅前几单 (one of the technician's first orders)",
        due_at=NOW - timedelta(hours=followup_id) if due else NOW + timedelta(hours=3),
        due=due, attempts=attempts, max_attempts=3, script=SCRIPT)


def complaint(complaint_id: int, *, status: str = "open", version: int = 1,
              repeat: bool = True) -> ComplaintOut:
    return ComplaintOut(
        id=complaint_id, order_id=100 + complaint_id, order_no=f"LM{complaint_id:08d}",
        followup_id=complaint_id, complaint_type="quality",
        complaint_text="安装质量 (quality)", note="空调漏水", technician_id=1,
        technician_name="王建", repeat_fault=repeat, free_visit=repeat,
        charged_technician_id=1 if repeat else None,
        after_sales_order_id=200 + complaint_id, after_sales_order_no=f"LM{200 + complaint_id:08d}",
        status=status, raised_by="agent", raised_at=NOW - timedelta(hours=complaint_id),  # type: ignore[arg-type]
        ruled_by="", ruled_at=None, ruling_reason="", version=version)


class FakeFollowupClient:
    """The worklist in memory; an outcome checks the version as the server does: satisfied and
    problem close the call, unreachable moves it out of 'due'."""

    def __init__(self) -> None:
        self.rows = [work_row(1), work_row(2), work_row(3, due=False)]
        self.outcomes: list[tuple[int, FollowupOutcomeIn]] = []
        self.scopes: list[str] = []
        self.policy_calls = 0

    async def followup_worklist(self, scope: str = "due", offset: int = 0,
                                limit: int = 50) -> WorklistOut:
        self.scopes.append(scope)
        rows = [r for r in self.rows if r.due or scope == "open"]
        return WorklistOut(scope=scope, total=len(rows),  # type: ignore[arg-type]
                           due=sum(1 for r in self.rows if r.due), offset=offset, limit=limit,
                           rows=rows)

    async def review_policy(self, client_code: str) -> ReviewPolicyOut:
        self.policy_calls += 1
        return ReviewPolicyOut(
            review_days=7, sample_percent=10, high_value_fen=500_000, sample_flagged=True,
            first_orders=5, max_attempts=3, retry_hours=2, repeat_fault_days=7,
            client_code=client_code, source="built_in", version=0, updated_by="",
            updated_at=None)

    async def record_followup(self, followup_id: int,
                              outcome: FollowupOutcomeIn) -> FollowupOutcomeOut:
        self.outcomes.append((followup_id, outcome))
        found = next(r for r in self.rows if r.followup_id == followup_id)
        if outcome.version != found.version:
            raise ApiError(409, "Conflict", STALE)
        index = self.rows.index(found)
        status, due_at = "done", found.due_at
        if outcome.outcome == "unreachable":
            status, due_at = "open", outcome.retry_at or NOW + timedelta(hours=2)
            self.rows[index] = found.model_copy(update={
                "due": False, "due_at": due_at, "attempts": found.attempts + 1,
                "version": found.version + 1})
        else:
            self.rows.remove(found)
        made = complaint(followup_id) if outcome.outcome == "problem" else None
        return FollowupOutcomeOut(
            followup=FollowupOut(
                id=followup_id, order_id=found.order_id, technician_id=1,
                reasons=found.reasons, reasons_text=found.reasons_text, due_at=due_at,
                attempts=found.attempts + 1, max_attempts=3, status=status,  # type: ignore[arg-type]
                outcome=outcome.outcome, rating=outcome.rating,
                complaint_type=outcome.complaint_type, note=outcome.note,
                recorded_by="agent", recorded_at=NOW, created_at=NOW, version=found.version + 1),
            order_id=found.order_id, order_state="frozen" if made else "in_review",
            order_version=13, complaint=made, technician_rating=4.6)


class FakeComplaintClient:
    def __init__(self) -> None:
        self.rows = [complaint(1), complaint(2, repeat=False)]
        self.rulings: list[tuple[int, ComplaintRuling]] = []

    async def complaints(self, status: str = "open", offset: int = 0,
                         limit: int = 50) -> ComplaintsOut:
        rows = [r for r in self.rows if r.status == "open" or status == "all"]
        return ComplaintsOut(total=len(rows), open=sum(1 for r in self.rows if r.status == "open"),
                             offset=offset, limit=limit, rows=rows)

    async def rule_complaint(self, complaint_id: int,
                             ruling: ComplaintRuling) -> ComplaintRulingOut:
        self.rulings.append((complaint_id, ruling))
        found = next(r for r in self.rows if r.id == complaint_id)
        if ruling.version != found.version:
            raise ApiError(409, "Conflict", "投诉已被他人处理 (the complaint changed meanwhile)")
        ruled = found.model_copy(update={
            "status": "upheld" if ruling.uphold else "dismissed", "ruled_by": "supervisor",
            "ruled_at": NOW, "ruling_reason": ruling.reason, "version": found.version + 1})
        self.rows[self.rows.index(found)] = ruled
        return ComplaintRulingOut(complaint=ruled, order_state="frozen", order_version=14,
                                  technician_rating=4.1)


def _followups(qtbot: QtBot, messages: Messages, client: FakeFollowupClient,
               opened: list[int] | None = None) -> FollowupDesk:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = FollowupDesk(client, messages, window,
                        opened.append if opened is not None else lambda _id: None,
                        now=lambda: NOW)  # the fake's clock, however long the suite has run
    window.show()
    window.activateWindow()
    desk.show_desk()
    return desk


async def _shown(desk: FollowupDesk, followup_id: int) -> None:
    await eventually(lambda: desk.view.panel.row is not None
                     and desk.view.panel.row.followup_id == followup_id
                     and desk.view.current_followup() == followup_id)


def _answering(presenter: Any, answers: list[Callable[[Any], None]]) -> list[QDialog]:
    seen: list[QDialog] = []

    def answer(dialog: QDialog) -> None:
        seen.append(dialog)
        if answers:
            answers.pop(0)(dialog)
        else:
            dialog.reject()

    presenter.on_open = answer
    return seen


def _ok(dialog: QDialog) -> bool:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    return bool(button.isEnabled())


# -- the models -----------------------------------------------------------------------------------

def test_the_worklist_model_words_reasons_and_reds_what_is_due() -> None:
    model = WorklistModel()
    model.set_rows([work_row(1, reasons=["flagged", "high_value"], attempts=1),
                    work_row(3, due=False)])

    def cell(r: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.data(model.index(r, column), role)

    assert (model.rowCount(), model.columnCount()) == (2, 8)
    assert cell(0, REASONS) == "Flagged, High value" and cell(0, PHONE) == "13800000001"
    assert cell(0, ATTEMPTS) == "1/3"
    assert cell(0, DUE, WARNING_ROLE) is True and cell(1, DUE, WARNING_ROLE) is False
    assert "新师傅" in str(cell(0, REASONS, Qt.ItemDataRole.ToolTipRole))


def test_the_complaint_model_says_who_pays_a_repeat_fault() -> None:
    model = ComplaintModel()
    model.set_rows([complaint(1), complaint(2, status="dismissed", repeat=False)])

    def cell(r: int, column: int) -> object:
        return model.data(model.index(r, column), Qt.ItemDataRole.DisplayRole)

    assert [cell(r, C_STATUS) for r in range(2)] == ["Open", "Dismissed"]
    assert cell(0, C_TYPE) == "Installation quality" and cell(0, C_AFTER_SALES) == "LM00000201"
    assert cell(0, C_REPEAT) == "Charged to technician" and cell(1, C_REPEAT) == ""


# -- the follow-up dock ---------------------------------------------------------------------------

async def test_the_dock_lists_the_due_calls_and_shows_the_first_ones_script(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)

    panel = desk.view.panel
    assert desk.dock.objectName() == "followupDock"
    assert desk.dock.windowTitle() == "Follow-up calls (2)"
    assert desk.presenter.model.rowCount() == 2 and client.scopes[0] == "due"
    assert desk.view.counts.text() == "2 due now, 2 listed of 2"
    assert panel.customer.text() == "Customer: 客户1  13800000001"
    assert panel.title.text() == "LM00000001 · Installation · technician 王建"
    assert panel.script.text() == SCRIPT
    assert "Review period of demo-tmall until" in panel.period.text()
    assert panel.reasons.text().startswith("Picked: New technician · try 1 of 3")

    desk.view.scope_combo.setCurrentIndex(desk.view.scope_combo.findData("open"))
    await eventually(lambda: desk.presenter.model.rowCount() == 3)
    assert client.scopes[-1] == "open"
    desk.stop()


async def test_a_rating_key_records_satisfied_at_once_and_the_row_leaves(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)
    desk.view.focus_current()
    refreshes = desk.presenter.refreshes

    qtbot.keyClick(desk.view.table, Qt.Key.Key_4)

    await eventually(lambda: client.outcomes and not desk.presenter.acting()
                     and desk.presenter.refreshes > refreshes)
    [(followup_id, outcome)] = client.outcomes
    assert (followup_id, outcome.outcome, outcome.rating, outcome.version) == (
        1, "satisfied", 4, 1)
    assert messages.shown[-1] == ("info", "Order LM00000001: satisfied, rated 4.")
    assert desk.presenter.model.row_of(1) is None
    await _shown(desk, 2)  # the next call comes up
    assert desk.dock.windowTitle() == "Follow-up calls (1)"
    desk.stop()


async def test_up_down_walk_the_list_and_enter_opens_the_order(qtbot: QtBot,
                                                               messages: Messages) -> None:
    client = FakeFollowupClient()
    opened: list[int] = []
    desk = _followups(qtbot, messages, client, opened)
    await _shown(desk, 1)
    desk.view.focus_current()

    qtbot.keyClick(desk.view.table, Qt.Key.Key_Down)
    await _shown(desk, 2)
    qtbot.keyClick(desk.view.table, Qt.Key.Key_Return)
    qtbot.keyClick(desk.view.table, Qt.Key.Key_Up)
    await _shown(desk, 1)
    desk.view.open_button.click()
    assert opened == [102, 101]
    desk.stop()


async def test_the_problem_form_needs_a_type_and_a_note(qtbot: QtBot,
                                                        messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)
    checks: list[tuple[bool, str]] = []

    def fill(dialog: ProblemDialog) -> None:
        checks.append((_ok(dialog), dialog.error.text()))
        dialog.reason_edit.setPlainText("空调漏水，师傅装歪了")
        checks.append((_ok(dialog), dialog.error.text()))  # a note, no type yet
        dialog.set_complaint_type("quality")
        dialog.reason_edit.setPlainText("   ")
        checks.append((_ok(dialog), dialog.error.text()))  # a type, no note
        dialog.reason_edit.setPlainText("空调漏水，师傅装歪了")
        checks.append((_ok(dialog), dialog.error.text()))
        dialog.accept()

    seen = _answering(desk.presenter, [lambda d: d.reject(), fill])
    desk.view.focus_current()
    qtbot.keyClick(desk.view.table, Qt.Key.Key_P)  # cancelled: nothing sent
    await eventually(lambda: seen and not desk.presenter.acting())
    assert client.outcomes == []

    desk.view.problem_button.click()  # the mouse does the same
    await eventually(lambda: client.outcomes and not desk.presenter.acting())
    assert checks == [(False, "Please choose the complaint type."),
                      (False, "Please choose the complaint type."),
                      (False, "Please note what the customer said."), (True, "")]
    [(_, outcome)] = client.outcomes
    assert (outcome.outcome, outcome.complaint_type, outcome.note) == (
        "problem", "quality", "空调漏水，师傅装歪了")
    assert messages.shown[-1] == ("info", "Order LM00000001: problem recorded, frozen with its "
                                          "fee; after-sales order LM00000201 opened.")
    await eventually(lambda: desk.presenter.model.row_of(1) is None)
    desk.stop()


async def test_unreachable_asks_when_to_call_again_and_the_row_leaves_due(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)
    asked: list[tuple[datetime, bool, str]] = []

    def fill(dialog: UnreachableDialog) -> None:
        default = dialog.retry_at()
        dialog.retry_edit.setDateTime(dialog.retry_edit.dateTime().addDays(30))
        asked.append((default, _ok(dialog), dialog.error.text()))  # past the period
        dialog.retry_edit.setDateTime(dialog.retry_edit.dateTime().addDays(-30))
        dialog.note_edit.setText("关机")
        asked.append((dialog.retry_at(), _ok(dialog), dialog.error.text()))
        dialog.accept()

    _answering(desk.presenter, [fill])
    desk.view.focus_current()
    qtbot.keyClick(desk.view.table, Qt.Key.Key_U)

    await eventually(lambda: client.outcomes and not desk.presenter.acting())
    (default, ok_late, why_late), (chosen, ok, _) = asked
    # The client's retry delay (2 h here), to the minute, in Beijing time.
    assert abs((default - NOW).total_seconds() - 7200) < 120
    assert (ok_late, why_late) == (False, "The next call must be before the review period ends.")
    assert ok and chosen == default
    [(_, outcome)] = client.outcomes
    assert (outcome.outcome, outcome.note, outcome.retry_at) == ("unreachable", "关机", default)
    assert messages.shown[-1][1].startswith("Order LM00000001: unreachable; next call at ")
    await eventually(lambda: desk.presenter.model.row_of(1) is None
                     and desk.presenter.worklist is not None and desk.presenter.worklist.due == 1)
    assert client.policy_calls == 1
    desk.stop()


async def test_keys_do_nothing_without_a_shown_call_or_while_one_is_sent(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)
    view = desk.view
    asked: list[object] = []
    view.ratedRequested.connect(lambda f, r: asked.append((f, r)))
    view.problemRequested.connect(asked.append)
    view.show_followup(None)
    view.focus_current()
    qtbot.keyClick(view.table, Qt.Key.Key_5)
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    assert asked == [] and not view.rating_buttons[5].isEnabled()

    view.show_followup(client.rows[0])
    view.set_busy(True)
    qtbot.keyClick(view.table, Qt.Key.Key_5)
    assert asked == [] and not view.problem_button.isEnabled()
    desk.stop()


async def test_a_stale_outcome_says_so_in_the_servers_words_and_refreshes(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeFollowupClient()
    desk = _followups(qtbot, messages, client)
    await _shown(desk, 1)
    # Another agent reached the customer after this list was read.
    client.rows[0] = client.rows[0].model_copy(update={"version": 2})
    refreshes = desk.presenter.refreshes
    desk.view.focus_current()

    qtbot.keyClick(desk.view.table, Qt.Key.Key_5)

    await eventually(lambda: client.outcomes and not desk.presenter.acting()
                     and desk.presenter.refreshes > refreshes)
    assert client.outcomes[0][1].version == 1
    level, text = messages.shown[-1]
    assert level == "warning" and "changed or recorded by someone else" in text
    # The server's reason in the console's language only (English here: no catalogue).
    assert "the follow-up changed meanwhile" in text and "回访已被他人记录" not in text
    assert desk.presenter.model.find(1) is not None
    assert desk.presenter.model.find(1).version == 2  # type: ignore[union-attr]
    desk.stop()


# -- the complaints dock --------------------------------------------------------------------------

def _complaints(qtbot: QtBot, messages: Messages, client: FakeComplaintClient,
                opened: list[int] | None = None) -> ComplaintDesk:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = ComplaintDesk(client, messages, window,
                         opened.append if opened is not None else lambda _id: None)
    window.show()
    window.activateWindow()
    desk.show_desk()
    return desk


async def test_a_supervisor_upholds_with_u_and_dismisses_with_d(qtbot: QtBot,
                                                                messages: Messages) -> None:
    client = FakeComplaintClient()
    opened: list[int] = []
    desk = _complaints(qtbot, messages, client, opened)
    await eventually(lambda: desk.view.shown is not None and desk.view.shown.id == 1)
    assert desk.dock.windowTitle() == "Complaints (2)"
    assert "a repeat fault: free to the customer, charged to the technician" in \
        desk.view.detail.text()
    desk.view.focus_current()
    qtbot.keyClick(desk.view.table, Qt.Key.Key_Return)
    assert opened == [201]  # the after-sales order

    titles: list[str] = []

    def because(why: str) -> Callable[[RulingDialog], None]:
        def fill(dialog: RulingDialog) -> None:
            titles.append(dialog.windowTitle())
            assert not _ok(dialog)  # a reason is required
            dialog.reason_edit.setPlainText(why)
            dialog.accept()
        return fill

    _answering(desk.presenter, [because("录音核实，确有漏水"), because("客户撤回")])
    qtbot.keyClick(desk.view.table, Qt.Key.Key_U)
    await eventually(lambda: client.rulings and not desk.presenter.acting())
    await eventually(lambda: desk.view.shown is not None and desk.view.shown.id == 2)
    # Offscreen nothing gives the window back its focus when the form closes.
    desk.view.window().activateWindow()
    await eventually(lambda: QApplication.activeWindow() is desk.view.window())
    desk.view.focus_current()
    qtbot.keyClick(desk.view.table, Qt.Key.Key_D)
    await eventually(lambda: len(client.rulings) == 2 and not desk.presenter.acting())

    assert titles == ["Uphold complaint", "Dismiss complaint"]
    assert [(i, r.uphold, r.version, r.reason) for i, r in client.rulings] == [
        (1, True, 1, "录音核实，确有漏水"), (2, False, 1, "客户撤回")]
    assert messages.shown[-1] == ("info", "Complaint about order LM00000002 dismissed; the "
                                          "order is back in review.")
    await eventually(lambda: desk.presenter.model.rowCount() == 0)
    assert desk.dock.windowTitle() == "Complaints"
    desk.stop()


async def test_a_stale_ruling_says_so_and_refreshes(qtbot: QtBot, messages: Messages) -> None:
    client = FakeComplaintClient()
    desk = _complaints(qtbot, messages, client)
    await eventually(lambda: desk.view.shown is not None and desk.view.shown.id == 1)
    client.rows[0] = client.rows[0].model_copy(update={"version": 2})
    desk.presenter.on_open = lambda d: (d.reason_edit.setPlainText("核实"), d.accept())

    assert await desk.presenter.rule(1, True) is False

    level, text = messages.shown[-1]
    assert level == "warning" and "the complaint changed meanwhile" in text
    assert "投诉已被他人处理" not in text
    desk.stop()


# -- who gets the docks ---------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "followups", "complaints"), [
    ("agent", True, False), ("supervisor", True, True), ("admin", True, True),
    ("finance", False, False)])
def test_desk_roles_that_call_customers_get_the_follow_up_dock(
        qtbot: QtBot, settings_factory: Callable[[], QSettings], role: str, followups: bool,
        complaints: bool) -> None:
    # Technicians never get a workspace: the console refuses their sign-in (and the server
    # their worklist: tests/e2e/test_followup_desk_live.py).
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    docks = workspace.docks
    assert (docks.followups is not None) is followups
    assert (docks.complaints is not None) is complaints
    for desk in (docks.followups, docks.complaints):
        if desk is not None:
            assert desk in docks.all()
            assert desk.dock in workspace.window.tabifiedDockWidgets(workspace.window.queue_dock)
    workspace.close()
