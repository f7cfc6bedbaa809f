"""A status-bar light for the connection to the backend: live, connecting or offline."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui.plain_text import PlainLabel, tooltip

# The widget kit knows states by these names; the console maps its ConnectionState onto them.
LIVE, CONNECTING, OFFLINE = "live", "connecting", "offline"
_COLOURS = {LIVE: "#2e7d32", CONNECTING: "#f9a825", OFFLINE: "#c62828"}


class ConnectionIndicator(QWidget):
    """A coloured dot, the state in words, and the reason (also as tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = CONNECTING
        self._reason = ""
        self._dot = PlainLabel("●", self)
        self._text = PlainLabel(self)
        self._text.setObjectName("connectionText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self._dot)
        layout.addWidget(self._text)
        self._render()

    def state(self) -> str:
        return self._state

    def text(self) -> str:
        return self._text.text()

    def set_state(self, state: str, reason: str = "") -> None:
        self._state, self._reason = state, reason
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        names = {
            LIVE: self.tr("Online"),
            CONNECTING: self.tr("Connecting"),
            OFFLINE: self.tr("Offline"),
        }
        words = names.get(self._state, self._state)
        self._dot.setStyleSheet(f"color: {_COLOURS.get(self._state, '#757575')};")
        self._text.setText(f"{words} · {self._reason}" if self._reason else words)
        self.setToolTip(tooltip(self._reason))
