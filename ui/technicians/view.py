"""The technicians dock's face: a text filter, the technicians table, Edit… and Refresh."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from ui.list_detail import ListDetailView
from ui.plain_text import PlainLabel
from ui.roles import SORT_ROLE


class TechnicianTableView(ListDetailView):
    """Takes the technicians model (keyed by technician id) and filters it by any column's text.

    Signals: refreshRequested(); editRequested(int) on Edit…, a double click or Enter on a
    row, only while editable.
    """

    editRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("technician", parent)
        self._editable = False
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
        self.edit_button = self._button("technicianEdit", self._activated)
        self.table.setSortingEnabled(True)
        self.table.setModel(self.proxy)
        self.note = PlainLabel(self)  # "read only" for those who may not edit
        self.note.setWordWrap(True)
        tool = QHBoxLayout()
        tool.addWidget(self.filter_label)
        tool.addWidget(self.filter_edit, 1)
        tool.addWidget(self.edit_button)
        self._lay_out(self.note, [], tool=tool, counts=False)

    def set_model(self, model: QAbstractItemModel) -> None:
        self.proxy.setSourceModel(model)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the server sends

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.edit_button.setVisible(editable)
        self._retranslate()
        self._update_buttons()

    def select_technician(self, technician_id: int) -> bool:
        return self.select_key(technician_id)

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self._editable and not self._busy
                                    and self.current_key() is not None)

    def _activated(self) -> None:
        """Edit…, a double click or Enter: edit the current technician, if one may."""
        key = self.current_key()
        if self._editable and not self._busy and key is not None:
            self.editRequested.emit(key)

    def _retranslate(self) -> None:
        super()._retranslate()
        self.filter_label.setText(self.tr("&Find:"))
        self.filter_edit.setPlaceholderText(self.tr("Name, service point, county, skill…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.note.setText("" if self._editable else self.tr(
            "Read only: supervisors and admins change dispatch settings."))
        self.note.setVisible(not self._editable)
