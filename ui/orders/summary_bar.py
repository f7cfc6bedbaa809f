"""A strip of counters, e.g. open orders per state, above the queue."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ui.flow_layout import FlowLayout

# Each counter is as wide as its label with this many digits, so a count going from 9 to 10
# (or 999 to 1,000) never re-wraps the strip and moves the table under the mouse.
WIDEST_COUNT = "00000"


class SummaryBar(QWidget):
    """One flat button per counter; signals: keyClicked(str) when a counter is clicked."""

    keyClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryBar")
        # Wrapping, so that seventeen states do not push the queue dock wider than the window.
        self._layout = FlowLayout(self, spacing=2)
        self._layout.setContentsMargins(4, 2, 4, 2)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}

    def set_counts(self, counts: list[tuple[str, str, int]]) -> None:
        """Counters as (key, label, count), shown in the given order; others are removed.

        Callers that want a steady strip pass the same keys every time (zero counts included).
        """
        wanted = [key for key, _, _ in counts]
        for key in list(self._buttons):
            if key not in wanted:
                gone = self._buttons.pop(key)
                self._labels.pop(key, None)
                self._layout.removeWidget(gone)
                gone.deleteLater()
        for position, (key, text, count) in enumerate(counts):
            button = self._buttons.get(key)
            if button is None:
                button = QPushButton(self)
                button.setFlat(True)
                button.clicked.connect(lambda _=False, k=key: self.keyClicked.emit(k))
                self._buttons[key] = button
            self._layout.insert_widget(position, button)
            if self._labels.get(key) != text:
                self._labels[key] = text
                self._fix_width(button, text)
            shown = f"{text} {count}"
            button.setText(shown)
            if button.sizeHint().width() > button.width():  # a count wider than planned
                button.setFixedWidth(button.sizeHint().width())

    def _fix_width(self, button: QPushButton, text: str) -> None:
        button.setText(f"{text} {WIDEST_COUNT}")
        button.setFixedWidth(button.sizeHint().width())

    def text_of(self, key: str) -> str:
        button = self._buttons.get(key)
        return button.text() if button is not None else ""
