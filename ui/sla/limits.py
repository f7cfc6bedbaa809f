"""The SLA time limits editor (时限): a region (typed, or picked in the province → city → county
tree) and service type; tabs with the table of steps (our limit, the platform's beside it,
where each comes from) and the selected step's editor, the region's working hours and
suspensions, and the change log. Keyboard first: Enter in the region loads it, Up/Down choose
a step, Ctrl+S saves the step. Fits a 1366×768 screen.

Signals: load_requested(str region, str service_type); step_chosen(int row);
save_requested() (the step); save_scope_requested() (hours and suspensions).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import PlainLabel
from ui.sla.limit_scope_form import ScopeForm
from ui.sla.limit_step_form import StepForm

SERVICE_TYPES = ("any", "install", "repair", "measure", "return_visit", "after_sales")
REGION_ROLE = Qt.ItemDataRole.UserRole + 1  # the tree's adcode ("" for the default)


def _read_only_table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class LimitsView(QWidget):
    load_requested = Signal(str, str)
    step_chosen = Signal(int)
    save_requested = Signal()
    save_scope_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region_edit = QLineEdit(self)
        self.region_edit.setObjectName("limitsRegion")
        self.region_edit.setPlaceholderText(self.tr("default, or a region code (e.g. 110105)"))
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("limitsType")
        self.type_combo.addItems(SERVICE_TYPES)
        self.tree = QTreeView(self)
        self.tree.setObjectName("limitsRegions")
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table = _read_only_table(self, "limitsTable")
        # Seven steps: every column as wide as its title and values (the last takes the rest).
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.step_form = StepForm(self)
        form = self.step_form
        self.minutes, self.end_of_day, self.clock = form.minutes, form.end_of_day, form.clock
        self.notice, self.warning, self.source = form.notice, form.warning, form.source
        self.save = QPushButton(self.tr("Save step…"), self)
        self.save.setObjectName("limitsSave")
        self.scope_form = ScopeForm(self)
        self.log = _read_only_table(self, "limitsLog")
        self.status = PlainLabel(self)

        steps = QWidget(self)
        steps_layout = QVBoxLayout(steps)
        steps_layout.addWidget(self.table, 1)
        steps_layout.addWidget(self.step_form)
        steps_layout.addWidget(self.save)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(steps, self.tr("Steps"))
        self.tabs.addTab(self.scope_form, self.tr("Hours and suspensions"))
        self.tabs.addTab(self.log, self.tr("Change log"))
        top = QHBoxLayout()
        top.addWidget(PlainLabel(self.tr("Region"), self))
        top.addWidget(self.region_edit, 1)
        top.addWidget(PlainLabel(self.tr("Service type"), self))
        top.addWidget(self.type_combo)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tree)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([180, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.region_edit.returnPressed.connect(self._load)
        self.type_combo.activated.connect(lambda _i: self._load())
        self.tree.activated.connect(self._picked)
        self.tree.clicked.connect(self._picked)
        self.save.clicked.connect(self.save_requested)
        self.scope_form.save_requested.connect(self.save_scope_requested)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save_requested.emit)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_editable(False)

    def _load(self) -> None:
        self.load_requested.emit(self.region_edit.text().strip() or "default",
                                 self.type_combo.currentText())

    def _picked(self, index: QModelIndex) -> None:
        code = index.data(REGION_ROLE)
        if code is None:
            return
        self.region_edit.setText(str(code) or "default")
        self._load()

    def set_regions(self, model: QAbstractItemModel) -> None:
        self.tree.setModel(model)

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.step_chosen.emit(current.row()))

    def set_log_model(self, model: QAbstractItemModel) -> None:
        self.log.setModel(model)

    def set_editable(self, editable: bool) -> None:
        self.step_form.set_editable(editable)
        self.scope_form.set_editable(editable)
        self.save.setEnabled(editable)

    def set_busy(self, busy: bool) -> None:
        self.save.setEnabled(not busy)
