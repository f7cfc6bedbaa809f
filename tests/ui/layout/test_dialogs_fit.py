"""Every dialog, opened over a 1366×768 (and a 1920×1080) main window with the longest texts the
console gives it, shows its texts whole and fits the screen (issue 13 item 6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fit_check import LARGE, SMALL, misfits, room
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from ui_fakes import make_candidates

from console.models.dispatch.candidates import CandidateModel
from ui import labels
from ui.dispatch.assign_dialog import AssignDialog
from ui.fieldwork.followup_dialogs import ProblemDialog, RulingDialog, UnreachableDialog
from ui.fieldwork.review import DecisionDialog
from ui.fieldwork.risk import ReviewDialog
from ui.intake import labels as intake_labels
from ui.intake.import_dialog import ImportDialog
from ui.intake.payload import RetryDialog
from ui.intake.policy import BlacklistEntryDialog, PolicyDialog, PolicyValues
from ui.orders.action_dialogs import (
    AppointmentDialog,
    ChoiceDialog,
    CodedReasonDialog,
    MarkDialog,
    ReasonDialog,
)
from ui.sla.urges import UrgeTextDialog
from ui.technicians.dialog import TechnicianDialog, TechnicianSettings

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ORDER = "TM-20260302-000123"
WHY = f"Order {ORDER}: why? The reason is kept in the order's timeline."
PAYLOAD = '{"order_id": "TM-1", "receiver": {"name": "张伟", "address": ""}, ' + \
    '"items": [' + ", ".join(f'{{"sku": "AC-{i}", "qty": 1}}' for i in range(40)) + "]}"
Build = Callable[[QWidget], QDialog]


def _options(named: dict[str, str]) -> list[tuple[str, str]]:
    return list(named.items())


DIALOGS: dict[str, Build] = {
    "reason": lambda p: ReasonDialog("Cancel", WHY, p),
    "refuse": lambda p: CodedReasonDialog("Refuse", WHY, "Refusal reason",
                                          _options(labels.refusal_code_labels()), parent=p),
    "cannot complete": lambda p: CodedReasonDialog(
        "Cannot complete", WHY, "Why it cannot be done",
        _options(labels.cannot_complete_labels()), parent=p),
    "mark": lambda p: MarkDialog("Mark", WHY, _options(labels.tag_labels()), ["vip"], 8000, p),
    "appointment": lambda p: AppointmentDialog(NOW, p),
    "place": lambda p: ChoiceDialog(
        "Place", "Which county is 北京市朝阳区建国路88号SOHO现代城A座1808室 in?",
        [(str(110101 + i), f"县区{i} · {110101 + i}") for i in range(3000)], "", p),
    "classify": lambda p: ChoiceDialog("Classify", f"What kind of visit does order {ORDER} need?",
                                       _options(labels.service_type_labels()), "", p),
    "assign": lambda p: AssignDialog(CandidateModel(make_candidates()),
                                     f"{ORDER} · 朝阳区 · 张伟", p),
    "technician": lambda p: TechnicianDialog(
        "王建国", TechnicianSettings(6, ["aircon", "washer", "fridge"], ["electrician"], True),
        history=[f"2026-03-0{d} 09:00 supervisor: capacity 5 → 6, skills + fridge"
                 for d in range(1, 8)], parent=p),
    "intake policy": lambda p: PolicyDialog(
        "Client policy", "How orders of 天猫旗舰店 are taken in. The reason is kept in the log "
        "of changes.", _options(intake_labels.audit_mode_labels()),
        _options(intake_labels.coverage_mode_labels()),
        PolicyValues("auto_pass", "covered_only", 30, 3), p),
    "blacklist": lambda p: BlacklistEntryDialog(
        "Add to the blacklist", "Orders from this phone or address go to the review queue. "
        "Why is it added?", p, refused="phone: not a mainland mobile number"),
    "import": lambda p: ImportDialog(p),
    "retry": lambda p: RetryDialog(
        "Fix and retry", "Tmall TM-20260302-000123 could not be converted: "
        "receiver_address: 地址为空 (the address is empty)", PAYLOAD, "receiver_address", p),
    "urge": lambda p: UrgeTextDialog("Urge", f"Urge order {ORDER}: what should the technician "
                                     "hear? The urge is kept in the order's timeline.", p),
    "problem": lambda p: ProblemDialog(ORDER, p),
    "unreachable": lambda p: UnreachableDialog(ORDER, NOW, NOW + timedelta(hours=2),
                                               NOW + timedelta(days=7), p),
    "uphold": lambda p: RulingDialog(ORDER, True, p),
    "dismiss": lambda p: RulingDialog(ORDER, False, p),
    "approve despite": lambda p: DecisionDialog(
        ORDER, True, "door photo, serial number, customer signature", p),
    "reject review": lambda p: DecisionDialog(ORDER, False, parent=p),
    "risk review": lambda p: ReviewDialog("王建国", True, p),
}


@pytest.fixture(scope="module")
def main_window(qapp: object) -> Iterator[QMainWindow]:
    """One console-sized main window the dialogs open over (as their parent)."""
    window = QMainWindow()
    yield window
    window.close()
    window.deleteLater()


@pytest.mark.parametrize("screen", [SMALL, LARGE], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("name", list(DIALOGS))
def test_the_dialog_shows_its_texts_whole_and_fits_the_screen(
    qtbot: QtBot, main_window: QMainWindow, name: str, screen: QSize
) -> None:
    main_window.resize(room(screen))
    main_window.show()
    dialog = DIALOGS[name](main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert misfits(dialog, screen) == []
