"""The SLA time limits editor (时限): a region and service type, the table of steps with their
effective limit, the platform's beside it and where each comes from, and the selected step's
editor. Keyboard first: Enter in the region loads it, Up/Down choose a step, Ctrl+S saves.

Signals: load_requested(str region, str service_type); step_chosen(int row);
save_requested().
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import PlainLabel

SERVICE_TYPES = ("any", "install", "repair", "measure", "return_visit", "after_sales")


class LimitsView(QWidget):
    load_requested = Signal(str, str)
    step_chosen = Signal(int)
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region_edit = QLineEdit(self)
        self.region_edit.setObjectName("limitsRegion")
        self.region_edit.setPlaceholderText(self.tr("default, or a region code (e.g. 110105)"))
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("limitsType")
        self.type_combo.addItems(SERVICE_TYPES)
        self.table = QTableView(self)
        self.table.setObjectName("limitsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("limitsMinutes")
        self.minutes.setRange(1, 90 * 24 * 60)
        self.minutes.setSuffix(self.tr(" min"))
        self.end_of_day = QCheckBox(self.tr("By the end of the agreed day"), self)
        self.clock = QComboBox(self)
        self.clock.setObjectName("limitsClock")
        self.clock.addItem(self.tr("Natural time"), "natural")
        self.clock.addItem(self.tr("Business time"), "business")
        self.notice = QSpinBox(self)
        self.warning = QSpinBox(self)
        for box in (self.notice, self.warning):
            box.setRange(1, 99)
            box.setSuffix(" %")
        self.source = PlainLabel(self)
        self.source.setObjectName("limitsSource")
        self.save = QPushButton(self.tr("Save…"), self)
        self.save.setObjectName("limitsSave")
        self.status = PlainLabel(self)

        top = QHBoxLayout()
        top.addWidget(PlainLabel(self.tr("Region"), self))
        top.addWidget(self.region_edit, 1)
        top.addWidget(PlainLabel(self.tr("Service type"), self))
        top.addWidget(self.type_combo)
        form = QFormLayout()
        form.addRow(self.tr("Limit"), self.minutes)
        form.addRow("", self.end_of_day)
        form.addRow(self.tr("Clock"), self.clock)
        form.addRow(self.tr("Notice at (预警)"), self.notice)
        form.addRow(self.tr("Warning at (警告)"), self.warning)
        form.addRow(self.tr("Comes from"), self.source)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addWidget(self.status)

        self.region_edit.returnPressed.connect(self._load)
        self.type_combo.activated.connect(lambda _i: self._load())
        self.end_of_day.toggled.connect(lambda on: self.minutes.setEnabled(not on))
        self.save.clicked.connect(self.save_requested)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save_requested.emit)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_editable(False)

    def _load(self) -> None:
        self.load_requested.emit(self.region_edit.text().strip() or "default",
                                 self.type_combo.currentText())

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.step_chosen.emit(current.row()))

    def set_editable(self, editable: bool) -> None:
        for widget in (self.minutes, self.end_of_day, self.clock, self.notice, self.warning,
                       self.save):
            widget.setEnabled(editable)
        if editable:
            self.minutes.setEnabled(not self.end_of_day.isChecked())

    def set_busy(self, busy: bool) -> None:
        self.save.setEnabled(not busy)
