"""The supervisor board (时效看板): open warnings and breaches counted per region, step, service
point and technician; the open alerts by deadline (Enter or a double click opens the order);
on-time charts over a period, and the period's export as CSV or Excel.

Keyboard first: the alert list takes the keyboard when the board comes forward; Up/Down move,
Enter (or one click) opens the order; F5 refreshes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.sla.limit_types import STEP_WORDS
from ui.id_table import IdTable, set_choices
from ui.plain_text import PlainLabel
from ui.roles import ID_ROLE
from ui.sla.board_charts import OnTimeCharts

GROUPS = ("city", "county", "step", "service_point", "technician")


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class BoardView(QWidget):
    """Takes a tally model per group (set_group_model) and the alert model.

    Signals: refreshRequested(); orderOpened(int order id); filterChanged() when the region
    or step filter changes; periodChanged() when the chart period changes; exportRequested(str
    kind "csv"|"xlsx", str path) once a file is chosen; moreRequested() for the next page of
    alerts.
    """

    refreshRequested = Signal()
    orderOpened = Signal(int)
    periodChanged = Signal()
    filterChanged = Signal()
    moreRequested = Signal()
    exportRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slaBoardView")
        self.totals = PlainLabel(self)
        self.totals.setObjectName("boardTotals")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.region_edit = QLineEdit(self)
        self.region_edit.setObjectName("boardRegion")
        self.region_edit.setMaxLength(7)
        self.region_edit.setClearButtonEnabled(True)
        self.region_edit.editingFinished.connect(self._region_edited)
        self._region = ""
        self.step_combo = QComboBox(self)
        self.step_combo.setObjectName("boardStep")
        self.step_combo.currentIndexChanged.connect(lambda _i: self.filterChanged.emit())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("boardTabs")
        self.group_tables: dict[str, IdTable] = {}
        for group in GROUPS:
            table = IdTable(self.tabs)
            table.setObjectName(f"board_{group}")
            table.setSortingEnabled(False)
            self.group_tables[group] = table
            self.tabs.addTab(table, "")
        self.charts = OnTimeCharts(self.tabs)
        self.tabs.addTab(self.charts, "")
        self.alerts = IdTable(self)
        self.alerts.setObjectName("boardAlerts")
        self.alerts.keyActivated.connect(self._open)
        self.alerts.clicked.connect(lambda index: self._open(index.data(ID_ROLE)))  # one click
        self.start_edit = _date_edit(self, "boardStart")
        self.end_edit = _date_edit(self, "boardEnd")
        self.start_edit.dateChanged.connect(lambda _d: self.periodChanged.emit())
        self.end_edit.dateChanged.connect(lambda _d: self.periodChanged.emit())
        self.csv_button = QPushButton(self)
        self.csv_button.setObjectName("exportCsv")
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.xlsx_button = QPushButton(self)
        self.xlsx_button.setObjectName("exportXlsx")
        self.xlsx_button.clicked.connect(lambda: self._export("xlsx"))
        self.period_label = PlainLabel(self)
        self.more_button = QPushButton(self)
        self.more_button.setObjectName("boardMoreAlerts")
        self.more_button.setEnabled(False)
        self.more_button.clicked.connect(self.moreRequested)

        bar = QHBoxLayout()
        bar.addWidget(self.totals, 1)
        bar.addWidget(self.region_edit)
        bar.addWidget(self.step_combo)
        bar.addWidget(self.refresh_button)
        period = QHBoxLayout()
        period.addWidget(self.period_label)
        period.addWidget(self.start_edit)
        period.addWidget(self.end_edit)
        period.addStretch(1)
        period.addWidget(self.more_button)
        period.addWidget(self.csv_button)
        period.addWidget(self.xlsx_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tabs)
        split.addWidget(self.alerts)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(period)
        self.retranslate()

    def retranslate(self) -> None:
        titles = (self.tr("By city"), self.tr("By county"), self.tr("By step"),
                  self.tr("By service point"), self.tr("By technician"))
        for n, title in enumerate(titles):
            self.tabs.setTabText(n, title)
        self.tabs.setTabText(len(titles), self.tr("On-time rate"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.region_edit.setPlaceholderText(self.tr("Region adcode (all)"))
        set_choices(self.step_combo,
                    [("", self.tr("All steps")),
                     *((step, f"{zh} ({en})") for step, (zh, en) in STEP_WORDS.items())],
                    self.step_filter() or "")
        self.csv_button.setText(self.tr("Export CSV…"))
        self.xlsx_button.setText(self.tr("Export Excel…"))
        self.period_label.setText(self.tr("Period:"))
        self.more_button.setText(self.tr("More alerts"))
        self.charts.retranslate()

    # -- what the presenter sets ---------------------------------------------------------

    def set_group_model(self, group: str, model: QAbstractItemModel) -> None:
        self.group_tables[group].setModel(model)

    def set_alert_model(self, model: QAbstractItemModel) -> None:
        self.alerts.setModel(model)

    def set_totals(self, notice: int, warning: int, severe: int) -> None:
        self.totals.setText(self.tr("Open: {0} notices, {1} warnings, {2} breaches").format(
            notice, warning, severe))

    def set_more(self, more: bool) -> None:
        """Whether the alert list has a next page."""
        self.more_button.setEnabled(more)

    def set_period(self, start: date, end: date) -> None:
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def region_filter(self) -> str | None:
        """The region to count (an adcode), None: everywhere."""
        return self.region_edit.text().strip() or None

    def step_filter(self) -> str | None:
        if self.step_combo.currentIndex() < 0:
            return None
        return str(self.step_combo.currentData() or "") or None

    def period(self) -> tuple[date, date]:
        start, end = self.start_edit.date(), self.end_edit.date()
        return (date(start.year(), start.month(), start.day()),
                date(end.year(), end.month(), end.day()))

    def focus_current(self) -> None:
        self.alerts.setFocus()
        if self.alerts.model() is not None and self.alerts.model().rowCount() and (
                self.alerts.current_key() is None):
            self.alerts.selectRow(0)

    # -- inside --------------------------------------------------------------------------

    def _region_edited(self) -> None:
        if self.region_edit.text().strip() != self._region:
            self._region = self.region_edit.text().strip()
            self.filterChanged.emit()

    def _open(self, key: object) -> None:
        if isinstance(key, str) and key.split("|")[0].isdigit():
            self.orderOpened.emit(int(key.split("|")[0]))

    def choose_path(self, kind: str) -> str:
        """Where to save the export (a file dialog; tests replace it)."""
        start, end = self.period()
        suggested = f"sla-{start.isoformat()}-{end.isoformat()}.{kind}"
        pattern = self.tr("CSV (*.csv)") if kind == "csv" else self.tr("Excel (*.xlsx)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the period"), suggested,
                                              pattern)
        return path

    def _export(self, kind: str) -> None:
        path = self.choose_path(kind)
        if path:
            self.exportRequested.emit(kind, path)
