"""What a region sets for every step in the time limits editor: its working hours (for business
time) and its suspensions (a platform's Spring Festival stop: name, start, end), each either set
here or inherited from the region above.

Signals: save_requested(); add_requested() (the presenter adds a row from its clock).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import PlainLabel

MAX_NAME = 20
SHOWN = "yyyy-MM-dd HH:mm"
TIME_WIDTH = 160


class ScopeForm(QWidget):
    save_requested = Signal()
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.own_hours = QCheckBox(self.tr("Working hours set here"), self)
        self.own_hours.setObjectName("limitsOwnHours")
        self.day_start = QTimeEdit(self)
        self.day_end = QTimeEdit(self)
        for edit in (self.day_start, self.day_end):
            edit.setDisplayFormat("HH:mm")
        self.hours_source = PlainLabel(self)
        self.own_suspensions = QCheckBox(self.tr("Suspensions set here"), self)
        self.own_suspensions.setObjectName("limitsOwnSuspensions")
        self.suspensions = QTableWidget(0, 3, self)
        self.suspensions.setObjectName("limitsSuspensions")
        self.suspensions.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Starts"), self.tr("Ends")])
        self.suspensions.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):  # "2026-02-14 00:00" and the calendar button, whole
            self.suspensions.setColumnWidth(column, TIME_WIDTH)
        self.suspensions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.suspensions_source = PlainLabel(self)
        self.add = QPushButton(self.tr("Add suspension"), self)
        self.remove = QPushButton(self.tr("Remove"), self)
        self.save = QPushButton(self.tr("Save hours and suspensions…"), self)
        self.save.setObjectName("limitsSaveScope")

        hours = QHBoxLayout()
        hours.addWidget(self.day_start)
        hours.addWidget(PlainLabel("–", self))
        hours.addWidget(self.day_end)
        hours.addWidget(self.hours_source, 1)
        form = QFormLayout()
        form.addRow(self.own_hours)
        form.addRow(self.tr("Working hours"), hours)
        form.addRow(self.own_suspensions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.suspensions_source, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.suspensions, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.save)

        self.add.clicked.connect(self.add_requested)
        self.remove.clicked.connect(self._remove)
        self.own_hours.toggled.connect(lambda _on: self._enable())
        self.own_suspensions.toggled.connect(lambda _on: self._enable())
        self.save.clicked.connect(self.save_requested)
        self._editable = False
        self._enable()

    def add_suspension(self, name: str, start: QDateTime, end: QDateTime) -> int:
        row = self.suspensions.rowCount()
        self.suspensions.insertRow(row)
        name_edit = QLineEdit(name, self.suspensions)
        name_edit.setMaxLength(MAX_NAME)
        self.suspensions.setCellWidget(row, 0, name_edit)
        for column, moment in ((1, start), (2, end)):
            edit = QDateTimeEdit(moment, self.suspensions)
            edit.setDisplayFormat(SHOWN)
            edit.setCalendarPopup(True)
            self.suspensions.setCellWidget(row, column, edit)
        self._enable()
        return row

    def clear_suspensions(self) -> None:
        self.suspensions.setRowCount(0)

    def suspension_rows(self) -> Sequence[tuple[str, QDateTime, QDateTime]]:
        out = []
        for row in range(self.suspensions.rowCount()):
            name = self.suspensions.cellWidget(row, 0)
            start = self.suspensions.cellWidget(row, 1)
            end = self.suspensions.cellWidget(row, 2)
            assert isinstance(name, QLineEdit) and isinstance(start, QDateTimeEdit)
            assert isinstance(end, QDateTimeEdit)
            out.append((name.text(), start.dateTime(), end.dateTime()))
        return out

    def set_hours(self, start: QTime, end: QTime) -> None:
        self.day_start.setTime(start)
        self.day_end.setTime(end)

    def _remove(self) -> None:
        # The selected rows, else the row being edited, else the last one.
        rows = sorted({i.row() for i in self.suspensions.selectedIndexes()}, reverse=True)
        current = self.suspensions.currentRow()
        for row in rows or [current if current >= 0 else self.suspensions.rowCount() - 1]:
            if row >= 0:
                self.suspensions.removeRow(row)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._enable()

    def _enable(self) -> None:
        on = self._editable
        self.own_hours.setEnabled(on)
        self.own_suspensions.setEnabled(on)
        self.save.setEnabled(on)
        for edit in (self.day_start, self.day_end):
            edit.setEnabled(on and self.own_hours.isChecked())
        listed = on and self.own_suspensions.isChecked()
        for widget in (self.add, self.remove):
            widget.setEnabled(listed)
        for row in range(self.suspensions.rowCount()):
            for column in range(3):
                cell = self.suspensions.cellWidget(row, column)
                if cell is not None:
                    cell.setEnabled(listed)
