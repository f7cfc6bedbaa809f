"""The desks beside the queue (intake, dispatch, routes, grab pool, policies, technicians): each
a dock holding one feature's view, built and shown alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

FEATURES = (
    QDockWidget.DockWidgetFeature.DockWidgetMovable
    | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    | QDockWidget.DockWidgetFeature.DockWidgetClosable
)


def side_dock(window: QMainWindow, name: str, widget: QWidget,
              queue_dock: QDockWidget | None = None, title: str = "") -> QDockWidget:
    """A dock on the left holding `widget`; a tab beside the queue's when `queue_dock` is given,
    so the agent switches between work lists and the queue stays in front."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)  # saveState() keys docks by object name
    dock.setWidget(widget)
    dock.setFeatures(FEATURES)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    if queue_dock is not None:
        window.tabifyDockWidget(queue_dock, dock)
        queue_dock.raise_()
    return dock


class SideDesk(QObject):
    """A feature's dock beside the queue: knows whether it is on screen, comes forward on
    request, and hears when it comes on screen or goes.

    Subclasses override `on_screen(visible)` (refresh when shown, pause when hidden), `focus()`
    (where the keyboard goes when the desk is brought forward) and `stop()` (on close).
    """

    def __init__(self, window: QMainWindow, name: str, widget: QWidget, *,
                 queue_dock: QDockWidget | None = None, title: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_screen = False
        self.dock = side_dock(window, name, widget, queue_dock, title)
        self.dock.visibilityChanged.connect(self._visibility_changed)

    def is_visible(self) -> bool:
        """On screen: not closed, not behind the queue's tab (where isVisible() stays True)."""
        return self._on_screen and self.dock.isVisible()

    def show_desk(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.focus()

    def focus(self) -> None:
        """Give the keyboard to the desk's main list (once it is brought forward)."""

    def on_screen(self, visible: bool) -> None:
        """The desk came on screen (`visible`) or went behind a tab or closed."""

    def stop(self) -> None:
        """Stop timers and let go of what the desk follows (the window is closing)."""

    def _visibility_changed(self, visible: bool) -> None:
        self._on_screen = visible
        self.on_screen(visible)


class CountedDesk(SideDesk):
    """A desk whose presenter polls a list the user opens orders from, and whose dock title
    counts what waits (the review queue, the follow-up calls due, the open complaints).

    A subclass builds its view and presenter, then calls `follow(open_order)`; it says what
    waits (`waiting()`) and how the title reads (`title(waiting)`, its own translation
    context)."""

    view: Any  # a view with `orderOpened` and `focus_current()`
    presenter: Any  # a polled presenter with `refreshed`, `start()`, `refresh()`, `stop()`

    def follow(self, open_order: Callable[[int], None]) -> None:
        self.view.orderOpened.connect(open_order)
        self.presenter.refreshed.connect(self._set_title)
        self._set_title()
        self.presenter.start()

    def waiting(self) -> int:
        raise NotImplementedError

    def title(self, waiting: int) -> str:
        raise NotImplementedError

    def focus(self) -> None:
        self.view.focus_current()

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh()

    def stop(self) -> None:
        self.presenter.stop()

    def _set_title(self) -> None:
        self.dock.setWindowTitle(self.title(self.waiting()))
