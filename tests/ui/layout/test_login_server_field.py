"""The sign-in dialog's server field shows the whole server address, not a cut-off one."""

from __future__ import annotations

import pytest
from fit_check import line_room
from pytestqt.qtbot import QtBot

from ui.session.login_dialog import LoginDialog

LONG = "https://lastmile-dispatch.centre.example.cn:8443/api"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", LONG])
def test_the_server_field_shows_its_whole_url(qtbot: QtBot, url: str) -> None:
    dialog = LoginDialog(url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.url_edit
    assert edit.fontMetrics().horizontalAdvance(url) <= line_room(edit)
    assert dialog.width() <= 1366 * 3 // 4


def test_a_url_typed_later_widens_the_field(qtbot: QtBot) -> None:
    dialog = LoginDialog("")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.url_edit.setText(LONG)
    qtbot.waitUntil(lambda: dialog.url_edit.fontMetrics().horizontalAdvance(LONG)
                    <= line_room(dialog.url_edit))
