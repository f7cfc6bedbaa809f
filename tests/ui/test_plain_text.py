"""Text from the server is shown as written and never acted on: labels are plain text (a
customer named "<img src=x><b>x</b>" shows those characters), bidi overrides and ANSI escapes
in reasons, names and the timeline show inert, in labels, table cells and tooltips alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from ui_fakes import FakeStore, make_candidates, make_detail, make_row

from console.models.dispatch.candidates import WHY as CANDIDATE_WHY
from console.models.dispatch.candidates import CandidateModel
from console.models.orders import QueueModel
from console.models.orders.rows import Column
from console.models.policies.log import REASON, PolicyLogModel
from core.contracts.dispatch import PolicyLogEntry
from core.contracts.orders import TimelineEntry
from core.orders.lifecycle import OrderState
from ui.orders.action_dialogs import ReasonDialog
from ui.orders.detail_panel import DetailPanel
from ui.plain_text import PlainLabel, message_box, shown, tooltip

REPO = Path(__file__).resolve().parents[2]
RICH = "<img src=x><b>x</b>"
BIDI = "退款\u202e000,1¥\u202c"  # would show as "退款¥1,000" reordered
ANSI = "\x1b[31m紧急\x1b[0m"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_plain_label_shows_markup_literally(qtbot: QtBot) -> None:
    label = PlainLabel(RICH)
    qtbot.addWidget(label)

    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == RICH


def test_a_plain_label_shows_bidi_and_ansi_inert(qtbot: QtBot) -> None:
    label = PlainLabel()
    qtbot.addWidget(label)

    label.setText(f"{BIDI} {ANSI}\n第二行")

    assert label.text() == "退款\ufffd000,1¥\ufffd ␛[31m紧急␛[0m\n第二行"


def test_the_detail_panel_shows_a_customer_name_of_markup_as_written(qtbot: QtBot) -> None:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    detail = make_detail(7).model_copy(update={"customer_name": RICH, "address": f"{BIDI}路"})

    panel.show_order(detail)

    customer = panel.fields["customer"]
    assert customer.textFormat() == Qt.TextFormat.PlainText and customer.text() == RICH
    assert "\u202e" not in panel.fields["address"].text()
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in panel.findChildren(QLabel))


def test_the_timeline_shows_reasons_and_actors_inert(qtbot: QtBot) -> None:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    entry = TimelineEntry(seq=4, kind="action", from_state=OrderState.DISPATCHING,
                          to_state=OrderState.FROZEN, actor=f"agent{ANSI}", actor_role="agent",
                          reason=f"{BIDI}\n{RICH}", at=T0, version=4, data={})
    detail = make_detail(7)
    detail = detail.model_copy(update={"timeline": [*detail.timeline, entry]})

    panel.show_order(detail)

    row = panel.timeline_table.rowCount() - 1
    reason = panel.timeline_table.item(row, 3)
    actor = panel.timeline_table.item(row, 1)
    assert reason is not None and actor is not None
    assert reason.text() == f"退款\ufffd000,1¥\ufffd⏎{RICH}"
    assert actor.text().startswith("agent␛[31m紧急␛[0m")


def test_queue_cells_show_names_inert(qtbot: QtBot) -> None:
    store = FakeStore()
    model = QueueModel(store, clock=lambda: T0)
    store.emit("reset", [make_row(1, customer_name=BIDI), make_row(2, customer_name=RICH)])

    names = {model.index(r, Column.CUSTOMER).data() for r in range(model.rowCount())}

    assert names == {"退款\ufffd000,1¥\ufffd", RICH}


def test_log_reasons_show_inert_and_their_tooltips_literally(qtbot: QtBot) -> None:
    model = PolicyLogModel()
    model.set_rows([PolicyLogEntry(id=1, scope="", at=T0, actor="sup", reason=f"{RICH}{ANSI}",
                                   before={}, after={"accept_minutes": 15})])

    cell = model.index(0, REASON)

    assert cell.data() == f"{RICH}␛[31m紧急␛[0m"
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img" in tip and "&lt;b&gt;x&lt;/b&gt;" in tip


def test_candidate_tooltips_quote_reasons_literally(qtbot: QtBot) -> None:
    candidates = make_candidates()
    candidates[0] = candidates[0].model_copy(update={"reasons": [RICH]})
    model = CandidateModel(candidates)

    tip = model.index(0, CANDIDATE_WHY).data(Qt.ItemDataRole.ToolTipRole)

    assert "&lt;b&gt;x&lt;/b&gt;" in tip and "<b>" not in tip


def test_ordinary_text_is_shown_unchanged() -> None:
    text = "王小明😀 北京市朝阳区建国路88号（东门）·3单元#1201"

    assert shown(text) == text and tooltip(text) == text


def test_message_boxes_quote_server_text_plainly(qtbot: QtBot) -> None:
    box = message_box(QMessageBox.Icon.Warning, "派单", f"{RICH}{ANSI}",
                      QMessageBox.StandardButton.Ok, None)
    qtbot.addWidget(box)

    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"{RICH}␛[31m紧急␛[0m"


@pytest.mark.parametrize(("typed", "ok"), [("\u200b\u200b", False), ("\u3000 ", False),
                                          ("客户出差 ✈", True)])
def test_a_reason_dialog_takes_only_a_reason_that_says_something(
        qtbot: QtBot, typed: str, ok: bool) -> None:
    dialog = ReasonDialog("冻结", "为什么冻结？")
    qtbot.addWidget(dialog)

    dialog.reason_edit.setPlainText(typed)

    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled() is ok


def _sources() -> list[Path]:
    return sorted(p for folder in ("ui", "console") for p in (REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("pattern", [r"\bQLabel\(", r"\bQMessageBox\(",
                                     r"QMessageBox\.(question|warning|critical|information)\("])
def test_every_label_and_message_box_is_made_plain(pattern: str) -> None:
    """The console makes labels and message boxes only through ui.plain_text."""
    offenders = [str(p.relative_to(REPO)) for p in _sources()
                 if p.name != "plain_text.py" and re.search(pattern, p.read_text("utf-8"))]

    assert offenders == []
