"""Dock tabs that show whole titles: no eliding, scroll buttons when the tabs do not fit.

QMainWindow makes the tab bars of tabified docks itself, when docks are tabbed (also later, as
the user drags docks), and elides their titles ("工...", "接..."); this follows every one.
"""

from __future__ import annotations

from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt
from PySide6.QtWidgets import QMainWindow, QTabBar


def _readable(bar: QTabBar) -> None:
    bar.setElideMode(Qt.TextElideMode.ElideNone)
    bar.setUsesScrollButtons(True)


class ReadableDockTabs(QObject):
    """Installed on a main window: each dock tab bar it makes shows whole tab titles."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        for bar in window.findChildren(QTabBar):
            if bar.parent() is window:
                _readable(bar)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Polished, not added: a child is added from inside its constructor, before Qt sets
        # the dock tab bar's elide mode.
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QTabBar):
                _readable(child)
        return False
