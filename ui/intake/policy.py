"""Forms for the intake settings: a client's policy, a blacklist entry. Each records why."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from core.text import says_something
from ui.form_dialog import FormDialog, Options
from ui.plain_text import PlainLabel

REASON_MAX = 500
PHONE_MAX = 32
ADDRESS_MAX = 500
MERGE_MAX_MINUTES = 1440


@dataclass(frozen=True)
class PolicyValues:
    """What the policy form edits (wire values: "auto_pass", "covered_only", ...)."""

    audit_mode: str
    coverage_mode: str
    merge_window_minutes: int
    review_threshold: int


def _reason_edit(parent: QWidget) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setObjectName("reasonEdit")
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(72)
    return edit


def _combo(parent: QWidget, name: str, options: Options, current: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for value, text in options:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class PolicyDialog(FormDialog):
    """A client's intake policy; OK once something changed and a reason is given."""

    def __init__(self, title: str, prompt: str, audit_options: Options,
                 coverage_options: Options, current: PolicyValues,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, prompt, parent)
        self._current = current
        self.audit_combo = _combo(self, "auditMode", audit_options, current.audit_mode)
        self.coverage_combo = _combo(self, "coverageMode", coverage_options,
                                     current.coverage_mode)
        self.merge_spin = QSpinBox(self)
        self.merge_spin.setObjectName("mergeWindow")
        self.merge_spin.setRange(0, MERGE_MAX_MINUTES)
        self.merge_spin.setSuffix(self.tr(" min"))
        self.merge_spin.setSpecialValueText(self.tr("No merging"))
        self.merge_spin.setValue(current.merge_window_minutes)
        self.threshold_spin = QSpinBox(self)
        self.threshold_spin.setObjectName("reviewThreshold")
        self.threshold_spin.setRange(1, 100)
        self.threshold_spin.setValue(current.review_threshold)
        self.threshold_note = PlainLabel(self)
        self.threshold_note.setWordWrap(True)
        self.threshold_note.setStyleSheet("color: #666;")
        self.reason_edit = _reason_edit(self)
        self.form.addRow(self.tr("Audit"), self.audit_combo)
        self.form.addRow(self.tr("Coverage"), self.coverage_combo)
        self.form.addRow(self.tr("Merge orders within"), self.merge_spin)
        self.form.addRow(self.tr("Review from risk score"), self.threshold_spin)
        self.form.addRow(self.threshold_note)
        self.form.addRow(self.tr("Reason"), self.reason_edit)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Save"))
        for combo in (self.audit_combo, self.coverage_combo):
            combo.currentIndexChanged.connect(self.validate)
        for spin in (self.merge_spin, self.threshold_spin):
            spin.valueChanged.connect(self.validate)
        self.audit_combo.currentIndexChanged.connect(self._audit_changed)
        self.reason_edit.textChanged.connect(self.validate)
        self._audit_changed()
        self.validate()

    def values(self) -> PolicyValues:
        return PolicyValues(
            audit_mode=str(self.audit_combo.currentData()),
            coverage_mode=str(self.coverage_combo.currentData()),
            merge_window_minutes=self.merge_spin.value(),
            review_threshold=self.threshold_spin.value(),
        )

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _audit_changed(self) -> None:
        # With every order reviewed by hand the threshold decides nothing; it is kept as it is.
        manual = self.audit_combo.currentData() == "manual"
        self.threshold_spin.setEnabled(not manual)
        self.threshold_note.setText(
            self.tr("Every order goes to the review queue; the threshold applies again when "
                    "risk-free orders pass automatically.") if manual else
            self.tr("Orders scoring at least this much wait in the review queue."))

    def problem(self) -> str:
        if self.values() == self._current:
            return self.tr("Nothing is changed yet.")
        if not says_something(self.reason()):
            return self.tr("Please give a reason.")
        if len(self.reason()) > REASON_MAX:
            return self.tr("At most 500 characters.")
        return ""


class BlacklistEntryDialog(FormDialog):
    """A phone, an address or both that fake orders come from, with why."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None, *,
                 phone: str = "", address: str = "", reason: str = "",
                 refused: str = "") -> None:
        """`refused`: why the server did not take these values (they are shown again)."""
        super().__init__(title, prompt, parent)
        self.refused = PlainLabel(refused, self)
        self.refused.setObjectName("blacklistRefused")
        self.refused.setWordWrap(True)
        self.refused.setStyleSheet("color: #c62828;")
        self.refused.setVisible(bool(refused))
        self.phone_edit = QLineEdit(phone, self)
        self.phone_edit.setObjectName("blacklistPhone")
        self.phone_edit.setMaxLength(PHONE_MAX)
        self.address_edit = QLineEdit(address, self)
        self.address_edit.setObjectName("blacklistAddress")
        self.address_edit.setMaxLength(ADDRESS_MAX)
        self.reason_edit = _reason_edit(self)
        self.reason_edit.setPlainText(reason)
        self.form.addRow(self.refused)
        self.form.addRow(self.tr("Phone"), self.phone_edit)
        self.form.addRow(self.tr("Address"), self.address_edit)
        self.form.addRow(self.tr("Reason"), self.reason_edit)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Add"))
        for edit in (self.phone_edit, self.address_edit):
            edit.textChanged.connect(self.validate)
        self.reason_edit.textChanged.connect(self.validate)
        self.validate()

    def phone(self) -> str:
        return self.phone_edit.text().strip()

    def address(self) -> str:
        return self.address_edit.text().strip()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def problem(self) -> str:
        if not self.phone() and not self.address():
            return self.tr("Give a phone, an address or both.")
        if not says_something(self.reason()):
            return self.tr("Please give a reason.")
        if len(self.reason()) > REASON_MAX:
            return self.tr("At most 500 characters.")
        return ""
