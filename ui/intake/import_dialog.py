"""Import a platform's export file: choose or drop it, pick the platform, preview, import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable
from ui.plain_text import PlainLabel

FILE_FILTER = "CSV / JSON (*.csv *.json *.txt *.xml);;*"


def dropped_file(event: QDragEnterEvent | QDropEvent) -> str:
    """The first local file a drag carries ("" when it carries none)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            return url.toLocalFile()
    return ""


class ImportDialog(QDialog):
    """Signals: fileChosen(str path), platformChanged(str name), importRequested().

    Whoever opens it reads the file, asks for the preview and fills `preview_table`'s model;
    Import is enabled only while a preview with importable records is shown.
    """

    fileChosen = Signal(str)
    platformChanged = Signal(str)
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import orders from a file"))
        self.setAcceptDrops(True)
        self.resize(880, 560)
        self._path = ""
        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("importPlatform")
        self.platform_combo.currentIndexChanged.connect(self._platform_changed)
        self.file_label = PlainLabel(self.tr("Drop a CSV or JSON file here, or choose one."), self)
        self.file_label.setObjectName("importFile")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose file…"), self)
        self.choose_button.setShortcut(QKeySequence.StandardKey.Open)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.open_file_dialog)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(self.tr("Platform"), self.platform_combo)
        form.addRow(self.tr("File"), file_row)
        self.preview_table = IdTable(self)
        self.preview_table.setObjectName("importPreview")
        self.summary = PlainLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setAutoDefault(False)
        self.import_button.setToolTip(self.tr("Ctrl+Enter"))
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._file_dialog: QFileDialog | None = None

    # -- what the presenter sets ---------------------------------------------------------

    def set_platforms(self, platforms: list[tuple[str, str]], current: str = "") -> None:
        """(name, label) pairs; `current` is chosen when it is among them."""
        self.platform_combo.blockSignals(True)
        self.platform_combo.clear()
        for name, label in platforms:
            self.platform_combo.addItem(label, name)
        at = self.platform_combo.findData(current)
        self.platform_combo.setCurrentIndex(at if at >= 0 else (0 if platforms else -1))
        self.platform_combo.blockSignals(False)

    def set_preview_model(self, model: QAbstractItemModel) -> None:
        self.preview_table.setModel(model)

    def show_preview(self, summary: str, importable: bool) -> None:
        self.summary.setStyleSheet("")
        self.summary.setText(summary)
        self.import_button.setEnabled(importable)

    def show_problem(self, text: str) -> None:
        """The file could not be read or previewed: say why; nothing can be imported."""
        self.summary.setStyleSheet("color: #c62828;")
        self.summary.setText(text)
        self.import_button.setEnabled(False)

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While the server checks or imports, nothing can be changed or pressed."""
        for widget in (self.platform_combo, self.choose_button):
            widget.setEnabled(not busy)
        self.setAcceptDrops(not busy)
        if busy:
            self.import_button.setEnabled(False)
            self.summary.setStyleSheet("")
            self.summary.setText(text)

    # -- what the user does --------------------------------------------------------------

    def platform(self) -> str:
        data = self.platform_combo.currentData()
        return str(data) if data else ""

    def path(self) -> str:
        return self._path

    def choose_file(self, path: str) -> None:
        """Take this file (from the file dialog, a drop, or a test)."""
        self._path = path
        self.file_label.setText(path)
        self.fileChosen.emit(path)

    def open_file_dialog(self) -> None:
        # Opened, not exec()'d: a nested event loop would stall the asyncio tasks meanwhile.
        dialog = QFileDialog(self, self.tr("Choose the file to import"), "", FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.choose_file)
        dialog.finished.connect(dialog.deleteLater)
        self._file_dialog = dialog
        dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event)
        if path:
            event.acceptProposedAction()
            self.choose_file(path)

    def _platform_changed(self, _index: int) -> None:
        self.platformChanged.emit(self.platform())

    def _import_clicked(self) -> None:
        if self.import_button.isEnabled():
            self.importRequested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A stray Enter (in the platform list, the preview) must not import the file; the
        # Import button does, by click, by focus and Enter, or by Ctrl+Enter from anywhere.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._import_clicked()
            return
        if enter and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)
