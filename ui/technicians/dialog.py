"""The form for a technician's dispatch settings: capacity, skills, certificates, active, why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.text import says_something
from ui.plain_text import PlainLabel

MAX_CAPACITY = 200
MAX_NAMES = 30
MAX_REASON = 500
# Commas (half and full width), the enumeration comma 、 and semicolons separate names.
_SEPARATORS = re.compile(r"[,，、;；\n]")


def split_names(text: str) -> list[str]:
    """'aircon、 washer, aircon' -> ['aircon', 'washer']: trimmed, no empties, no repeats."""
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class TechnicianSettings:
    daily_capacity: int
    skills: list[str] = field(default_factory=list)
    qualifications: list[str] = field(default_factory=list)
    active: bool = True

    def changes_from(self, before: TechnicianSettings) -> dict[str, object]:
        """The fields that differ from `before` (what a PATCH sends)."""
        return {name: value for name, value in vars(self).items()
                if value != getattr(before, name)}


class TechnicianDialog(QDialog):
    """Edits one technician's settings; OK only while something changed and a reason is given.

    `error` shows what the server refused (the form keeps what was typed).
    """

    def __init__(self, name: str, current: TechnicianSettings,
                 typed: TechnicianSettings | None = None, reason: str = "",
                 history: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("technicianDialog")
        self.setWindowTitle(self.tr("Dispatch settings of {0}").format(name))
        self._current = current
        shown = typed or current
        self.prompt = PlainLabel(self.tr("Dispatch uses the new settings from its next round. "
                                     "Separate names with commas or 、."), self)
        self.prompt.setWordWrap(True)
        self.capacity = QSpinBox(self)
        self.capacity.setObjectName("capacitySpin")
        self.capacity.setRange(0, MAX_CAPACITY)
        self.capacity.setValue(max(0, min(shown.daily_capacity, MAX_CAPACITY)))
        self.skills = QLineEdit("、".join(shown.skills), self)
        self.skills.setObjectName("skillsEdit")
        self.qualifications = QLineEdit("、".join(shown.qualifications), self)
        self.qualifications.setObjectName("qualificationsEdit")
        self.active = QCheckBox(self.tr("Takes orders"), self)
        self.active.setObjectName("activeCheck")
        self.active.setChecked(shown.active)
        self.reason_edit = QPlainTextEdit(reason, self)
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.history = PlainLabel("\n".join(history or []), self)
        self.history.setObjectName("technicianHistory")
        self.history.setWordWrap(True)
        self.history.setVisible(bool(history))
        self.error = PlainLabel(self)
        self.error.setObjectName("technicianError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Daily capacity"), self.capacity)
        form.addRow(self.tr("Skills"), self.skills)
        form.addRow(self.tr("Certificates"), self.qualifications)
        form.addRow("", self.active)
        form.addRow(self.tr("Reason"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addWidget(self.history)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._refused = ""
        for signal in (self.capacity.valueChanged, self.skills.textChanged,
                       self.qualifications.textChanged, self.active.toggled,
                       self.reason_edit.textChanged):
            signal.connect(self.validate)
        self.validate()

    def settings(self) -> TechnicianSettings:
        return TechnicianSettings(self.capacity.value(), split_names(self.skills.text()),
                                  split_names(self.qualifications.text()),
                                  self.active.isChecked())

    def changes(self) -> dict[str, object]:
        return self.settings().changes_from(self._current)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def show_refusal(self, message: str) -> None:
        """What the server said about the last try; shown until the form is changed."""
        self._refused = message
        self.validate()

    def problem(self) -> str:
        typed = self.settings()
        for label, names in ((self.tr("skills"), typed.skills),
                             (self.tr("certificates"), typed.qualifications)):
            if len(names) > MAX_NAMES:
                return self.tr("At most {0} {1}.").format(MAX_NAMES, label)
        if not self.changes():
            return self.tr("Nothing is changed yet.")
        if not says_something(self.reason()):
            return self.tr("Please give a reason.")
        if len(self.reason()) > MAX_REASON:
            return self.tr("At most 500 characters.")
        return ""

    def validate(self) -> None:
        problem = self.problem()
        if self._refused and self.sender() is not None:
            self._refused = ""  # the person is changing the form: the old refusal is done
        self.error.setText(self._refused or problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        if not self.problem():
            super().accept()
