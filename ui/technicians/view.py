"""The technicians dock's face: a text filter, the technicians table, Edit… and Refresh."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable
from ui.plain_text import PlainLabel
from ui.roles import SORT_ROLE


class TechnicianTableView(QWidget):
    """Takes the technicians model (keyed by technician id) and filters it by any column's text.

    Signals: refreshRequested(); editRequested(int) on Edit…, a double click or Enter on a
    row, only while editable.
    """

    refreshRequested = Signal()
    editRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("technicianView")
        self._editable = False
        self._busy = False
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.filter_label = PlainLabel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("technicianFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_label.setBuddy(self.filter_edit)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("technicianEdit")
        self.edit_button.clicked.connect(self._edit_current)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("technicianTable")
        self.table.setSortingEnabled(True)
        self.table.setModel(self.proxy)
        self.table.keyActivated.connect(self._activated)
        self.table.keySelected.connect(lambda _key: self._update_buttons())
        self.note = PlainLabel(self)  # "read only" for those who may not edit
        self.note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._retranslate()
        self._update_buttons()

    def set_model(self, model: QAbstractItemModel) -> None:
        self.proxy.setSourceModel(model)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the server sends

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.edit_button.setVisible(editable)
        self._retranslate()
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_key(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_technician(self, technician_id: int) -> bool:
        return self.table.select_key(technician_id)

    def focus_current(self) -> None:
        self.table.setFocus()

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self._editable and not self._busy
                                    and self.current_key() is not None)

    def _edit_current(self) -> None:
        key = self.current_key()
        if key is not None:
            self._activated(key)

    def _activated(self, key: object) -> None:
        if self._editable and not self._busy and isinstance(key, int):
            self.editRequested.emit(key)

    def _retranslate(self) -> None:
        self.filter_label.setText(self.tr("&Find:"))
        self.filter_edit.setPlaceholderText(self.tr("Name, service point, county, skill…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.note.setText("" if self._editable else self.tr(
            "Read only: supervisors and admins change dispatch settings."))
        self.note.setVisible(not self._editable)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
