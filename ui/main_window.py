"""The console's shell: Queue, Detail and Map docks, a connection light, an offline banner."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from ui.connection_indicator import OFFLINE, ConnectionIndicator
from ui.plain_text import PlainLabel

STATE_VERSION = 1
DEFAULT_SIZE = QSize(1400, 860)


class MainWindow(QMainWindow):
    """Widgets are put in by whoever assembles the workspace.

    Signals: closing() just before the window closes (to save layout and filters).
    """

    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self.resize(DEFAULT_SIZE)
        self.connection = ConnectionIndicator(self)
        self.statusBar().addPermanentWidget(self.connection)
        self.offline_banner = PlainLabel(self)
        self.offline_banner.setObjectName("offlineBanner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.setVisible(False)
        self.offline_banner.setStyleSheet(
            "QLabel#offlineBanner { background: #fdecea; color: #b71c1c; padding: 6px; }"
        )
        self._queue_box = QWidget(self)
        self._queue_layout = QVBoxLayout(self._queue_box)
        self._queue_layout.setContentsMargins(0, 0, 0, 0)
        self._queue_layout.setSpacing(0)
        self._queue_layout.addWidget(self.offline_banner)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.queue_dock = self._dock("queueDock", self._queue_box, left)
        self.detail_dock = self._dock("detailDock", QWidget(self), right)
        self.map_dock = self._dock("mapDock", QWidget(self), right)
        self.splitDockWidget(self.detail_dock, self.map_dock, Qt.Orientation.Vertical)
        # No central widget: the queue is the work list and gets the space; detail and map
        # share the right side, and every part can be moved or floated.
        self.resizeDocks([self.queue_dock, self.detail_dock], [820, 580], Qt.Orientation.Horizontal)
        self.retranslate()

    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)  # saveState() keys docks by object name
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def retranslate(self) -> None:
        self.queue_dock.setWindowTitle(self.tr("Queue"))
        self.detail_dock.setWindowTitle(self.tr("Order"))
        self.map_dock.setWindowTitle(self.tr("Map"))

    # -- content -------------------------------------------------------------------------

    def set_queue_widget(self, widget: QWidget, header: QWidget | None = None) -> None:
        """The queue view, with an optional strip (e.g. per-state counts) above it."""
        if header is not None:
            self._queue_layout.addWidget(header)
        self._queue_layout.addWidget(widget, 1)

    def set_detail_widget(self, widget: QWidget) -> None:
        self.detail_dock.setWidget(widget)

    def set_map_widget(self, widget: QWidget) -> None:
        self.map_dock.setWidget(widget)

    # -- connection ----------------------------------------------------------------------

    def set_connection(self, state: str, reason: str = "") -> None:
        """Show the connection state; offline also raises a banner above the queue."""
        self.connection.set_state(state, reason)
        if state == OFFLINE:
            text = self.tr("Offline: the queue shows the last known data and may be out of date.")
            self.offline_banner.setText(f"{text} {reason}".strip())
            self.offline_banner.setVisible(True)
        else:
            self.offline_banner.setVisible(False)

    def is_offline_banner_shown(self) -> bool:
        return not self.offline_banner.isHidden()

    # -- layout --------------------------------------------------------------------------

    def layout_state(self) -> tuple[QByteArray, QByteArray]:
        return self.saveGeometry(), self.saveState(STATE_VERSION)

    def restore_layout_state(self, geometry: object, state: object) -> bool:
        """Restore what layout_state() returned; ignores missing or foreign data."""
        done = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            done = self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes) and state:
            done = self.restoreState(QByteArray(state), STATE_VERSION) and done
        return done

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
