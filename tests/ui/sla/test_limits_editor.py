"""The SLA time limits editor (时限) offscreen: a region's steps with the platform's limit beside
ours and where each comes from, a step saved for the scope and service type with a reason, a
stale save loaded again, and readers who cannot edit."""

from __future__ import annotations

from limits_support import Editor
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages


async def test_a_county_shows_its_steps_with_the_platforms_limit_and_the_source(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)

    await editor.load(qtbot, "110105", "install")

    assert editor.presenter.model.rowCount() == 7
    assert [editor.cell(0, c) for c in range(6)] == [
        "接单", "45 min", "natural", "50%/75%", "6 h", "北京市"]
    assert editor.cell(1, 4) == "24 h" and editor.cell(1, 5) == "built in"
    assert editor.cell(4, 1) == "agreed day 23:59:59"
    assert editor.view.source.text() == "北京市"
    assert editor.view.minutes.value() == 45 and editor.view.save.isEnabled()


async def test_a_step_is_saved_for_the_scope_and_type_with_a_reason(
        qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105", "install")
    qtbot.keyClick(editor.view.table, Qt.Key.Key_Down)  # first contact
    editor.view.minutes.setValue(720)
    editor.view.clock.setCurrentIndex(1)
    editor.answers.append("朝阳区安装单加快首联")

    editor.view.save.click()
    await eventually(lambda: editor.saves == 1 or bool(messages.shown))
    assert editor.saves == 1, messages.shown

    scope, change = editor.client.puts[-1]
    assert (scope, change.version, change.reason) == ("110105", 0, "朝阳区安装单加快首联")
    assert change.body == {"steps": {"first_contact": {"install": {
        "due": {"minutes": 720}, "clock": "business", "warn_percent": [50, 75]}}}}
    await eventually(lambda: editor.cell(1, 1) == "12 h")
    assert editor.cell(1, 2) == "business" and editor.cell(1, 5) == "朝阳区 · install"


async def test_no_reason_no_save(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110105")

    await editor.presenter._save()

    assert editor.client.puts == []


async def test_a_stale_save_says_so_and_loads_again(qtbot: QtBot, messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=True)
    await editor.load(qtbot, "110100")
    editor.client.conflict = True
    editor.answers.append("调整")

    before = editor.loads
    editor.view.save.click()
    await eventually(lambda: editor.loads > before)

    assert any(level == "warning" for level, _ in messages.shown)
    assert editor.presenter.scope is not None and editor.presenter.scope.version == 2


async def test_a_reader_sees_the_limits_but_cannot_save(qtbot: QtBot,
                                                        messages: Messages) -> None:
    editor = Editor(qtbot, messages, can_edit=False)
    await editor.load(qtbot, "110105")

    assert not editor.view.save.isEnabled() and not editor.view.minutes.isEnabled()
    editor.presenter.save()
    assert editor.client.puts == []
