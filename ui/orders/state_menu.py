"""A menu of checkable items that stays open while items are ticked (mouse or keyboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu

_TICK_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class StayOpenMenu(QMenu):
    """Ticking a checkable item toggles it and leaves the menu open, so several states can be
    chosen in one visit; Esc or a click outside closes it. Other items behave as in QMenu."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if self._tick(action):
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _TICK_KEYS and self._tick(self.activeAction()):
            return
        super().keyPressEvent(event)

    def _tick(self, action: QAction | None) -> bool:
        if action is None or not action.isCheckable() or not action.isEnabled():
            return False
        action.trigger()  # toggles, emits toggled and triggered; QMenu would close here
        return True
