"""Editors of a dispatch policy's settings; each edits one wire value (JSON) of a policy body.

Every editor has `value()`, `set_value(value)`, `problem()` ("" when it can be saved) and the
signal edited() when the person changes it.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ui import labels
from ui.flow_layout import FlowLayout
from ui.plain_text import PlainLabel
from ui.policies import labels as names

MAX_MINUTES = 7 * 24 * 60
_SEPARATORS = re.compile(r"[、,，;；\s]+")


class FieldEditor(QWidget):
    edited = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def problem(self) -> str:
        return ""


def _together(holder: QWidget, *parts: QWidget) -> QWidget:
    """`parts` side by side in `holder`, which a flow layout keeps on one line."""
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        row.addWidget(part)
    return holder


class NumberEditor(FieldEditor):
    """A whole number: minutes, refusals, kilometres."""

    def __init__(self, low: int, high: int, suffix: str = "", special: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = QSpinBox(self)
        self.spin.setRange(low, high)
        self.spin.setSuffix(suffix)
        if special:
            self.spin.setSpecialValueText(special)  # shown at the lowest value
        self.spin.valueChanged.connect(lambda _v: self.edited.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))


class MoneyEditor(FieldEditor):
    """Yuan on screen, integer fen on the wire."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = QDoubleSpinBox(self)
        self.spin.setDecimals(2)
        self.spin.setRange(0.0, 1_000_000.0)
        self.spin.setPrefix("¥")
        self.spin.valueChanged.connect(lambda _v: self.edited.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def value(self) -> int:
        return round(self.spin.value() * 100)

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0) / 100)


class StagesEditor(FieldEditor):
    """Up to two automatic modes with their minutes, then always a person (the last stage).
    The stages wrap onto more lines where the editor is narrow (1366×768)."""

    STEPS = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.modes: list[QComboBox] = []
        self.minutes: list[QSpinBox] = []
        modes = names.mode_labels()
        for i in range(self.STEPS):
            stage = QWidget(self)
            combo = QComboBox(stage)
            combo.setObjectName(f"stageMode{i}")
            combo.addItem(self.tr("(none)"), "")
            for mode in ("auto", "grab"):
                combo.addItem(modes[mode], mode)
            spin = QSpinBox(stage)
            spin.setObjectName(f"stageMinutes{i}")
            spin.setRange(1, MAX_MINUTES)
            spin.setSuffix(self.tr(" min"))
            combo.currentIndexChanged.connect(self._changed)
            spin.valueChanged.connect(lambda _v: self.edited.emit())
            self.modes.append(combo)
            self.minutes.append(spin)
            layout.addWidget(_together(stage, combo, spin, PlainLabel("→", stage)))
        layout.addWidget(PlainLabel(modes["manual"], self))

    def _changed(self) -> None:
        for combo, spin in zip(self.modes, self.minutes, strict=True):
            spin.setVisible(bool(combo.currentData()))
        self.edited.emit()

    def value(self) -> list[dict[str, Any]]:
        stages: list[dict[str, Any]] = [
            {"mode": combo.currentData(), "minutes": spin.value()}
            for combo, spin in zip(self.modes, self.minutes, strict=True) if combo.currentData()
        ]
        return [*stages, {"mode": "manual", "minutes": None}]

    def set_value(self, value: Any) -> None:
        steps = [s for s in (value or []) if isinstance(s, dict) and s.get("mode") != "manual"]
        for i, (combo, spin) in enumerate(zip(self.modes, self.minutes, strict=True)):
            step = steps[i] if i < len(steps) else {}
            combo.setCurrentIndex(max(0, combo.findData(step.get("mode", ""))))
            spin.setValue(int(step.get("minutes") or 30))
        self._changed()

    def problem(self) -> str:
        chosen = [c.currentData() for c in self.modes if c.currentData()]
        if len(set(chosen)) != len(chosen):
            return self.tr("Each dispatch mode may appear once.")
        return ""


class RequirementsEditor(FieldEditor):
    """Names (skills or certificates) per service type, typed separated by 、 or commas."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for row, (kind, text) in enumerate(labels.service_type_labels().items()):
            edit = QLineEdit(self)
            edit.setObjectName(f"needs_{kind}")
            edit.setPlaceholderText(self.tr("none"))
            edit.textEdited.connect(lambda _t: self.edited.emit())
            layout.addWidget(PlainLabel(text, self), row, 0)
            layout.addWidget(edit, row, 1)
            self.edits[kind] = edit

    def value(self) -> dict[str, list[str]]:
        found = {kind: [n for n in _SEPARATORS.split(edit.text().strip()) if n]
                 for kind, edit in self.edits.items()}
        return {kind: list(dict.fromkeys(ns)) for kind, ns in found.items() if ns}

    def set_value(self, value: Any) -> None:
        given = dict(value or {})
        for kind, edit in self.edits.items():
            edit.setText("、".join(str(n) for n in given.get(kind, [])))


class ChoicesEditor(FieldEditor):
    """A check box per choice; the value is the sorted list of the checked ones."""

    def __init__(self, choices: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self, spacing=8)  # wraps where the editor is narrow
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for value, text in choices.items():
            box = QCheckBox(text, self)
            box.setObjectName(f"choice_{value}")
            box.toggled.connect(lambda _on: self.edited.emit())
            layout.addWidget(box)
            self.boxes[value] = box

    def value(self) -> list[str]:
        return sorted(v for v, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for v, box in self.boxes.items():
            box.setChecked(v in chosen)


class WeightsEditor(FieldEditor):
    """A weight 0-100 per goal; at least one above 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self, spacing=8)  # a goal and its weight wrap together
        layout.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QSpinBox] = {}
        for goal, text in names.goal_labels().items():
            pair = QWidget(self)
            spin = QSpinBox(pair)
            spin.setObjectName(f"weight_{goal}")
            spin.setRange(0, 100)
            spin.valueChanged.connect(lambda _v: self.edited.emit())
            layout.addWidget(_together(pair, PlainLabel(text, pair), spin))
            self.spins[goal] = spin

    def value(self) -> dict[str, int]:
        return {goal: spin.value() for goal, spin in self.spins.items()}

    def set_value(self, value: Any) -> None:
        given = dict(value or {})
        for goal, spin in self.spins.items():
            spin.setValue(int(given.get(goal, 0)))

    def problem(self) -> str:
        if not any(self.value().values()):
            return self.tr("At least one goal needs a weight above 0.")
        return ""
