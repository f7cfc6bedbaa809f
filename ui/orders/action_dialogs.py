"""Small forms for actions that need more than a click: a reason, a time, a county, a type,
a refusal code, a dispatch mode, tags and a grab price."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from core.text import says_something
from ui.form_dialog import FormDialog, Options
from ui.formatting import SHANGHAI


class ReasonDialog(FormDialog):
    """Cancel, withdraw, unpin, freeze, unfreeze, after-sales: every such step records why.

    Subclasses add their fields with `add_row` before the reason (the reason comes last)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(title, prompt, parent)
        self.build()
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.form.addRow(self.tr("Reason"), self.reason_edit)
        self.reason_edit.textChanged.connect(self.validate)
        self.validate()

    def build(self) -> None:
        """Add fields above the reason (subclasses)."""

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def problem(self) -> str:
        if not says_something(self.reason()):
            return self.tr("Please give a reason.")
        if len(self.reason()) > 500:
            return self.tr("At most 500 characters.")
        return ""


def _shanghai_edit(parent: QWidget, at: datetime) -> QDateTimeEdit:
    local = at.astimezone(SHANGHAI)
    # The edit shows Beijing wall-clock time whatever the desk's own time zone is.
    edit = QDateTimeEdit(
        QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)),
        parent,
    )
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def _aware(edit: QDateTimeEdit) -> datetime:
    value = edit.dateTime()
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)


class AppointmentDialog(FormDialog):
    """The visit window agreed with the customer, in Beijing time."""

    def __init__(self, now: datetime, parent: QWidget | None = None,
                 start: datetime | None = None, end: datetime | None = None) -> None:
        super().__init__(self.tr("Make appointment"),
                         self.tr("When will the technician visit? (Beijing time)"), parent)
        if start is None:
            local = now.astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
            start = local + timedelta(hours=2)
        end = end or start + timedelta(hours=2)
        self.start_edit = _shanghai_edit(self, start)
        self.end_edit = _shanghai_edit(self, end)
        self._now = now
        self.form.addRow(self.tr("From"), self.start_edit)
        self.form.addRow(self.tr("To"), self.end_edit)
        self.start_edit.dateTimeChanged.connect(self.validate)
        self.end_edit.dateTimeChanged.connect(self.validate)
        self.validate()

    def visit_window(self) -> tuple[datetime, datetime]:
        """(start, end), timezone-aware."""
        return _aware(self.start_edit), _aware(self.end_edit)

    def set_window(self, start: datetime, end: datetime) -> None:
        for edit, at in ((self.start_edit, start), (self.end_edit, end)):
            local = at.astimezone(SHANGHAI)
            edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                       QTime(local.hour, local.minute)))

    def problem(self) -> str:
        start, end = self.visit_window()
        if end <= start:
            return self.tr("The end must be after the start.")
        if end < self._now:
            return self.tr("The window is in the past.")
        return ""


class ChoiceDialog(FormDialog):
    """One value out of a list: the county to place an order in, or its service type."""

    def __init__(self, title: str, prompt: str, options: Options, current: str = "",
                 parent: QWidget | None = None, *, editable: bool = False) -> None:
        super().__init__(title, prompt, parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(editable)
        self.combo.setMaxVisibleItems(25)
        for value, text in options:
            self.combo.addItem(text, value)
        at = self.combo.findData(current)
        self.combo.setCurrentIndex(at if at >= 0 else (0 if options else -1))
        self.form.addRow(self.combo)
        self.combo.currentIndexChanged.connect(self.validate)
        self.validate()

    def value(self) -> str:
        data = self.combo.currentData()
        return str(data) if data else ""

    def select(self, value: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(value))

    def problem(self) -> str:
        return "" if self.value() else self.tr("Please choose one.")


def _combo(parent: QWidget, options: Options, current: str = "") -> QComboBox:
    combo = QComboBox(parent)
    for value, text in options:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class CodedReasonDialog(ReasonDialog):
    """A reason with a code chosen from a list: a refusal's code, or the mode to move to."""

    def __init__(self, title: str, prompt: str, label: str, options: Options,
                 current: str = "", parent: QWidget | None = None) -> None:
        self._label, self._options, self._current = label, options, current
        super().__init__(title, prompt, parent)

    def build(self) -> None:
        self.combo = _combo(self, self._options, self._current)
        self.combo.setObjectName("codeCombo")
        self.form.addRow(self._label, self.combo)

    def code(self) -> str:
        data = self.combo.currentData()
        return str(data) if data else ""

    def select(self, value: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(value))


def fen_from_yuan(text: str) -> int | None:
    """'12.5' -> 1250 fen; None for '' ; ValueError for anything else (or more than 2 decimals)."""
    text = text.strip().replace(",", "").removeprefix("¥").strip()
    if not text:
        return None
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    fen = yuan * 100
    if yuan < 0 or fen != fen.to_integral_value():
        raise ValueError(text)
    return int(fen)


class MarkDialog(ReasonDialog):
    """The order's tags (urgent, VIP, incident, fee change) and a grab price in yuan."""

    def __init__(self, title: str, prompt: str, tags: Options, checked: list[str],
                 price_fen: int | None, parent: QWidget | None = None) -> None:
        self._tags, self._checked, self._price = tags, set(checked), price_fen
        super().__init__(title, prompt, parent)

    def build(self) -> None:
        row = QHBoxLayout()
        self.tag_boxes: dict[str, QCheckBox] = {}
        for value, text in self._tags:
            box = QCheckBox(text, self)
            box.setObjectName(f"tag_{value}")
            box.setChecked(value in self._checked)
            row.addWidget(box)
            self.tag_boxes[value] = box
        row.addStretch(1)
        self.form.addRow(self.tr("Tags"), row)
        self.price_edit = QLineEdit(self)
        self.price_edit.setObjectName("grabPrice")
        self.price_edit.setPlaceholderText(self.tr("yuan, e.g. 80 or 79.50"))
        if self._price is not None:
            self.price_edit.setText(f"{Decimal(self._price) / 100:.2f}")
        self.price_edit.textChanged.connect(lambda _t: self.validate())
        self.form.addRow(self.tr("Grab price (yuan)"), self.price_edit)

    def tags(self) -> list[str]:
        return [value for value, box in self.tag_boxes.items() if box.isChecked()]

    def price_fen(self) -> int | None:
        try:
            return fen_from_yuan(self.price_edit.text())
        except ValueError:
            return None

    def problem(self) -> str:
        try:
            fen_from_yuan(self.price_edit.text())
        except ValueError:
            return self.tr("The price must be an amount in yuan with at most two decimals.")
        return super().problem()
