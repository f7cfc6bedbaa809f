"""The technician risk dock: the models (scores, band colours, flags in words), the drill-down
on Enter, and the manual-review switch that asks for a reason (saved, stale, refused)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row
from ui_support import Messages

from console.errors import ApiError
from console.models.fieldwork.risk import (
    BAND,
    BAND_COLOURS,
    FLAGS,
    NAME,
    REASONS,
    REVIEW,
    SCORE,
    STATE,
    FlaggedOrderModel,
    RiskModel,
)
from console.windows import Workspace
from console.windows.risk import RiskDesk
from core.contracts.fieldwork.risk import (
    BandName,
    FlaggedOrderOut,
    ReviewCompletionsUpdate,
    RiskFlagOut,
    RiskListOut,
    RiskReasonOut,
    TechnicianReviewOut,
    TechnicianRiskDetailOut,
    TechnicianRiskOut,
)
from ui.fieldwork.risk import ReviewDialog, RiskView

NOW = datetime(2026, 3, 22, 8, 0, tzinfo=UTC)
OUTSIDE = "签到位置离地址过远 (checked in too far from the address)"


def reason(kind: str, orders: int, points: int, text: str = "") -> RiskReasonOut:
    return RiskReasonOut(kind=kind, text=text or kind, orders=orders, flags=orders,
                         points=points)


def risk_row(tech_id: int, name: str, score: float, band: BandName, *,
             reasons: list[RiskReasonOut] | None = None, review: bool = False,
             version: int = 0) -> TechnicianRiskOut:
    return TechnicianRiskOut(
        technician_id=tech_id, name=name, service_point="朝阳网点", county_name="朝阳区",
        active=True, score=score, band=band, points=sum(r.points for r in reasons or []),
        orders=10, flagged_orders=len(reasons or []), reasons=reasons or [],
        review_completions=review, review_version=version)


def flag(kind: str, **detail: Any) -> RiskFlagOut:
    return RiskFlagOut(kind=kind, text=kind, detail=detail, at=NOW - timedelta(hours=2),
                       raised_by="tech1")


class FakeRiskClient:
    """Risk in memory; the switch checks the version as the server does."""

    def __init__(self) -> None:
        self.rows = {
            1: risk_row(1, "王建", 60.0, "high",
                        reasons=[reason("checkin_outside", 3, 12, OUTSIDE)]),
            2: risk_row(2, "李静", 2.5, "low", reasons=[reason("checkin_inaccurate", 1, 1)]),
            3: risk_row(3, "周敏", 20.0, "watch", reasons=[reason("complaint", 1, 6)]),
        }
        self.orders = {1: [FlaggedOrderOut(
            order_id=11, order_no="LM2026032200011", state="served", last_at=NOW,
            flags=[flag("checkin_outside", distance_m=5200, tolerance_m=500),
                   flag("code_failed", attempt=1), flag("code_failed", attempt=2)]),
            FlaggedOrderOut(order_id=12, order_no="LM2026032200012", state="checked_in",
                            last_at=NOW - timedelta(days=1),
                            flags=[flag("checkin_outside", distance_m=3100)])]}
        self.detail_calls: list[tuple[int, int]] = []
        self.sent: list[tuple[int, ReviewCompletionsUpdate]] = []
        self.refuse: list[ApiError] = []

    async def technician_risk(self, days: int = 30) -> RiskListOut:
        rows = sorted(self.rows.values(), key=lambda r: -r.score)
        return RiskListOut(days=days, since=NOW - timedelta(days=days), until=NOW,
                           technicians=rows)

    async def technician_risk_detail(self, technician_id: int,
                                     days: int = 30) -> TechnicianRiskDetailOut:
        self.detail_calls.append((technician_id, days))
        return TechnicianRiskDetailOut(days=days, since=NOW - timedelta(days=days), until=NOW,
                                       risk=self.rows[technician_id],
                                       orders=self.orders.get(technician_id, []))

    async def set_review_completions(self, technician_id: int,
                                     change: ReviewCompletionsUpdate) -> TechnicianReviewOut:
        self.sent.append((technician_id, change))
        if self.refuse:
            raise self.refuse.pop(0)
        row = self.rows[technician_id]
        if change.version != row.review_version:
            raise ApiError(409, "Conflict", "changed meanwhile",
                           current_version=row.review_version)
        self.rows[technician_id] = row.model_copy(update={
            "review_completions": change.review, "review_version": row.review_version + 1})
        return TechnicianReviewOut(technician_id=technician_id,
                                   review_completions=change.review,
                                   version=row.review_version + 1, updated_by="supervisor",
                                   updated_at=NOW)


def _desk(qtbot: QtBot, messages: Messages, client: FakeRiskClient,
          opened: list[int] | None = None) -> RiskDesk:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = RiskDesk(client, messages, window,
                    (opened.append if opened is not None else lambda _id: None))
    window.show()
    desk.show_desk()
    return desk


Answer = Callable[[ReviewDialog], None]


def _answering(desk: RiskDesk, answers: list[Answer]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen.append({"title": dialog.windowTitle(), "error": dialog.error.text(),
                     "ok": ok.isEnabled(), "reason": dialog.reason()})
        if answers:
            answers.pop(0)(dialog)
        else:
            dialog.reject()

    desk.presenter.on_open = answer
    return seen


def _because(why: str) -> Answer:
    def fill(dialog: ReviewDialog) -> None:
        dialog.reason_edit.setPlainText(why)
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.accept()
    return fill


def test_the_model_shows_scores_bands_and_reasons_in_words() -> None:
    model = RiskModel()
    model.set_rows([risk_row(1, "王建", 60.0, "high",
                             reasons=[reason("checkin_outside", 3, 12, OUTSIDE),
                                      reason("new_kind", 1, 2, "新的标记 (a new flag)")],
                             review=True),
                    risk_row(2, "李静", 2.5, "low")])
    assert model.columnCount() == 8
    assert [model.data(model.index(0, c)) for c in (NAME, SCORE, BAND, REVIEW)] == [
        "王建", "60.0", "High", "Yes"]
    # A kind the console knows is worded by the console; an unknown one by the server.
    assert model.data(model.index(0, REASONS)) == (
        "checked in too far from the address ×3、新的标记 (a new flag) ×1")
    brush = model.data(model.index(0, SCORE), Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == BAND_COLOURS["high"]
    assert model.data(model.index(1, BAND), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(1, REVIEW)) == ""
    tip = model.data(model.index(0, SCORE), Qt.ItemDataRole.ToolTipRole)
    assert "3 orders, 3 flags, 12 points" in tip


def test_the_drill_down_model_words_the_flags_and_their_facts() -> None:
    model = FlaggedOrderModel()
    model.set_rows(FakeRiskClient().orders[1])
    assert model.data(model.index(0, STATE)) == "Served"
    assert model.data(model.index(0, FLAGS)) == (
        "checked in too far from the address、wrong verification code ×2")
    tip = model.data(model.index(0, FLAGS), Qt.ItemDataRole.ToolTipRole)
    assert "5200 m from the address, tolerance 500 m" in tip and "try 2" in tip


def test_the_switch_waits_for_a_technician(qtbot: QtBot) -> None:
    view = RiskView()
    qtbot.addWidget(view)
    assert not view.review_box.isEnabled() and view.current_technician() is None
    view.show_detail("王建", review=True)
    assert view.review_box.isEnabled() and view.review_box.isChecked()
    view.set_busy(True)
    assert not view.review_box.isEnabled()


async def test_the_desk_lists_technicians_by_score_and_drills_down_on_enter(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeRiskClient()
    opened: list[int] = []
    desk = _desk(qtbot, messages, client, opened)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    view = desk.view
    assert desk.dock.objectName() == "riskDock" and desk.dock.windowTitle() == "Technician risk"
    assert [view.proxy.index(r, NAME).data() for r in range(3)] == ["王建", "周敏", "李静"]
    assert view.select_technician(3)
    await eventually(lambda: client.detail_calls[-1:] == [(3, 30)]
                     and not desk.presenter.detail_polling.busy())
    assert desk.presenter.orders.rowCount() == 0

    view.table.setFocus()
    assert view.select_technician(1)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # before his orders have arrived
    await eventually(lambda: view.orders_table.hasFocus()
                     or view.focusWidget() is view.orders_table)
    assert client.detail_calls[-1] == (1, 30)
    assert desk.presenter.orders.rowCount() == 2
    assert "王建: score 60.0 (High)" in view.heading.text()
    assert view.review_box.isEnabled() and not view.review_box.isChecked()

    assert view.orders_table.current_key() == 11
    qtbot.keyClick(view.orders_table, Qt.Key.Key_Return)
    assert opened == [11]

    view.days_combo.setCurrentIndex(view.days_combo.findData("90"))
    await eventually(lambda: client.detail_calls[-1] == (1, 90))
    desk.stop()


async def test_the_switch_asks_for_a_reason_and_saves_from_the_version_shown(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeRiskClient()
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    view = desk.view
    seen = _answering(desk, [lambda d: d.reject(), _because("三单远距离签到")])
    assert view.select_technician(1)
    await eventually(lambda: view.review_box.isEnabled())

    view.review_box.click()  # cancelled: nothing sent, the switch stays off
    await eventually(lambda: seen and not desk.presenter.actions.acting)
    assert client.sent == [] and not view.review_box.isChecked()
    assert seen[0]["title"] == "Completions to manual review" and seen[0]["ok"] is False
    assert seen[0]["error"] == "Please give a reason."

    view.review_box.click()
    await eventually(lambda: client.sent and not desk.presenter.actions.acting)
    [(tech_id, change)] = client.sent
    assert (tech_id, change.review, change.version, change.reason) == (
        1, True, 0, "三单远距离签到")
    row = desk.presenter.model.find(1)
    assert row is not None and row.review_completions and row.review_version == 1
    assert view.review_box.isChecked()
    assert messages.shown[-1] == ("info", "Completions of 王建 now go to manual review.")
    desk.stop()


async def test_a_stale_switch_says_so_and_reloads(qtbot: QtBot, messages: Messages) -> None:
    client = FakeRiskClient()
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    # Another supervisor routed 王建 after the list was fetched.
    client.rows[1] = client.rows[1].model_copy(update={"review_completions": True,
                                                       "review_version": 1})
    _answering(desk, [_because("核实")])
    refreshes = desk.presenter.refreshes

    assert await desk.presenter.change_review(1, True) is False

    assert client.sent[0][1].version == 0
    level, text = messages.shown[-1]
    assert level == "warning" and "changed by someone else" in text
    await eventually(lambda: desk.presenter.refreshes > refreshes)
    row = desk.presenter.model.find(1)
    assert row is not None and (row.review_completions, row.review_version) == (True, 1)
    desk.stop()


async def test_a_refused_reason_reopens_the_form_with_the_message(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeRiskClient()
    client.refuse = [ApiError(422, "Invalid request", "reason: 请说明原因")]
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    seen = _answering(desk, [_because("x")])  # the second opening is cancelled

    assert await desk.presenter.change_review(1, True) is False

    assert len(client.sent) == 1
    assert seen[1]["error"] == "reason: 请说明原因" and seen[1]["reason"] == "x"
    desk.stop()


@pytest.mark.parametrize(("role", "has_risk"), [
    ("supervisor", True), ("admin", True), ("agent", False), ("finance", False)])
def test_supervisors_and_admins_get_the_risk_dock_beside_the_queue(
        qtbot: QtBot, settings_factory: Callable[[], QSettings], role: str,
        has_risk: bool) -> None:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    desk = workspace.docks.risk
    assert (desk is not None) is has_risk
    if desk is not None:
        assert desk in workspace.docks.all()
        assert desk.dock in workspace.window.tabifiedDockWidgets(workspace.window.queue_dock)
    workspace.close()
