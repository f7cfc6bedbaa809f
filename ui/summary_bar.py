"""A strip of counters, e.g. open orders per state, above the queue."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget


class SummaryBar(QWidget):
    """One flat button per counter; signals: keyClicked(str) when a counter is clicked."""

    keyClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryBar")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._buttons: dict[str, QPushButton] = {}
        self._layout.addStretch(1)

    def set_counts(self, counts: list[tuple[str, str, int]]) -> None:
        """Counters as (key, label, count), shown in the given order; others are removed."""
        wanted = [key for key, _, _ in counts]
        for key in list(self._buttons):
            if key not in wanted:
                self._buttons.pop(key).deleteLater()
        for position, (key, text, count) in enumerate(counts):
            button = self._buttons.get(key)
            if button is None:
                button = QPushButton(self)
                button.setFlat(True)
                button.clicked.connect(lambda _=False, k=key: self.keyClicked.emit(k))
                self._buttons[key] = button
            self._layout.insertWidget(position, button)
            button.setText(f"{text} {count}")

    def text_of(self, key: str) -> str:
        button = self._buttons.get(key)
        return button.text() if button is not None else ""
