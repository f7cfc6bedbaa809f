"""The Intake widgets on their own: payload viewer, retry and import dialogs, keyboard use."""

from __future__ import annotations

from pathlib import Path

import pytest
from intake_fakes import BROKEN, make_message, make_review, pretty
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontInfo
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from console.models.intake.messages import MessageModel
from console.models.intake.reviews import ReviewModel
from ui.intake.import_dialog import ImportDialog
from ui.intake.payload import PayloadViewer, RetryDialog, field_leaf, pretty_payload
from ui.intake.view import IntakeView


@pytest.mark.parametrize(
    ("text", "shown", "is_json"),
    [('{"a":{"b":"朝阳区"}}', '{\n  "a": {\n    "b": "朝阳区"\n  }\n}', True),
     ("tid,phone\n1,138", "tid,phone\n1,138", False),
     ('{"a": broken', '{"a": broken', False)],
)
def test_payloads_are_pretty_printed_only_when_they_are_json(
    text: str, shown: str, is_json: bool
) -> None:
    assert pretty_payload(text) == (shown, is_json)


def test_the_viewer_is_monospace_read_only_and_marks_the_field(qtbot: QtBot) -> None:
    viewer = PayloadViewer()
    qtbot.addWidget(viewer)
    viewer.show_payload(BROKEN, "trade.receiver_address")
    assert viewer.toPlainText() == pretty(BROKEN)
    assert viewer.isReadOnly()
    assert QFontInfo(viewer.font()).fixedPitch()
    marks = viewer.extraSelections()
    assert [m.cursor.selectedText() for m in marks] == ['"receiver_address"']
    assert field_leaf("trade.orders[0].receiver_phone") == "receiver_phone"


def test_retry_sends_nothing_new_when_unchanged_and_the_edit_when_changed(qtbot: QtBot) -> None:
    dialog = RetryDialog("Fix and retry", "地址为空", BROKEN, "receiver_address")
    qtbot.addWidget(dialog)
    assert dialog.payload() is None
    assert dialog.hint.text().startswith("Unchanged")
    fixed = pretty(BROKEN).replace('"receiver_address": ""', '"receiver_address": "建国路88号"')
    dialog.set_payload(fixed)
    assert dialog.payload() == fixed
    dialog.set_payload('{"tid": ')
    assert "no longer valid JSON" in dialog.hint.text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and ok.text() == "Retry"  # a half-done fix is the agent's call
    dialog.set_payload("  ")
    assert not ok.isEnabled()


def drag_events(path: Path) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), action, mime, buttons, modifiers)
    drop = QDropEvent(QPoint(10, 10), action, mime, buttons, modifiers)
    return enter, drop, mime


def test_a_file_dropped_on_the_import_dialog_is_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    file = tmp_path / "订单.csv"
    file.write_text("tid\n1\n", encoding="utf-8")
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    enter, drop, _mime = drag_events(file)
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(dialog.fileChosen) as chosen:
        dialog.dropEvent(drop)
    assert chosen.args == [str(file)]
    assert dialog.path() == str(file)
    gone, _drop, _ = drag_events(tmp_path / "missing.csv")
    dialog.dragEnterEvent(gone)
    assert not gone.isAccepted()


def test_import_needs_an_importable_preview_and_enter_alone_does_not_import(
    qtbot: QtBot,
) -> None:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.set_platforms([("tmall", "天猫"), ("erp", "品牌 ERP")], current="erp")
    assert dialog.platform() == "erp"
    assert not dialog.import_button.isEnabled()
    dialog.show()
    dialog.preview_table.setFocus()
    with qtbot.assertNotEmitted(dialog.importRequested):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog.show_preview("2 can be imported, 1 with problems", importable=True)
    with qtbot.assertNotEmitted(dialog.importRequested):
        qtbot.keyClick(dialog.preview_table, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.importRequested):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog.show_problem("Cannot read x.csv")
    assert not dialog.import_button.isEnabled()


@pytest.fixture
def view(qtbot: QtBot) -> IntakeView:
    widget = IntakeView()
    qtbot.addWidget(widget)
    reviews, messages = ReviewModel(widget), MessageModel(widget)
    reviews.set_rows([make_review(1), make_review(2)])
    messages.set_rows([make_message(7)])
    widget.set_models(ReviewModel(widget), ReviewModel(widget), reviews, messages)
    widget.show()
    return widget


def test_review_keys_enter_opens_delete_rejects(qtbot: QtBot, view: IntakeView) -> None:
    assert not view.approve_button.isEnabled()
    view.review_table.setFocus()
    assert view.review_table.select_key(2)
    assert view.approve_button.isEnabled() and view.reject_button.isEnabled()
    with qtbot.waitSignal(view.reviewOpened) as opened:
        qtbot.keyClick(view.review_table, Qt.Key.Key_Return)
    assert opened.args == [2]
    with qtbot.waitSignal(view.rejectRequested) as rejected:
        qtbot.keyClick(view.review_table, Qt.Key.Key_Delete)
    assert rejected.args == [2]
    with qtbot.waitSignal(view.approveRequested) as approved:
        view.approve_button.click()
    assert approved.args == [2]


def test_problem_keys_enter_retries_delete_discards(qtbot: QtBot, view: IntakeView) -> None:
    view.tabs.setCurrentIndex(2)
    view.focus_current()
    assert view.message_table.select_key(7)
    view.show_message(BROKEN, "地址为空", "receiver_address")
    assert view.retry_button.isEnabled()
    with qtbot.waitSignal(view.retryRequested) as retried:
        qtbot.keyClick(view.message_table, Qt.Key.Key_Enter)
    assert retried.args == [7]
    with qtbot.waitSignal(view.discardRequested) as discarded:
        qtbot.keyClick(view.message_table, Qt.Key.Key_Delete)
    assert discarded.args == [7]
    view.show_message(BROKEN, "", resolvable=False)  # a message already dealt with
    assert not view.retry_button.isEnabled() and not view.discard_button.isEnabled()


def test_a_refresh_keeps_the_selected_row_even_when_it_moves(qtbot: QtBot,
                                                             view: IntakeView) -> None:
    reviews = view.review_table.model()
    assert isinstance(reviews, ReviewModel)
    view.review_table.select_key(2)
    with qtbot.assertNotEmitted(view.reviewSelected):
        reviews.set_rows([make_review(3), make_review(2), make_review(1)])
    assert view.review_table.currentIndex().row() == 1
    with qtbot.waitSignal(view.reviewSelected) as gone:
        reviews.set_rows([make_review(3), make_review(1)])  # 2 was decided: on to the next
    assert gone.args == [1]
    with qtbot.waitSignal(view.reviewSelected) as empty:
        reviews.set_rows([])
    assert empty.args == [None]
    assert not view.approve_button.isEnabled()
    view.set_counts(1, 4)
    assert [view.tabs.tabText(i) for i in range(3)] == [
        "Arrivals", "Review queue (1)", "Problems (4)"]


def test_columns_fit_their_first_rows_once_and_then_keep_the_users_widths(
        qtbot: QtBot) -> None:
    widget = IntakeView()
    qtbot.addWidget(widget)
    reviews = ReviewModel(widget)
    widget.set_models(ReviewModel(widget), ReviewModel(widget), reviews, MessageModel(widget))
    widget.show()
    table = widget.review_table
    empty_width = table.columnWidth(0)

    reviews.set_rows([make_review(1), make_review(2)])

    assert table.columnWidth(0) >= table.sizeHintForColumn(0) > 0
    assert table.columnWidth(0) != empty_width or empty_width >= table.sizeHintForColumn(0)
    dragged = table.columnWidth(0) + 37  # the agent widens it
    table.setColumnWidth(0, dragged)
    reviews.set_rows([make_review(3)])
    assert table.columnWidth(0) == dragged
