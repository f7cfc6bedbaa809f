"""The verification review dock: the queue model, the evidence chain shown for the current
order, keyboard first (Up/Down through the queue, Enter into the evidence, A approves, R rejects
with a reason), thumbnails arriving after the evidence (decoded off the GUI thread), polling
that reloads the evidence when a photo arrives, and who gets the dock."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_detail, make_row
from ui_support import Messages

from console.errors import ApiError
from console.models.fieldwork.review import (
    FLAGS,
    OPEN_ITEMS,
    ORDER_NO,
    PHOTOS,
    SERVED,
    VERDICT,
    ReviewQueueModel,
)
from console.presenters.fieldwork import review as presenting
from console.windows import Workspace
from console.windows.review import ReviewDesk
from core.contracts.fieldwork.appointments import AppointmentOut, CallOut, OrderCallsOut
from core.contracts.fieldwork.checkin import CheckInOut, FlagOut
from core.contracts.fieldwork.codes import CodeOut, CodeStatusOut
from core.contracts.fieldwork.photos import OrderPhotosOut, PhotoFlagOut, PhotoOut
from core.contracts.fieldwork.review import (
    AssessmentOut,
    EvidenceOrderOut,
    EvidenceOut,
    FindingOut,
    RequirementOut,
    ReviewQueueOut,
    ReviewRowOut,
    VerificationDecision,
    VerificationDecisionOut,
)
from core.contracts.fieldwork.serials import OrderSerialsOut, SerialOut
from ui.fieldwork.review import DecisionDialog
from ui.roles import WARNING_ROLE

NOW = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
REQUIREMENT = RequirementOut(code=True, checkin=True, photos_per_unit=4, photos_clean=True,
                             call=True, serial=False)
NO_EXIF = "照片缺少拍摄时间或位置 (photo without capture time or place)"
NO_EXIF_EN = "photo without capture time or place"


def row(order_id: int, verdict: str = "ready", *, version: int = 9, photos: int = 4,
        flags: int = 0, open_items: list[str] | None = None) -> ReviewRowOut:
    return ReviewRowOut(
        order_id=order_id, order_no=f"LM{order_id:08d}", version=version, platform="tmall",
        client_code="demo-tmall", service_type="install", county_name="朝阳区",
        customer_name=f"客户{order_id}", address="朝阳路 1 号", technician_id=1,
        technician_name="王建", served_at=NOW - timedelta(hours=order_id), units=1,
        photos=photos, photos_required=4, flags=flags, verdict=verdict,  # type: ignore[arg-type]
        open_items=open_items or [], text=f"verdict {verdict}")  # type: ignore[arg-type]


def photo_out(photo_id: int, order_id: int, flagged: bool = False) -> PhotoOut:
    return PhotoOut(
        id=photo_id, order_id=order_id, technician_id=1, media_type="image/jpeg", bytes=1000,
        width=400, height=300, sha256="ab" * 32,
        taken_at=None if flagged else NOW - timedelta(minutes=50), time_source="exif_offset",
        position=None, gcj02=None, accuracy_m=None,
        distance_m=None if flagged else 32.4, tolerance_m=500, point="address",
        time_check="missing" if flagged else "inside",
        place_check="missing" if flagged else "inside",
        judged="photo_no_exif" if flagged else "ok",
        flags=[PhotoFlagOut(kind="photo_no_exif", text=NO_EXIF, detail={})] if flagged else [],
        text="", uploaded_at=NOW - timedelta(minutes=40), uploaded_by="tech1",
        thumbnail_url=f"/v1/photos/{photo_id}/thumbnail", url=f"/v1/photos/{photo_id}")


def _serials(order_id: int) -> OrderSerialsOut:
    """Unit 1's serial typed twice: the first one mistyped, replaced with a reason."""
    first = SerialOut(id=1, unit=1, serial="KFR35GW001", typed="kfr35gw001", technician_id=1,
                      submitted_at=NOW - timedelta(minutes=40), submitted_by="tech1",
                      reason=None, replaced_at=NOW - timedelta(minutes=35),
                      replaced_by="tech1")
    second = first.model_copy(update={
        "id": 2, "serial": "KFR35GW007", "typed": "KFR-35GW-007", "reason": "第一次抄错",
        "submitted_at": NOW - timedelta(minutes=35), "replaced_at": None,
        "replaced_by": None})
    return OrderSerialsOut(order_id=order_id, units=1, serials=[second],
                           history=[first, second])


def evidence(queue_row: ReviewRowOut) -> EvidenceOut:
    order_id, flagged = queue_row.order_id, queue_row.verdict == "flagged"
    photos = [photo_out(order_id * 10 + n, order_id, flagged and n == 0)
              for n in range(queue_row.photos)]
    findings = [FindingOut(item="call", status="satisfied", text="预约前有真实通话", detail={}),
                FindingOut(item="checkin", status="flagged" if flagged else "satisfied",
                           text="签到" if not flagged else "签到未上传位置", detail={})]
    return EvidenceOut(
        order=EvidenceOrderOut(
            id=order_id, order_no=queue_row.order_no, version=queue_row.version,
            state="served", platform="tmall", client_code="demo-tmall",
            service_type="install", customer_name=queue_row.customer_name,
            customer_phone="13800000001", address="朝阳路 1 号", county_name="朝阳区",
            technician_id=1, technician_name="王建", units=1, appointment_start=None,
            appointment_end=None, served_at=queue_row.served_at),
        appointment=AppointmentOut(
            id=1, order_id=order_id, technician_id=1, start=NOW - timedelta(hours=2),
            end=NOW, kind="window", part="", text="", initiated_by="technician",
            reschedule=False, reason_code="", reason="", requested_by="tech1",
            requested_role="technician", requested_at=NOW - timedelta(days=1),
            status="booked", decided_by="", decided_at=None, decision_reason="",
            call_verdict="real", call_record_id=1),
        bookings=[],
        calls=OrderCallsOut(order_id=order_id, binding=None, bindings=[], calls=[CallOut(
            id=1, record_id="r1", caller_side="technician",
            started_at=NOW - timedelta(days=1, minutes=5), duration_s=95, connected=True,
            recording=False, received_at=NOW - timedelta(days=1))]),
        check_ins=[CheckInOut(
            id=1, order_id=order_id, technician_id=1,
            outcome="skipped" if flagged else "inside",
            distance_m=None if flagged else 41.6, tolerance_m=500, tolerance_from="rule",
            point="address", position=None, gcj02=None, at=NOW - timedelta(hours=1),
            recorded_by="tech1", recorded_role="technician", reason="")],
        code=CodeStatusOut(order_id=order_id, state="used", current=CodeOut(
            id=1, state="used", digits=4, issued_at=NOW - timedelta(days=1), issued_by="agent",
            reason="", expires_at=NOW + timedelta(days=1), attempts=1, max_attempts=5,
            attempts_left=4, locked_at=None, used_at=NOW - timedelta(minutes=30),
            used_by="tech1", voided_at=None, voided_by="", void_reason="", sms=None),
            earlier=[]),
        photos=OrderPhotosOut(order_id=order_id, required=4, count=len(photos),
                              clean=sum(1 for p in photos if not p.flags), photos=photos),
        serials=_serials(order_id),
        flags=[FlagOut(kind="photo_no_exif", text=NO_EXIF, detail={})] if flagged else [],
        assessment=AssessmentOut(verdict=queue_row.verdict, text=queue_row.text,
                                 client_code="demo-tmall", service_type="install",
                                 requirement=REQUIREMENT, findings=findings))


def jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


class FakeReviewClient:
    """The queue and evidence in memory; thumbnails wait for `release` when gated; a decision
    checks the version as the server does and takes the order out of the queue."""

    def __init__(self) -> None:
        self.rows = [row(2, "flagged", flags=1, open_items=["checkin", "photos"]),
                     row(1, "ready"), row(3, "ready", photos=0)]
        self.evidence_calls: list[int] = []
        self.thumbnail_calls: list[int] = []
        self.decisions: list[tuple[int, VerificationDecision]] = []
        self.gate: asyncio.Event | None = None
        self.broken: set[int] = set()

    async def verification_reviews(self, limit: int = 200) -> ReviewQueueOut:
        return ReviewQueueOut(served=len(self.rows), rows=list(self.rows))

    async def order_evidence(self, order_id: int) -> EvidenceOut:
        self.evidence_calls.append(order_id)
        return evidence(next(r for r in self.rows if r.order_id == order_id))

    async def photo_thumbnail(self, photo_id: int) -> bytes:
        self.thumbnail_calls.append(photo_id)
        if self.gate is not None:
            await self.gate.wait()
        if photo_id in self.broken:
            raise ApiError(404, "Not Found", "照片的文件缺失")
        return jpeg()

    async def decide_verification(self, order_id: int, decision: VerificationDecision
                                  ) -> VerificationDecisionOut:
        self.decisions.append((order_id, decision))
        found = next(r for r in self.rows if r.order_id == order_id)
        if decision.version != found.version:
            raise ApiError(409, "Conflict", "订单已被他人修改", current_version=found.version)
        self.rows.remove(found)
        return VerificationDecisionOut(
            order_id=order_id, order_no=found.order_no, approved=decision.approve,
            state="verified" if decision.approve else "frozen", version=found.version + 1,
            reason=decision.reason)


def _desk(qtbot: QtBot, messages: Messages, client: FakeReviewClient,
          opened: list[int] | None = None) -> ReviewDesk:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = ReviewDesk(client, messages, window,
                      (opened.append if opened is not None else lambda _id: None))
    window.show()
    window.activateWindow()
    desk.show_desk()
    return desk


async def _shown(desk: ReviewDesk, order_id: int) -> None:
    """The order's evidence on screen and its thumbnails settled."""
    await eventually(lambda: desk.view.evidence.evidence is not None
                     and desk.view.evidence.evidence.order.id == order_id
                     and not desk.presenter.loading())


def _answering(desk: ReviewDesk, answers: list[Callable[[DecisionDialog], None]]
               ) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        seen.append({"title": dialog.windowTitle(), "approve": dialog.approve,
                     "prompt": dialog.findChildren(QLabel)[0].text()})
        if answers:
            answers.pop(0)(dialog)
        else:
            dialog.reject()

    desk.presenter.on_open = answer
    return seen


def _because(why: str) -> Callable[[DecisionDialog], None]:
    def fill(dialog: DecisionDialog) -> None:
        dialog.reason_edit.setPlainText(why)
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.accept()
    return fill


# -- the model ------------------------------------------------------------------------------------

def test_the_queue_model_words_verdicts_and_open_items_and_reds_the_flagged() -> None:
    model = ReviewQueueModel()
    model.set_rows([row(2, "flagged", flags=2, photos=1, open_items=["checkin", "photos"]),
                    row(1, "ready"), row(3, "incomplete", open_items=["code"])])

    def cell(r: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.data(model.index(r, column), role)

    assert (model.rowCount(), model.columnCount()) == (3, 7)
    assert [cell(r, VERDICT) for r in range(3)] == ["Flagged", "Ready", "Incomplete"]
    assert cell(0, OPEN_ITEMS) == "Check-in, Photos" and cell(2, OPEN_ITEMS) == "Completion code"
    assert (cell(0, ORDER_NO), cell(0, PHOTOS), cell(0, FLAGS)) == ("LM00000002", "1/4", "2")
    assert cell(1, FLAGS) == "" and cell(1, SERVED) == "2026-03-03 11:00"
    assert cell(0, VERDICT, WARNING_ROLE) is True and cell(1, VERDICT, WARNING_ROLE) is False
    assert cell(0, VERDICT, Qt.ItemDataRole.ToolTipRole) == "verdict flagged"
    assert model.counts() == {"flagged": 1, "incomplete": 1, "ready": 1}


# -- the desk -------------------------------------------------------------------------------------

async def test_the_desk_shows_the_first_orders_evidence_chain(qtbot: QtBot,
                                                              messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await eventually(lambda: desk.presenter.refreshes >= 1)
    await _shown(desk, 2)

    view, panel = desk.view, desk.view.evidence
    assert desk.dock.objectName() == "verificationReviewDock"
    assert desk.dock.windowTitle() == "Verification review (3)"
    assert view.counts.text() == "3 served: 1 flagged, 0 incomplete, 2 ready"
    assert view.current_order() == 2  # the queue's most urgent, chosen for the reviewer
    assert panel.title.text() == "LM00000002 · Installation · technician 王建"
    assert "13800000001" in panel.contact.text()
    assert panel.verdict.text() == (
        "Flagged — required of demo-tmall (Installation): a real call, check-in inside, the code "
        "used, 4 photos per unit, none flagged")
    assert [label.text() for label in panel.finding_labels] == [
        "Appointment call: Satisfied — 预约前有真实通话",
        "Check-in: Flagged — 签到未上传位置"]
    assert "Real call before booking" in panel.call.text() and "95 s" in panel.call.text()
    assert panel.checkin.text().endswith("No position\nDistance not measured (tolerance 500 m)")
    assert panel.code.text().startswith("Used\nissued") and "1 of 5 wrong tries" in \
        panel.code.text()
    assert panel.photos_summary.text() == "4 of 4 photos, 3 without a flag"
    serials = panel.serials.text().split("\n")
    assert serials[0] == "1 of 1 units with a serial number"
    assert serials[1].startswith('Unit 1: KFR35GW007 (typed "KFR-35GW-007"), by tech1 at ')
    assert serials[2:] == ["  replacing an earlier one: 第一次抄错",
                           serials[3]] and serials[3].startswith(
        "  earlier for unit 1: KFR35GW001, replaced by tech1 at ")
    assert panel.serials_box.isVisibleTo(panel)
    assert list(panel.tiles) == [20, 21, 22, 23]
    flagged_tile = panel.tiles[20]
    # The server's judgements in the console's language only (English: no catalogue here).
    assert "no capture time" in flagged_tile.caption.text() and NO_EXIF_EN in \
        flagged_tile.caption.text() and "照片缺少" not in flagged_tile.caption.text()
    assert "32 m from the address" in panel.tiles[21].caption.text()
    assert panel.flags.text() == NO_EXIF_EN
    await eventually(lambda: all(t.has_image() for t in panel.tiles.values()))
    desk.stop()


async def test_thumbnails_arrive_after_the_evidence_decoded_off_the_gui_thread(
        qtbot: QtBot, messages: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real_decode = presenting.decode

    def decode(data: bytes) -> QImage:
        threads.append(threading.current_thread())
        return real_decode(data)

    monkeypatch.setattr(presenting, "decode", decode)
    client = FakeReviewClient()
    client.gate = asyncio.Event()
    client.broken = {22}
    desk = _desk(qtbot, messages, client)
    shown: list[int] = []
    desk.presenter.evidenceShown.connect(shown.append)

    await eventually(lambda: shown == [2] and len(client.thumbnail_calls) == 4)
    panel = desk.view.evidence
    # The evidence is on screen while every thumbnail is still on its way.
    assert not any(t.has_image() for t in panel.tiles.values())
    assert panel.tiles[21].image.text() == "Loading…"
    client.gate.set()
    await eventually(lambda: not desk.presenter.loading())
    assert [t.has_image() for t in panel.tiles.values()] == [True, True, False, True]
    assert panel.tiles[22].image.text() == "Thumbnail unavailable"
    assert threads and all(t is not threading.main_thread() for t in threads)

    # Each photo is fetched once: back on this order, the thumbnails come from the cache.
    desk.view.select_order(1)
    await _shown(desk, 1)
    desk.view.select_order(2)
    await _shown(desk, 2)
    assert sorted(client.thumbnail_calls) == [10, 11, 12, 13, 20, 21, 22, 22, 23]
    desk.stop()


async def test_up_down_walk_the_queue_enter_goes_into_the_evidence_escape_back(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeReviewClient()
    opened: list[int] = []
    desk = _desk(qtbot, messages, client, opened)
    await _shown(desk, 2)
    view = desk.view
    view.focus_current()

    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    await _shown(desk, 1)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    await _shown(desk, 3)
    assert desk.view.evidence.photos_summary.text() == "0 of 4 photos, 0 without a flag"
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    await _shown(desk, 1)
    assert client.evidence_calls == [2, 1, 3, 1]

    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.evidence.hasFocus()
    qtbot.keyClick(view.evidence, Qt.Key.Key_Escape)
    assert view.table.hasFocus()

    view.open_button.click()
    assert opened == [1]
    desk.stop()


async def test_a_approves_a_ready_order_from_the_version_shown(qtbot: QtBot,
                                                                messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    desk.view.select_order(1)
    await _shown(desk, 1)
    desk.view.focus_current()
    refreshes = desk.presenter.refreshes

    qtbot.keyClick(desk.view.table, Qt.Key.Key_A)

    await eventually(lambda: client.decisions and not desk.presenter.acting()
                     and desk.presenter.refreshes > refreshes)
    [(order_id, decision)] = client.decisions
    assert (order_id, decision.approve, decision.version, decision.reason) == (
        1, True, 9, "Evidence checked")
    assert messages.shown[-1] == ("info", "Order LM00000001 verified.")
    assert desk.presenter.model.row_of(1) is None
    await eventually(lambda: desk.view.current_order() in (2, 3))
    desk.stop()


async def test_approving_what_is_not_ready_asks_why(qtbot: QtBot, messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    seen = _answering(desk, [lambda d: d.reject(), _because("客户电话确认已安装")])
    desk.view.focus_current()

    qtbot.keyClick(desk.view.table, Qt.Key.Key_A)  # cancelled: nothing sent
    await eventually(lambda: seen and not desk.presenter.acting())
    assert client.decisions == []
    assert seen[0]["title"] == "Approve despite open items" and seen[0]["approve"] is True
    assert "Check-in, Photos" in seen[0]["prompt"]

    desk.view.approve_button.click()  # the mouse does the same
    await eventually(lambda: client.decisions and not desk.presenter.acting())
    assert [(o, d.approve, d.reason) for o, d in client.decisions] == [
        (2, True, "客户电话确认已安装")]
    desk.stop()


async def test_r_rejects_with_a_reason_the_order_frozen_with_its_fee(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    seen = _answering(desk, [_because("签到无定位，照片无拍摄信息")])
    desk.view.focus_current()

    qtbot.keyClick(desk.view.table, Qt.Key.Key_R)

    await eventually(lambda: client.decisions and not desk.presenter.acting())
    assert seen[0]["title"] == "Reject verification" and seen[0]["approve"] is False
    assert "frozen, and its fee with it" in seen[0]["prompt"]
    [(order_id, decision)] = client.decisions
    assert (order_id, decision.approve, decision.reason) == (2, False, "签到无定位，照片无拍摄信息")
    assert messages.shown[-1] == ("info", "Order LM00000002 rejected: frozen with its fee.")
    desk.stop()


async def test_keys_do_nothing_until_the_evidence_is_shown_or_while_a_decision_is_sent(
        qtbot: QtBot, messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    view = desk.view
    asked: list[int] = []
    view.approveRequested.connect(asked.append)
    view.rejectRequested.connect(asked.append)
    view.clear_evidence()  # as while another order's evidence loads
    assert not view.approve_button.isEnabled() and not view.reject_button.isEnabled()
    view.focus_current()
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert asked == []

    view.show_evidence(evidence(client.rows[0]))
    view.set_busy(True)
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    assert asked == [] and not view.reject_button.isEnabled()
    view.set_busy(False)
    assert view.reject_button.isEnabled()
    desk.presenter.on_open = lambda dialog: dialog.reject()
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    assert asked == [2]
    await eventually(lambda: not desk.presenter.acting())
    assert client.decisions == []
    desk.stop()


async def test_a_stale_decision_says_so_and_refreshes(qtbot: QtBot, messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    desk.view.select_order(1)
    await _shown(desk, 1)
    # Someone else changed order 1 after its evidence was read.
    client.rows[1] = client.rows[1].model_copy(update={"version": 10})
    refreshes = desk.presenter.refreshes

    assert await desk.presenter.approve(1) is False

    assert client.decisions[0][1].version == 9
    level, text = messages.shown[-1]
    assert level == "warning" and "changed or decided by someone else" in text
    desk.presenter.refresh(force=True)
    await eventually(lambda: desk.presenter.refreshes > refreshes)
    # The row's new version differs from the evidence shown: the evidence is read again.
    await eventually(lambda: client.evidence_calls[-1] == 1 and len(client.evidence_calls) == 3)
    await _shown(desk, 1)
    assert desk.view.evidence.evidence is not None
    assert desk.view.evidence.evidence.order.version == 10
    desk.stop()


async def test_polling_reloads_the_evidence_when_a_photo_arrives(qtbot: QtBot,
                                                                messages: Messages) -> None:
    client = FakeReviewClient()
    desk = _desk(qtbot, messages, client)
    await _shown(desk, 2)
    desk.view.select_order(3)
    await _shown(desk, 3)
    calls = len(client.evidence_calls)
    refreshes = desk.presenter.refreshes

    desk.presenter.refresh(force=True)  # nothing new: the evidence stays as read
    await eventually(lambda: desk.presenter.refreshes > refreshes)
    assert len(client.evidence_calls) == calls

    # A photo arrives; the order's version does not move.
    client.rows[2] = client.rows[2].model_copy(update={"photos": 1})
    desk.presenter.refresh(force=True)
    await eventually(lambda: len(client.evidence_calls) == calls + 1)
    await _shown(desk, 3)
    assert list(desk.view.evidence.tiles) == [30]
    desk.stop()


@pytest.mark.parametrize(("role", "has_review"), [
    ("agent", True), ("supervisor", True), ("admin", True), ("finance", False)])
def test_desk_roles_that_review_get_the_dock_beside_the_queue(
        qtbot: QtBot, settings_factory: Callable[[], QSettings], role: str,
        has_review: bool) -> None:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 4)})
    workspace = Workspace(role, FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    desk = workspace.docks.review
    assert (desk is not None) is has_review
    if desk is not None:
        assert desk in workspace.docks.all()
        assert desk.dock in workspace.window.tabifiedDockWidgets(workspace.window.queue_dock)
    workspace.close()
