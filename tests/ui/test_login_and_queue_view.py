"""Login dialog and session presenter; queue view selection and the debounced search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_row
from ui_support import Messages

from console.errors import ApiError, Offline
from console.models.orders import OrderFilterProxy, QueueModel
from console.presenters.session.sign_in import SessionPresenter
from ui.orders.queue_view import QueueView
from ui.session.login_dialog import LoginDialog


@pytest.fixture
def dialog(qtbot: QtBot) -> LoginDialog:
    widget = LoginDialog("http://127.0.0.1:8765")
    qtbot.addWidget(widget)
    return widget


def fill(dialog: LoginDialog, user: str = "agent", password: str = "demo") -> None:
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)


def test_login_dialog_emits_what_was_typed(qtbot: QtBot, dialog: LoginDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    fill(dialog)
    with qtbot.waitSignal(dialog.loginRequested) as signal:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert signal.args == ["http://127.0.0.1:8765", "agent", "demo"]
    assert dialog.is_busy() and not ok.isEnabled()


async def test_sign_in_accepts_the_dialog(
    qtbot: QtBot, dialog: LoginDialog, messages: Messages
) -> None:
    client = FakeClient()
    presenter = SessionPresenter(dialog, lambda url: client, messages)
    signed_in: list[tuple] = []
    presenter.signedIn.connect(lambda *args: signed_in.append(args))
    fill(dialog, "supervisor")
    dialog.open()
    dialog.submit()
    await eventually(lambda: bool(signed_in))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert signed_in[0][0] is client and signed_in[0][1].user.role == "supervisor"


@pytest.mark.parametrize(
    ("error", "text"),
    [(ApiError(401, "Unauthorized", "bad credentials"), "Wrong user name or password."),
     (Offline("Cannot reach the server at http://x"), "Offline: Cannot reach the server")],
)
async def test_refused_sign_in_shows_why(
    qtbot: QtBot, dialog: LoginDialog, messages: Messages, error: Exception, text: str
) -> None:
    client = FakeClient()
    client.login_error = error
    presenter = SessionPresenter(dialog, lambda url: client, messages)
    fill(dialog)
    dialog.submit()
    await eventually(lambda: not dialog.is_busy())
    assert dialog.error_label.text().startswith(text)
    assert not dialog.error_label.isHidden()
    assert presenter.signedIn is not None  # the presenter lived through the attempt


@pytest.fixture
def view(qtbot: QtBot) -> QueueView:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 101)})
    proxy = OrderFilterProxy()
    proxy.setSourceModel(QueueModel(store, parent=proxy))
    widget = QueueView()
    widget.set_model(proxy)
    qtbot.addWidget(widget)
    widget._proxy = proxy  # type: ignore[attr-defined]  # kept alive with the view
    return widget


def test_select_order_makes_it_current_and_emits(qtbot: QtBot, view: QueueView) -> None:
    with qtbot.waitSignal(view.orderSelected) as signal:
        assert view.select_order(42)
    assert signal.args == [42]
    assert view.table.currentIndex().row() == 100 - 42
    assert not view.select_order(999)


def test_clicking_a_row_selects_its_order(qtbot: QtBot, view: QueueView) -> None:
    view.show()
    rect = view.table.visualRect(view.model().index(2, 1))
    with qtbot.waitSignal(view.orderSelected) as signal:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [98]


def test_search_box_is_debounced_into_one_filter_change(qtbot: QtBot, view: QueueView) -> None:
    changes: list[dict] = []
    view.filtersChanged.connect(changes.append)
    with qtbot.waitSignal(view.filtersChanged):
        for ch in "LM00000042":
            qtbot.keyClick(view.filter_bar.search_edit, ch)
    assert len(changes) == 1 and changes[0]["text"] == "LM00000042"


def test_state_menu_is_a_multi_select(qtbot: QtBot, view: QueueView) -> None:
    bar = view.filter_bar
    bar.set_state_options([("new", "New"), ("assigned", "Assigned"), ("frozen", "Frozen")])
    with qtbot.waitSignal(view.filtersChanged):
        bar.state_menu.actions()[0].setChecked(True)
    with qtbot.waitSignal(view.filtersChanged) as signal:
        bar.state_menu.actions()[2].setChecked(True)
    assert signal.args[0]["states"] == ["frozen", "new"]
    assert bar.state_button.text() == "New + Frozen"
