"""A compact picker of lifecycle events (start, stop, pause, resume conditions of a time limit):
a button naming the chosen events that opens a menu of every event, each checkable.

Signals: changed() when the user checks or unchecks an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

WIDEST = 220


def short(words: str) -> str:
    """The Chinese name alone of words like "客户签收货物 (goods signed for)"."""
    return words.split(" (", 1)[0]


class EventPicker(QToolButton):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self._words: dict[str, str] = {}
        self._order: list[str] = []
        self._show()

    def sizeHint(self) -> QSize:
        """As wide as a few names: more show in the tooltip, and the editor fits 1366×768."""
        hint = super().sizeHint()
        return QSize(min(hint.width(), WIDEST), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), WIDEST // 2), hint.height())

    def set_words(self, words: Mapping[str, str]) -> None:
        """Every event the limits know, with the words shown for it (in their order)."""
        chosen = self.chosen()
        self._words = dict(words)
        self._menu.clear()
        for event, text in self._words.items():
            action = self._menu.addAction(text)
            action.setCheckable(True)
            action.setData(event)
            action.toggled.connect(lambda on, e=event: self._toggled(e, on))
        self.set_chosen(chosen)

    def set_chosen(self, events: Iterable[str]) -> None:
        wanted = list(events)
        for action in self._menu.actions():
            action.blockSignals(True)
            action.setChecked(action.data() in wanted)
            action.blockSignals(False)
        self._order = [e for e in wanted if e in self._words]
        self._show()

    def chosen(self) -> list[str]:
        """The checked events, in the order they were chosen (the first given first)."""
        return list(self._order)

    def _toggled(self, event: str, on: bool) -> None:
        order = [e for e in self.chosen() if e != event]
        self._order = [*order, event] if on else order
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        names = [self._words.get(e, e) for e in self.chosen()]
        self.setText("、".join(short(n) for n in names) if names else "—")
        self.setToolTip("\n".join(names))
