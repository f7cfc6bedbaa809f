"""The client policies tab (客户策略): each client's intake policy, the blacklist, the log."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable, set_choices
from ui.plain_text import PlainLabel


class ClientSettingsPage(QWidget):
    """Takes three models; emits what a supervisor asks for. Read-only until `set_editable`.

    Signals: shown() each time the page comes on screen; editRequested(str client code);
    addEntryRequested(); removeEntryRequested(int entry id); blacklistFilterChanged(str
    "true" | "false" | "all").
    """

    shown = Signal()
    editRequested = Signal(str)
    addEntryRequested = Signal()
    removeEntryRequested = Signal(int)
    blacklistFilterChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientSettingsPage")
        self._editable = False
        self._busy = False
        self._removable = False  # the selected entry is still in force
        self.note = PlainLabel(self)
        self.note.setObjectName("settingsNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._clients_box())
        splitter.addWidget(self._blacklist_box())
        splitter.addWidget(self._log_box())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self._update()

    def _clients_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Client policies"), self)
        self.client_table = IdTable(box)
        self.client_table.setObjectName("clientPolicyTable")
        self.edit_button = QPushButton(self.tr("&Edit policy…"), box)
        self.edit_button.setObjectName("editPolicyButton")
        self.edit_button.clicked.connect(self._emit_edit)
        self.client_table.keySelected.connect(self._update)
        self.client_table.keyActivated.connect(lambda _key: self._emit_edit())
        layout = QVBoxLayout(box)
        layout.addWidget(self.client_table, 1)
        layout.addLayout(_row(self.edit_button))
        return box

    def _blacklist_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Blacklist"), self)
        self.blacklist_filter = QComboBox(box)
        self.blacklist_filter.setObjectName("blacklistFilter")
        self.blacklist_filter.currentIndexChanged.connect(
            lambda _i: self.blacklistFilterChanged.emit(self.blacklist_shown()))
        self.blacklist_table = IdTable(box)
        self.blacklist_table.setObjectName("blacklistTable")
        self.add_button = QPushButton(self.tr("&Add…"), box)
        self.add_button.setObjectName("addBlacklistButton")
        self.remove_button = QPushButton(self.tr("Re&move…"), box)
        self.remove_button.setObjectName("removeBlacklistButton")
        self.add_button.clicked.connect(self.addEntryRequested)
        self.remove_button.clicked.connect(self._emit_remove)
        self.blacklist_table.keySelected.connect(self._update)
        self.blacklist_table.deleteRequested.connect(lambda _key: self._emit_remove())
        top = QHBoxLayout()
        self.filter_label = PlainLabel(self.tr("Show"), box)
        top.addWidget(self.filter_label)
        top.addWidget(self.blacklist_filter)
        top.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(top)
        layout.addWidget(self.blacklist_table, 1)
        layout.addLayout(_row(self.add_button, self.remove_button))
        return box

    def _log_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Recent changes"), self)
        self.log_table = IdTable(box)
        self.log_table.setObjectName("settingsLogTable")
        QVBoxLayout(box).addWidget(self.log_table)
        return box

    # -- models and state ----------------------------------------------------------------

    def set_models(self, clients: QAbstractItemModel, blacklist: QAbstractItemModel,
                   log: QAbstractItemModel) -> None:
        self.client_table.setModel(clients)
        self.blacklist_table.setModel(blacklist)
        self.log_table.setModel(log)

    def set_blacklist_options(self, options: list[tuple[str, str]], current: str) -> None:
        set_choices(self.blacklist_filter, options, current)

    def blacklist_shown(self) -> str:
        data = self.blacklist_filter.currentData()
        return str(data) if data else "true"

    def set_editable(self, editable: bool) -> None:
        """Supervisors and admins change the settings; agents read them."""
        self._editable = editable
        self.note.setText("" if editable else self.tr(
            "Read only: supervisors and administrators change client policies and the "
            "blacklist."))
        self.note.setVisible(not editable)
        self._update()

    def editable(self) -> bool:
        return self._editable

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def set_removable(self, removable: bool) -> None:
        """Whether the selected blacklist entry is still in force (removed ones stay listed)."""
        self._removable = removable
        self._update()

    def _update(self, _key: object = None) -> None:
        can = self._editable and not self._busy
        self.edit_button.setEnabled(can and self.client_table.current_key() is not None)
        self.add_button.setEnabled(can)
        self.remove_button.setEnabled(
            can and self._removable and self.blacklist_table.current_key() is not None)

    def _emit_edit(self) -> None:
        key = self.client_table.current_key()
        if key is not None and self.edit_button.isEnabled():
            self.editRequested.emit(str(key))

    def _emit_remove(self) -> None:
        key = self.blacklist_table.current_key()
        if key is not None and self.remove_button.isEnabled():
            self.removeEntryRequested.emit(int(key))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # not merely the window coming back from minimised
            self.shown.emit()


def _row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
