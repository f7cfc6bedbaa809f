"""The docks beside the queue (intake, dispatch, routes, grab pool, policies) are built alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
