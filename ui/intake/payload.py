"""A stored message's raw payload: shown as it arrived (JSON pretty-printed), fixed and retried."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ui.form_dialog import FormDialog
from ui.plain_text import PlainLabel

HIGHLIGHT = QColor("#ffe082")


def pretty_payload(text: str) -> tuple[str, bool]:
    """(JSON indented with its Chinese readable, True), or (the text unchanged, False)."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return text, False
    try:
        value = json.loads(stripped)
    except ValueError:
        return text, False
    return json.dumps(value, ensure_ascii=False, indent=2), True


def json_problem(text: str) -> str:
    """Where the text stops being JSON ("" when it is JSON)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"{exc.lineno}:{exc.colno} {exc.msg}"
    return ""


def field_leaf(field: str) -> str:
    """The last name of a field path ("trade.receiver_address" -> "receiver_address")."""
    parts = [p for p in field.replace("[", ".").replace("]", "").split(".") if p]
    names = [p for p in parts if not p.isdigit()]
    return names[-1] if names else ""


class PayloadViewer(QPlainTextEdit):
    """Monospace, no wrapping: payloads are read (and fixed) as their platform wrote them."""

    def __init__(self, parent: QWidget | None = None, *, editable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("payloadViewer")
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setReadOnly(not editable)
        self.setTabChangesFocus(True)
        self.is_json = False

    def show_payload(self, text: str, field: str = "") -> None:
        """Show the payload, pretty-printed when it is JSON, with the named field marked."""
        shown, self.is_json = pretty_payload(text)
        self.setPlainText(shown)
        self.mark_field(field)

    def mark_field(self, field: str) -> bool:
        """Highlight the first place the field's name occurs; True if it was found."""
        leaf = field_leaf(field)
        self.setExtraSelections([])
        if not leaf:
            return False
        document = self.document()
        found = document.find(f'"{leaf}"') if self.is_json else QTextCursor()
        if found.isNull():
            found = document.find(leaf, 0, QTextDocument.FindFlag.FindWholeWords)
        if found.isNull():
            return False
        selection = QTextEdit.ExtraSelection()
        selection.cursor = found
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT)
        selection.format = fmt
        self.setExtraSelections([selection])
        cursor = QTextCursor(found)
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True


class RetryDialog(FormDialog):
    """Fix a dead letter's raw text and send it again (unchanged: it is sent as it was)."""

    def __init__(self, title: str, prompt: str, payload: str, field: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, prompt, parent)
        self.resize(720, 560)
        self.editor = PayloadViewer(self, editable=True)
        self.editor.setObjectName("retryEditor")
        self.editor.show_payload(payload, field)
        self._shown = self.editor.toPlainText()
        self.hint = PlainLabel(self)
        self.hint.setObjectName("retryHint")
        self.hint.setWordWrap(True)
        self.form.addRow(self.editor)
        self.form.addRow(self.hint)
        self.editor.textChanged.connect(self._edited)
        self.editor.textChanged.connect(self.validate)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Retry"))
        self._edited()
        self.validate()

    def payload(self) -> str | None:
        """The fixed text, or None when the agent changed nothing (the stored text is resent)."""
        text = self.editor.toPlainText()
        return None if text == self._shown else text

    def set_payload(self, text: str) -> None:
        self.editor.setPlainText(text)

    def _edited(self) -> None:
        text = self.editor.toPlainText()
        if text == self._shown:
            self.hint.setText(self.tr("Unchanged: the payload is sent again as it arrived."))
        elif self.editor.is_json and (where := json_problem(text)):
            # A note, not a block: the agent may be halfway through a fix.
            self.hint.setText(self.tr("This is no longer valid JSON (line:column {0}).").format(
                where))
        else:
            self.hint.setText(self.tr("The edited payload is sent in place of the original."))

    def problem(self) -> str:
        if not self.editor.toPlainText().strip():
            return self.tr("The payload is empty.")
        return ""
