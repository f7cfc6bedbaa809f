"""The follow-up dock (回访) and the complaints dock (投诉) against a real backend on a seeded
demo database: the agent's due calls, U moving one out of "due", a stale outcome refused by the
server and refreshed, P opening a complaint and an after-sales order, the supervisor upholding
it with U; finance and technicians are refused the worklist by the server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from e2e_support import Backend, free_port
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.waiting import eventually

from console.client import LastmileClient
from console.errors import ApiError
from console.presenters.messages import MessageRoute
from console.windows.followups import ComplaintDesk, FollowupDesk
from core.contracts.fieldwork.followups import FollowupOutcomeIn
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.storage.db import make_engine, migrate
from core.storage.tables import UserRecord
from ui.fieldwork.followup_dialogs import ProblemDialog, RulingDialog, UnreachableDialog


class Messages(MessageRoute):
    """A message route that remembers what it showed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []
        self.message.connect(lambda level, text: self.shown.append((level, text)))


@pytest.fixture
def messages() -> Messages:
    return Messages()


# Enough history for orders waiting in review with sampled calls (two at this seed).
DEMO_ORDERS = 40


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'lastmile.db'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        seed_demo(engine, build(seed=7, orders=DEMO_ORDERS))
        with Session(engine) as session:
            technician = session.scalar(select(UserRecord.username).where(
                UserRecord.technician_id.is_not(None)))
        assert technician is not None
        (tmp_path / "technician").write_text(technician)
    finally:
        engine.dispose()
    yield url


@pytest.fixture
async def backend(database_url: str, tmp_path: Path) -> AsyncIterator[Backend]:
    server = Backend(database_url, free_port(), tmp_path / "backend.log")
    await server.start()
    try:
        yield server
    finally:
        server.kill()


async def _signed_in(backend: Backend, username: str) -> LastmileClient:
    client = LastmileClient(backend.url)
    await client.login(username, "demo")
    return client


def _window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


async def _keyboard_back(view: object) -> None:
    """Offscreen nothing gives the window its focus back when a form closes."""
    window = view.window()  # type: ignore[attr-defined]
    window.activateWindow()
    await eventually(lambda: QApplication.activeWindow() is window)
    view.focus_current()  # type: ignore[attr-defined]


async def test_an_agent_works_the_calls_and_a_supervisor_rules_the_complaint(
        backend: Backend, qtbot: QtBot, messages: Messages, tmp_path: Path) -> None:
    agent = await _signed_in(backend, "agent")
    other = await _signed_in(backend, "supervisor")
    opened: list[int] = []
    desk = FollowupDesk(agent, messages, _window(qtbot), opened.append)
    desk.show_desk()
    presenter, view = desk.presenter, desk.view
    try:
        await eventually(lambda: presenter.refreshes > 0 and presenter.model.rowCount() == 2,
                         timeout=10)
        first, second = presenter.model.rows()
        assert desk.dock.windowTitle() == "Follow-up calls (2)"
        assert first.due and first.customer_phone and first.script
        await eventually(lambda: view.panel.row is not None
                         and view.panel.row.followup_id == first.followup_id)
        view.focus_current()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        assert opened == [first.order_id]

        # U: nobody answers; the default next try is accepted and the call leaves "due".
        def later(dialog: QDialog) -> None:
            assert isinstance(dialog, UnreachableDialog)
            dialog.note_edit.setText("无人接听")
            dialog.accept()

        presenter.on_open = later
        qtbot.keyClick(view.table, Qt.Key.Key_U)
        await eventually(lambda: presenter.model.row_of(first.followup_id) is None
                         and not presenter.acting(), timeout=10)
        assert messages.shown[-1][1].startswith(f"Order {first.order_no}: unreachable; next")
        assert presenter.due() == 1

        # Someone else reaches the second customer first: the agent's 4 is stale.
        await other.record_followup(second.followup_id, FollowupOutcomeIn(
            version=second.version, outcome="satisfied", rating=5))
        await eventually(lambda: view.panel.row is not None
                         and view.panel.row.followup_id == second.followup_id)
        await _keyboard_back(view)
        qtbot.keyClick(view.table, Qt.Key.Key_4)
        await eventually(lambda: any(level == "warning" for level, _ in messages.shown)
                         and not presenter.acting() and presenter.model.rowCount() == 0,
                         timeout=10)
        warning = next(text for level, text in messages.shown if level == "warning")
        assert "changed or recorded by someone else" in warning
        assert desk.dock.windowTitle() == "Follow-up calls"

        # Every open call: the unreachable one is back; P opens a complaint.
        view.scope_combo.setCurrentIndex(view.scope_combo.findData("open"))
        await eventually(lambda: presenter.model.row_of(first.followup_id) is not None
                         and view.panel.row is not None, timeout=10)

        def problem(dialog: QDialog) -> None:
            assert isinstance(dialog, ProblemDialog)
            dialog.set_complaint_type("quality")
            dialog.reason_edit.setPlainText("空调漏水，师傅装歪了")
            dialog.accept()

        presenter.on_open = problem
        await _keyboard_back(view)
        qtbot.keyClick(view.table, Qt.Key.Key_P)
        await eventually(lambda: presenter.model.rowCount() == 0 and not presenter.acting(),
                         timeout=10)
        assert "after-sales order" in messages.shown[-1][1]
    finally:
        desk.stop()
        await agent.aclose()
        await other.aclose()

    supervisor = await _signed_in(backend, "supervisor")
    court = ComplaintDesk(supervisor, messages, _window(qtbot), opened.append)
    court.show_desk()
    try:
        await eventually(lambda: court.view.shown is not None, timeout=10)
        shown = court.view.shown
        assert shown is not None and shown.order_id == first.order_id
        assert shown.complaint_type == "quality" and shown.after_sales_order_no
        assert court.dock.windowTitle() == "Complaints (1)"

        def uphold(dialog: QDialog) -> None:
            assert isinstance(dialog, RulingDialog) and dialog.uphold
            dialog.reason_edit.setPlainText("录音核实，确有漏水")
            dialog.accept()

        court.presenter.on_open = uphold
        court.view.focus_current()
        qtbot.keyClick(court.view.table, Qt.Key.Key_U)
        await eventually(lambda: court.presenter.model.rowCount() == 0
                         and not court.presenter.acting(), timeout=10)
        assert messages.shown[-1] == ("info", f"Complaint about order {shown.order_no} upheld.")
        review = await supervisor.order_review(first.order_id)
        assert [c.status for c in review.complaints] == ["upheld"]
    finally:
        court.stop()
        await supervisor.aclose()


async def test_finance_and_technicians_are_refused_the_worklist(
        backend: Backend, tmp_path: Path) -> None:
    # Both roles against one backend: each start costs a process and a 40-order seed.
    refusals = {}
    for username in ("finance", (tmp_path / "technician").read_text()):
        client = await _signed_in(backend, username)
        try:
            with pytest.raises(ApiError) as refused:
                await client.followup_worklist()
        finally:
            await client.aclose()
        refusals[username] = refused.value.status
    assert list(refusals.values()) == [403, 403], refusals
