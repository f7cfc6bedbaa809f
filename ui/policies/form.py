"""The form of one scope's dispatch policy: every setting with its effective value, where it
is inherited from, and a switch to set it here instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.plain_text import PlainLabel
from ui.policies import labels as names
from ui.policies.fields import (
    MAX_MINUTES,
    ChoicesEditor,
    FieldEditor,
    MoneyEditor,
    NumberEditor,
    RequirementsEditor,
    StagesEditor,
    WeightsEditor,
)
from ui.policies.points import PointInfo, PointsEditor

translate = QCoreApplication.translate
RED = "color: #c62828;"
GREY = "color: #666;"


def editor_for(field: str, parent: QWidget | None = None) -> FieldEditor:
    """The editor of one policy setting."""
    if field == "stages":
        return StagesEditor(parent)
    if field in ("point_shares", "point_capacity"):
        return PointsEditor(field == "point_shares", parent)
    if field in ("required_skills", "required_qualifications"):
        return RequirementsEditor(parent)
    if field == "escalate":
        return ChoicesEditor(names.escalate_labels(), parent)
    if field == "weights":
        return WeightsEditor(parent)
    if field == "grab_floor_fen":
        return MoneyEditor(parent)
    if field == "accept_minutes":
        return NumberEditor(1, MAX_MINUTES, translate("PolicyForm", " min"), parent=parent)
    if field == "max_refusals":
        return NumberEditor(0, 50, parent=parent)
    if field == "max_distance_km":
        return NumberEditor(0, 2000, translate("PolicyForm", " km"),
                            special=translate("PolicyForm", "No limit"), parent=parent)
    raise KeyError(field)


class PolicyForm(QWidget):
    """Load with what the scope sets itself and what it would inherit; `body()` is what to
    save: the settings switched to "set here", with their values.

    Signals: edited() on any change by the person.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyForm")
        self._editable = False
        self._inherited: dict[str, Any] = {}
        self._inherited_from: dict[str, str] = {}
        self._loaded: dict[str, Any] = {}
        self.error = PlainLabel(self)
        self.error.setObjectName("policyError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(RED)
        self.error.hide()
        self.labels: dict[str, QLabel] = {}
        self.overrides: dict[str, QCheckBox] = {}
        self.editors: dict[str, FieldEditor] = {}
        self.sources: dict[str, QLabel] = {}
        # Two columns, so the form fits a dock at 1366×768: the setting's name, its "set
        # here" switch and where its value comes from stacked on the left, the editor right.
        grid = QGridLayout()
        titles = names.field_labels()
        for row, field in enumerate(names.FIELDS):
            label = PlainLabel(titles[field], self)
            label.setWordWrap(True)
            override = QCheckBox(self.tr("Set here"), self)
            override.setObjectName(f"override_{field}")
            override.setToolTip(self.tr("Off: the value is inherited from the region above."))
            editor = editor_for(field, self)
            editor.setObjectName(f"editor_{field}")
            source = PlainLabel(self)
            source.setObjectName(f"source_{field}")
            source.setStyleSheet(GREY)
            source.setWordWrap(True)
            override.toggled.connect(lambda on, f=field: self._toggled(f, on))
            editor.edited.connect(self._edited)
            about = QVBoxLayout()
            about.setSpacing(2)
            for part in (label, override, source):
                about.addWidget(part)
            about.addStretch(1)
            grid.addLayout(about, row, 0)
            grid.addWidget(editor, row, 1)
            self.labels[field], self.overrides[field] = label, override
            self.editors[field], self.sources[field] = editor, source
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 150)
        grid.setVerticalSpacing(12)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addLayout(grid)
        layout.addStretch(1)

    def set_points(self, points: list[PointInfo]) -> None:
        """The region's service points, listed by the shares and capacity tables."""
        for field in ("point_shares", "point_capacity"):
            editor = self.editors[field]
            assert isinstance(editor, PointsEditor)
            editor.set_points(points)

    def load(self, own: Mapping[str, Any], inherited: Mapping[str, Any],
             inherited_from: Mapping[str, str], editable: bool) -> None:
        """`own`: what the scope sets; `inherited`: each setting's value without it;
        `inherited_from`: per setting, the name of the scope it would come from."""
        self._inherited, self._inherited_from = dict(inherited), dict(inherited_from)
        self._editable = editable
        for field in names.FIELDS:
            override, editor = self.overrides[field], self.editors[field]
            override.blockSignals(True)
            override.setChecked(field in own)
            override.blockSignals(False)
            override.setEnabled(editable)
            editor.blockSignals(True)
            editor.set_value(own[field] if field in own else inherited.get(field))
            editor.blockSignals(False)
            self._show_source(field)
        self._loaded = self.body()
        self.clear_error()

    def body(self) -> dict[str, Any]:
        return {f: self.editors[f].value() for f in names.FIELDS if self.overrides[f].isChecked()}

    def is_dirty(self) -> bool:
        return self.body() != self._loaded

    def problem(self) -> str:
        """Why the form cannot be saved yet ("" when it can)."""
        titles = names.field_labels()
        for field in names.FIELDS:
            said = self.editors[field].problem() if self.overrides[field].isChecked() else ""
            if said:
                return f"{titles[field]}: {said}"
        return ""

    def mark_error(self, field: str, message: str) -> None:
        """Show what the server refused, at the setting it names."""
        titles = names.field_labels()
        self.error.setText(f"{titles.get(field, field)}: {message}")
        self.error.show()
        if field in self.labels:
            self.labels[field].setStyleSheet(RED)

    def clear_error(self) -> None:
        self.error.hide()
        self.error.clear()
        for label in self.labels.values():
            label.setStyleSheet("")

    def _toggled(self, field: str, on: bool) -> None:
        if not on:  # back to inheriting: show what would apply
            editor = self.editors[field]
            editor.blockSignals(True)
            editor.set_value(self._inherited.get(field))
            editor.blockSignals(False)
        self._show_source(field)
        self._edited()

    def _show_source(self, field: str) -> None:
        here = self.overrides[field].isChecked()
        self.editors[field].setEnabled(self._editable and here)
        self.sources[field].setText(self.tr("Own value") if here else self.tr(
            "Inherited from {0}").format(self._inherited_from.get(field, "")))

    def _edited(self) -> None:
        self.clear_error()
        self.edited.emit()
