"""The service points of a region in a table, each with a share or a daily capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import PlainLabel
from ui.policies.fields import FieldEditor


@dataclass(frozen=True)
class PointInfo:
    """A service point of the region, as the shares and capacity tables list it."""

    key: str
    name: str
    technicians: int = 0
    capacity: int = 0  # what its active technicians can take a day


class PointsEditor(FieldEditor):
    """A table of the region's service points with a number each: shares (percent, adding up
    to 100) or daily capacities ("—": the point's own figure)."""

    KEY, NAME, CREW, VALUE = range(4)

    def __init__(self, shares: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shares = shares
        self._points: list[PointInfo] = []
        self._extra: dict[str, int] = {}
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Point"), self.tr("Name"), self.tr("Technicians (a day)"),
            self.tr("Share") if shares else self.tr("Orders a day")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Numbers and codes as wide as they and their titles are; the name takes the rest.
        for column in (self.KEY, self.CREW, self.VALUE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.total = PlainLabel(self)
        self.total.setObjectName("sharesTotal")
        self.total.setVisible(shares)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.total)

    def set_points(self, points: list[PointInfo]) -> None:
        current = self.value()
        self._points = list(points)
        self.set_value(current)

    def spins(self) -> dict[str, QSpinBox]:
        found: dict[str, QSpinBox] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, self.KEY)
            spin = self.table.cellWidget(row, self.VALUE)
            if item is not None and isinstance(spin, QSpinBox):
                found[item.text()] = spin
        return found

    def value(self) -> dict[str, int]:
        if self.shares:
            return {k: s.value() for k, s in self.spins().items() if s.value() > 0}
        return {k: s.value() for k, s in self.spins().items() if s.value() >= 0}

    def set_value(self, value: Any) -> None:
        given = {str(k): int(v) for k, v in dict(value or {}).items()}
        known = {p.key for p in self._points}
        rows = [*self._points, *(PointInfo(k, self.tr("(not in this region)"))
                                 for k in sorted(given) if k not in known)]
        spins = self.spins()
        if list(spins) != [p.key for p in rows]:
            self._rebuild(rows)
            spins = self.spins()
        for key, spin in spins.items():
            spin.blockSignals(True)
            spin.setValue(given.get(key, 0 if self.shares else -1))
            spin.blockSignals(False)
        self._show_total()

    def _rebuild(self, rows: list[PointInfo]) -> None:
        self.table.setRowCount(0)  # drops the old rows' spin boxes with them
        self.table.setRowCount(len(rows))
        for row, point in enumerate(rows):
            crew = self.tr("{0} ({1})").format(point.technicians, point.capacity)
            for column, text in ((self.KEY, point.key), (self.NAME, point.name),
                                 (self.CREW, crew)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            spin = QSpinBox()  # the table takes it over
            spin.setObjectName(f"point_{point.key}")
            if self.shares:
                spin.setRange(0, 100)
                spin.setSuffix("%")
            else:
                spin.setRange(-1, 100_000)
                spin.setSpecialValueText("—")
            spin.valueChanged.connect(self._changed)
            self.table.setCellWidget(row, self.VALUE, spin)

    def _changed(self) -> None:
        self._show_total()
        self.edited.emit()

    def _show_total(self) -> None:
        total = sum(self.value().values()) if self.shares else 0
        self.total.setText(self.tr("Total: {0}%").format(total))
        bad = self.shares and bool(self.value()) and total != 100
        self.total.setStyleSheet("color: #c62828;" if bad else "color: #666;")

    def problem(self) -> str:
        total = sum(self.value().values())
        if self.shares and self.value() and total != 100:
            return self.tr("The shares add up to {0}%, not 100%.").format(total)
        return ""
