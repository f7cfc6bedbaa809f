"""The time limits editor's wider settings offscreen: a step's start/stop/pause/resume events
by their Chinese names and the platform's limit beside ours, a region's working hours and
suspensions (an overlap refused by the backend, naming the field), the region tree, the change
log, and a layout that fits 1366×768."""

from __future__ import annotations

from limits_support import Editor
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDateTimeEdit, QLineEdit
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from ui.sla.limits import REGION_ROLE


def _toggle(editor: Editor, condition: str, event: str) -> None:
    picker = editor.view.step_form.events[condition]
    menu = picker.menu()
    assert menu is not None
    (action,) = [a for a in menu.actions() if a.data() == event]
    action.trigger()


async def _save(editor: Editor, messages: Messages, reason: str, *, scope: bool = False
                ) -> None:
    editor.answers.append(reason)
    puts, shown = len(editor.client.puts), len(messages.shown)
    (editor.view.scope_form.save if scope else editor.view.save).click()
    await eventually(lambda: (editor.saves > 0 and editor.loads > 1)
                     or (len(messages.shown) > shown and len(editor.client.puts) > puts))


async def test_the_conditions_show_by_name_and_a_changed_one_is_saved_alone(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")
    editor.presenter.choose(1)  # first contact
    form = editor.view.step_form
    assert form.events["start"].text().startswith("客户签收货物")
    assert form.events["stop"].chosen() == ["contact_attempt", "appoint"]

    _toggle(editor, "stop", "appoint")
    await _save(editor, messages, "只以首次联系为准")

    assert editor.saves == 1, messages.shown
    entry = editor.client.puts[-1][1].body["steps"]["first_contact"]["any"]
    assert entry["stop"] == ["contact_attempt"] and "start" not in entry
    assert "platform" not in entry  # untouched: still inherited


async def test_a_pause_without_its_resume_is_refused_naming_the_field(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")
    editor.presenter.choose(2)  # appointment: no pause by default
    _toggle(editor, "pause", "customer_postpone")

    await _save(editor, messages, "客户改期时暂停")

    assert editor.saves == 0
    assert any("steps.appointment.any.resume" in text for _, text in messages.shown)


async def test_the_platforms_limit_is_edited_beside_ours(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105", "install")
    form = editor.view.step_form
    assert form.has_platform.isChecked() and "6 小时" in form.platform_rule.text()

    form.platform_due.minutes.setValue(240)
    form.platform_clock.setCurrentIndex(1)
    form.platform_rule.setText("京东：4 小时内回传")
    await _save(editor, messages, "京东的回传时限")

    entry = editor.client.puts[-1][1].body["steps"]["accept"]["install"]
    assert entry["platform"] == {"due": {"minutes": 240}, "clock": "business",
                                 "rule": "京东：4 小时内回传"}
    await eventually(lambda: editor.cell(0, 4) == "4 h")


async def test_working_hours_and_a_suspension_are_saved_for_the_region(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")
    scope = editor.view.scope_form
    assert not scope.own_hours.isChecked() and not scope.day_start.isEnabled()

    scope.own_hours.setChecked(True)
    scope.day_start.setTime(QTime(8, 30))
    scope.day_end.setTime(QTime(17, 30))
    scope.own_suspensions.setChecked(True)
    scope.add.click()
    name = scope.suspensions.cellWidget(0, 0)
    assert isinstance(name, QLineEdit)
    name.setText("春节停工")
    await _save(editor, messages, "朝阳区春节停工", scope=True)

    assert editor.saves == 1, messages.shown
    body = editor.client.puts[-1][1].body
    assert body["working_day"] == {"start": "08:30", "end": "17:30", "zone": "Asia/Shanghai"}
    assert body["suspensions"] == [{"name": "春节停工", "start": "2026-03-03T00:00:00+08:00",
                                    "end": "2026-03-04T00:00:00+08:00"}]
    assert "steps" not in body


async def test_overlapping_suspensions_are_refused_naming_the_field(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")
    scope = editor.view.scope_form
    scope.own_suspensions.setChecked(True)
    scope.add.click()
    scope.add.click()
    for row, word in ((0, "春节"), (1, "元宵")):
        name = scope.suspensions.cellWidget(row, 0)
        assert isinstance(name, QLineEdit)
        name.setText(word)
    end = scope.suspensions.cellWidget(1, 2)
    assert isinstance(end, QDateTimeEdit)
    end.setDateTime(end.dateTime().addDays(2))

    await _save(editor, messages, "两段停工", scope=True)

    assert editor.saves == 0
    # The field named, the reason in the console's language (English: no catalogue installed).
    assert any("suspensions.1.start" in text and "overlaps" in text and "重叠" not in text
               for _, text in messages.shown)


async def test_a_county_is_picked_in_the_region_tree(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "default")
    model = editor.view.tree.model()
    assert model.index(0, 0).data() and model.index(0, 0).data(REGION_ROLE) == ""
    (found,) = model.match(model.index(1, 0), REGION_ROLE, "110105", 1,
                           Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)

    before = editor.loads
    editor.view.tree.clicked.emit(found)
    await eventually(lambda: editor.loads > before)

    assert editor.presenter.region == "110105" and editor.view.region_edit.text() == "110105"


async def test_a_save_shows_in_the_change_log(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105", "install")
    editor.view.minutes.setValue(40)

    await _save(editor, messages, "加快接单")
    await eventually(lambda: editor.presenter.log_model.rowCount() == 1)

    row = [editor.presenter.log_model.index(0, c).data() for c in range(5)]
    assert row[1:4] == ["supervisor", "朝阳区", "加快接单"]
    assert row[4] == "steps.accept.install"


async def test_the_editor_fits_a_1366_by_768_screen(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")

    hint = editor.view.minimumSizeHint()

    # Beside the queue on a 1366-pixel screen, under the title, menu and status bars.
    assert hint.width() <= 760 and hint.height() <= 600, hint


async def test_remove_takes_the_selected_suspension(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")
    scope = editor.view.scope_form
    scope.own_suspensions.setChecked(True)
    for _ in range(3):
        scope.add.click()
    for row, word in enumerate(("一", "二", "三")):
        name = scope.suspensions.cellWidget(row, 0)
        assert isinstance(name, QLineEdit)
        name.setText(word)

    scope.suspensions.selectRow(1)
    scope.remove.click()

    assert [name for name, _, _ in scope.suspension_rows()] == ["一", "三"]
