"""The forms of a follow-up call that need more than a key: a problem (the complaint type and
what the customer said) and an unreachable customer (when to try again), and a supervisor's
ruling on a complaint (why)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from core.text import says_something
from ui.fieldwork.followup_labels import COMPLAINT_TYPES, complaint_labels
from ui.form_dialog import FormDialog
from ui.formatting import local_time
from ui.line_width import show_placeholder_whole
from ui.orders.action_dialogs import ReasonDialog, _aware, _shanghai_edit

MAX_NOTE = 500


class ProblemDialog(ReasonDialog):
    """The customer has a problem: which of the five kinds, and a note of what they said
    (both required). The order is frozen with its fee and an after-sales order opened."""

    def __init__(self, order_no: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Problem reported"),
            self.tr("Order {0}: the order is frozen with its fee and an after-sales order is "
                    "opened. What is the problem?").format(order_no), parent)
        self.setObjectName("followupProblemDialog")
        label = self.form.labelForField(self.reason_edit)
        if label is not None:
            label.setProperty("text", self.tr("Note"))

    def build(self) -> None:
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("complaintTypeCombo")
        self.type_combo.addItem(self.tr("Choose the complaint type…"), "")
        labels = complaint_labels()
        for kind in COMPLAINT_TYPES:
            self.type_combo.addItem(labels[kind], kind)
        self.type_combo.currentIndexChanged.connect(self.validate)
        self.form.addRow(self.tr("Complaint type"), self.type_combo)

    def complaint_type(self) -> str:
        return str(self.type_combo.currentData() or "")

    def set_complaint_type(self, kind: str) -> None:
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(kind)))

    def note(self) -> str:
        return self.reason()

    def problem(self) -> str:
        if not self.complaint_type():
            return self.tr("Please choose the complaint type.")
        if not says_something(self.note()):
            return self.tr("Please note what the customer said.")
        if len(self.note()) > MAX_NOTE:
            return self.tr("At most 500 characters.")
        return ""


class UnreachableDialog(FormDialog):
    """Nobody answered: when to call again (Beijing time; by default after the client's retry
    delay), before the review period ends, and an optional note."""

    def __init__(self, order_no: str, now: datetime, retry_at: datetime,
                 until: datetime | None, parent: QWidget | None = None) -> None:
        prompt = self.tr("Order {0}: the customer could not be reached. When should they be "
                         "called again? (Beijing time)").format(order_no)
        if until is not None:
            prompt += "\n" + self.tr("The review period ends {0}.").format(local_time(until))
        super().__init__(self.tr("Customer unreachable"), prompt, parent)
        self.setObjectName("followupUnreachableDialog")
        self._now, self._until = now, until
        self.retry_edit = _shanghai_edit(self, retry_at)
        self.retry_edit.setObjectName("retryEdit")
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("Optional: busy, switched off, …"))
        show_placeholder_whole(self.note_edit)
        self.form.addRow(self.tr("Call again at"), self.retry_edit)
        self.form.addRow(self.tr("Note"), self.note_edit)
        self.retry_edit.dateTimeChanged.connect(self.validate)
        self.note_edit.textChanged.connect(self.validate)
        self.validate()

    def retry_at(self) -> datetime:
        return _aware(self.retry_edit)

    def note(self) -> str:
        return self.note_edit.text().strip()

    def problem(self) -> str:
        at = self.retry_at()
        if at <= self._now:
            return self.tr("The next call must be in the future.")
        if self._until is not None and at > self._until:
            return self.tr("The next call must be before the review period ends.")
        if self.note() and not says_something(self.note()):
            return self.tr("The note needs visible characters.")
        if len(self.note()) > MAX_NOTE:
            return self.tr("At most 500 characters.")
        return ""


class RulingDialog(ReasonDialog):
    """A supervisor upholds a complaint (the order flagged and kept frozen, the technician's
    rating lowered) or dismisses it (the order back to review), with a reason."""

    def __init__(self, order_no: str, uphold: bool, parent: QWidget | None = None) -> None:
        if uphold:
            title = self.tr("Uphold complaint")
            prompt = self.tr("The complaint about order {0} is upheld: the order is flagged "
                             "and stays frozen, the technician's rating falls. Why?"
                             ).format(order_no)
        else:
            title = self.tr("Dismiss complaint")
            prompt = self.tr("The complaint about order {0} is dismissed: the order returns "
                             "to its review period. Why?").format(order_no)
        super().__init__(title, prompt, parent)
        self.setObjectName("complaintRulingDialog")
        self.uphold = uphold
