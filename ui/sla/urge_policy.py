"""The urging policy editor (催单规则): per step, whom each alert level urges — 预警 (notice),
警告 (warning), 严重 (breach) — and whether a breach takes the order back to manual dispatch;
the version shown and who changed it last, the change log, and a line that says plainly what
went wrong (a change someone else saved meanwhile). Keyboard: Tab through the choices, Ctrl+S
saves (a reason is asked for), F5 loads again, Esc closes.

Signals: save_requested(); reload_requested().
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import PlainLabel

LEVELS = ("notice", "warning", "severe")  # the policy's fields, in the columns' order


class StepRow:
    """One step's line: a target per level and the back-to-manual check."""

    def __init__(self, parent: QWidget, step: str, targets: Sequence[tuple[str, str]]) -> None:
        self.combos: dict[str, QComboBox] = {}
        for level in LEVELS:
            combo = QComboBox(parent)
            combo.setObjectName(f"urgePolicy_{step}_{level}")
            for value, name in targets:
                combo.addItem(name, value)
            self.combos[level] = combo
        self.to_manual = QCheckBox(parent)
        self.to_manual.setObjectName(f"urgePolicy_{step}_to_manual")

    def set(self, entry: Mapping[str, Any]) -> None:
        for level, combo in self.combos.items():
            combo.setCurrentIndex(max(combo.findData(entry.get(level)), 0))
        self.to_manual.setChecked(bool(entry.get("to_manual")))

    def entry(self) -> dict[str, Any]:
        return {**{level: combo.currentData() for level, combo in self.combos.items()},
                "to_manual": self.to_manual.isChecked()}

    def set_enabled(self, enabled: bool) -> None:
        for combo in self.combos.values():
            combo.setEnabled(enabled)
        self.to_manual.setEnabled(enabled)


class UrgePolicyView(QDialog):
    """A window of its own (not modal): the grid is built once the steps and targets are
    known (`set_choices`), then shows a policy body (`set_policy`) and reads it back
    (`policy`)."""

    save_requested = Signal()
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgePolicyEditor")
        self.setWindowTitle(self.tr("Urging policy"))
        self.rows: dict[str, StepRow] = {}
        self._editable = False
        self._busy = False
        self.grid = QGridLayout()
        for column, text in enumerate((self.tr("Step"), self.tr("Notice"),
                                       self.tr("Warning"), self.tr("Breach"),
                                       self.tr("Breach: back to manual dispatch"))):
            self.grid.addWidget(PlainLabel(text, self), 0, column)
        self.status = PlainLabel(self)
        self.status.setObjectName("urgePolicyStatus")
        self.problem = PlainLabel(self)
        self.problem.setObjectName("urgePolicyProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.log = QTableView(self)
        self.log.setObjectName("urgePolicyLog")
        self.log.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log.horizontalHeader().setStretchLastSection(True)
        self.save_button = QPushButton(self.tr("Save…"), self)
        self.save_button.setObjectName("urgePolicySave")
        self.reload_button = QPushButton(self.tr("Load again"), self)
        self.reload_button.setObjectName("urgePolicyReload")
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("urgePolicyClose")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.problem)
        layout.addWidget(PlainLabel(self.tr("Change log"), self))
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(lambda _checked=False: self.save_requested.emit())
        self.reload_button.clicked.connect(lambda _checked=False: self.reload_requested.emit())
        close.clicked.connect(lambda _checked=False: self.close())
        for keys, signal in ((QKeySequence.StandardKey.Save, self.save_requested),
                             (QKeySequence.StandardKey.Refresh, self.reload_requested)):
            shortcut = QShortcut(keys, self, signal.emit)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.resize(760, 520)
        self._update()

    # -- what the presenter sets -----------------------------------------------------------

    def set_choices(self, steps: Sequence[tuple[str, str]],
                    targets: Sequence[tuple[str, str]]) -> None:
        """The steps (value, name) as lines and the targets (value, name) in each choice."""
        if self.rows:
            return
        for line, (step, name) in enumerate(steps, start=1):
            row = StepRow(self, step, targets)
            self.rows[step] = row
            self.grid.addWidget(PlainLabel(name, self), line, 0)
            for column, level in enumerate(LEVELS, start=1):
                self.grid.addWidget(row.combos[level], line, column)
            self.grid.addWidget(row.to_manual, line, len(LEVELS) + 1,
                                Qt.AlignmentFlag.AlignCenter)
        self._update()

    def set_policy(self, body: Mapping[str, Any]) -> None:
        steps = body.get("steps", {})
        for step, row in self.rows.items():
            row.set(steps.get(step, {}))

    def policy(self) -> dict[str, Any]:
        return {"steps": {step: row.entry() for step, row in self.rows.items()}}

    def set_log_model(self, model: QAbstractItemModel) -> None:
        self.log.setModel(model)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _update(self) -> None:
        can = self._editable and not self._busy and bool(self.rows)
        for row in self.rows.values():
            row.set_enabled(self._editable and not self._busy)
        self.save_button.setEnabled(can)
        self.reload_button.setEnabled(not self._busy)
        self.problem.setVisible(bool(self.problem.text()))
