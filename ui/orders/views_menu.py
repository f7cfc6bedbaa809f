"""Saved views: named filter sets a person keeps, each on a key (Ctrl+1 ... Ctrl+9)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QToolButton, QWidget

MAX_KEYED = 9  # Ctrl+1 ... Ctrl+9


def view_key(position: int) -> QKeySequence:
    """The key of the view at this position (0-based): Ctrl+1 for the first."""
    return QKeySequence(f"Ctrl+{position + 1}")


class SavedViewsButton(QToolButton):
    """A button whose menu lists the saved views (with their keys), saves the current filters
    as a view and deletes views. The keys themselves are shortcuts of the queue (QueueView).

    Signals: applyRequested(int position), saveRequested(str name), deleteRequested(int).
    """

    applyRequested = Signal(int)
    saveRequested = Signal(str)
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedViewsButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.name_dialog: QInputDialog | None = None
        self._names: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("Views"))
        self.setToolTip(self.tr("Saved filter sets; Ctrl+1 to Ctrl+9 apply them"))
        self.set_views(self._names)

    def set_views(self, names: list[str]) -> None:
        self._names = list(names)
        menu = self.menu()
        menu.clear()
        for n, name in enumerate(self._names):
            # The key shown after a tab, not registered here: QueueView's shortcut owns it
            # (a second registration of one key would make both ambiguous, so neither fires).
            shown = view_key(n).toString(QKeySequence.SequenceFormat.NativeText)
            action = menu.addAction(f"{name}\t{shown}" if n < MAX_KEYED else name)
            action.triggered.connect(lambda _=False, p=n: self.applyRequested.emit(p))
        if self._names:
            menu.addSeparator()
        save = menu.addAction(self.tr("Save current filters as a view..."))
        save.setObjectName("saveViewAction")
        save.triggered.connect(self.ask_name)
        if self._names:
            delete = menu.addMenu(self.tr("Delete view"))
            for n, name in enumerate(self._names):
                gone: QAction = delete.addAction(name)
                gone.triggered.connect(lambda _=False, p=n: self.deleteRequested.emit(p))

    def names(self) -> list[str]:
        return list(self._names)

    def ask_name(self) -> None:
        """Ask for the new view's name without blocking (the answer arrives as a signal)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Save view"))
        dialog.setLabelText(self.tr("Name of the view:"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.textValueSelected.connect(self._named)
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()

    def _named(self, name: str) -> None:
        self.name_dialog = None
        if name.strip():
            self.saveRequested.emit(name.strip())
