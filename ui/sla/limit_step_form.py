"""The chosen step's editor in the time limits editor: our limit (how long, which clock, the
warn shares), when its clock starts, stops, pauses and resumes (events, by their Chinese names),
and the platform's own limit kept beside ours (how long, which clock, which published rule).
Two columns, so the whole editor fits a 1366×768 screen."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.line_width import show_placeholder_whole
from ui.plain_text import PlainLabel
from ui.sla.event_picker import EventPicker

MAX_MINUTES = 90 * 24 * 60
CONDITIONS = ("start", "stop", "pause", "resume")


class DueEdit(QWidget):
    """How long: minutes, or by the end of the agreed day (stacked: the editor stays narrow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setSuffix(self.tr(" min"))
        self.end_of_day = QCheckBox(self.tr("By the end of the agreed day"), self)
        row = QVBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.minutes)
        row.addWidget(self.end_of_day)
        self.end_of_day.toggled.connect(lambda on: self.minutes.setEnabled(not on))

    def set_enabled(self, on: bool) -> None:
        self.end_of_day.setEnabled(on)
        self.minutes.setEnabled(on and not self.end_of_day.isChecked())


def clock_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(parent.tr("Natural time"), "natural")
    combo.addItem(parent.tr("Business time"), "business")
    return combo


class StepForm(QWidget):
    """Widgets only; the presenter fills and reads them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due = DueEdit(self)
        self.minutes, self.end_of_day = self.due.minutes, self.due.end_of_day
        self.minutes.setObjectName("limitsMinutes")
        self.clock = clock_combo(self)
        self.clock.setObjectName("limitsClock")
        self.notice = QSpinBox(self)
        self.warning = QSpinBox(self)
        for box in (self.notice, self.warning):
            box.setRange(1, 99)
            box.setSuffix(" %")
        self.source = PlainLabel(self)
        self.source.setObjectName("limitsSource")
        self.events = {name: EventPicker(self) for name in CONDITIONS}
        for name, picker in self.events.items():
            picker.setObjectName(f"limitsEvents_{name}")
        self.has_platform = QCheckBox(self.tr("The platform sets a limit"), self)
        self.has_platform.setObjectName("limitsHasPlatform")
        self.platform_due = DueEdit(self)
        self.platform_clock = clock_combo(self)
        self.platform_rule = QLineEdit(self)
        self.platform_rule.setObjectName("limitsPlatformRule")
        self.platform_rule.setMaxLength(100)
        self.platform_rule.setPlaceholderText(self.tr("The published rule, e.g. 天猫家装安装规范"))
        show_placeholder_whole(self.platform_rule)

        ours = QFormLayout()
        ours.addRow(self.tr("Limit"), self.due)
        ours.addRow(self.tr("Clock"), self.clock)
        ours.addRow(self.tr("Notice at (预警)"), self.notice)
        ours.addRow(self.tr("Warning at (警告)"), self.warning)
        ours.addRow(self.tr("Comes from"), self.source)
        ours.addRow(self.has_platform)
        when = QFormLayout()
        when.addRow(self.tr("Starts at"), self.events["start"])
        when.addRow(self.tr("Stops at"), self.events["stop"])
        when.addRow(self.tr("Pauses at"), self.events["pause"])
        when.addRow(self.tr("Resumes at"), self.events["resume"])
        when.addRow(self.tr("Platform's limit"), self.platform_due)
        when.addRow(self.tr("Platform's clock"), self.platform_clock)
        when.addRow(self.tr("Platform's rule"), self.platform_rule)
        # In a narrow dock (1366×768) a label goes above its field rather than the form
        # pushing the region tree beside it down to a sliver.
        for half in (ours, when):
            half.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(ours, 1)
        layout.addLayout(when, 1)
        self.has_platform.toggled.connect(self._platform_enabled)
        self._editable = False

    def _platform_enabled(self, _on: bool = False) -> None:
        on = self._editable and self.has_platform.isChecked()
        self.platform_due.set_enabled(on)
        for widget in (self.platform_clock, self.platform_rule):
            widget.setEnabled(on)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.due.set_enabled(editable)
        for widget in (self.clock, self.notice, self.warning, self.has_platform,
                       *self.events.values()):
            widget.setEnabled(editable)
        self._platform_enabled()
