"""Sign-in dialog: server, user name, password; shows the server's answer when it says no."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.line_width import width_for
from ui.plain_text import PlainLabel

MAX_URL_WIDTH = 720  # a whole address up to this width; the dialog stays well inside 1366×768
MIN_URL_CHARS = 32


class LoginDialog(QDialog):
    """Signals: loginRequested(url, user, password) when the user signs in.

    The dialog stays open while busy; whoever signs in calls set_busy(False) and either
    show_error() or accept().
    """

    loginRequested = Signal(str, str, str)

    def __init__(self, server_url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.url_edit = QLineEdit(server_url, self)
        self.url_edit.textChanged.connect(self._fit_url)
        self._fit_url(server_url)
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = PlainLabel(self)
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._form = QFormLayout()
        self._labels = [PlainLabel(self) for _ in range(3)]
        for label, edit in zip(self._labels, (self.url_edit, self.user_edit, self.password_edit),
                               strict=True):
            self._form.addRow(label, edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        for edit in (self.url_edit, self.user_edit, self.password_edit):
            edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to Lastmile"))
        texts = (self.tr("Server"), self.tr("User name"), self.tr("Password"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in"))

    def submit(self) -> None:
        """Ask to sign in with what is typed (Enter or the Sign in button)."""
        if not self._complete():
            return
        self.show_error("")
        self.set_busy(True)
        self.loginRequested.emit(
            self.url_edit.text().strip(), self.user_edit.text().strip(), self.password_edit.text()
        )

    def set_busy(self, busy: bool) -> None:
        for widget in (self.url_edit, self.user_edit, self.password_edit):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            not busy and self._complete()
        )
        if busy:
            self.error_label.setText(self.tr("Signing in…"))
            self.error_label.setStyleSheet("color: #555555;")
            self.error_label.show()

    def is_busy(self) -> bool:
        return not self.user_edit.isEnabled()

    def show_error(self, text: str) -> None:
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        if text:
            self.password_edit.selectAll()
            self.password_edit.setFocus()

    def _fit_url(self, text: str) -> None:
        """The server field as wide as its address (up to a limit): not cut to 'http://127.0.…'."""
        edit = self.url_edit
        shortest = width_for(edit, "") + MIN_URL_CHARS * edit.fontMetrics().averageCharWidth()
        edit.setMinimumWidth(min(max(width_for(edit, text), shortest), MAX_URL_WIDTH))

    def _complete(self) -> bool:
        return bool(self.url_edit.text().strip() and self.user_edit.text().strip()
                    and self.password_edit.text())

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self._complete() and not self.is_busy()
        )
