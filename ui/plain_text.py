"""Text from the server, shown as written and never acted on.

Customer names, addresses, reasons and timeline text come from platforms and people: a label
must never render them as rich text (QLabel's default AutoText shows "<b>..</b>" bold and loads
"<img src=...>"), and control or bidi characters must not reorder or colour what is shown.
Every label of the console is a `PlainLabel`; table cells and tooltips go through `shown` and
`tooltip`. The characters neutralised are core.text's, the same rule the server refuses by.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from core.text import inert


def shown(text: object) -> str:
    """One line as a table cell or a title shows it: controls as pictures, breaks as ⏎."""
    return inert("" if text is None else str(text))


def shown_lines(text: object) -> str:
    """Like `shown`, keeping line breaks (labels that wrap, multi-line reasons)."""
    return inert("" if text is None else str(text), multiline=True)


def tooltip(text: object) -> str:
    """A tooltip that shows its text literally (Qt renders tooltips that look like HTML)."""
    lines = shown_lines(text)
    # Qt takes a tooltip for rich text when it looks like HTML; only then is it escaped.
    return GuiQt.convertFromPlainText(lines) if GuiQt.mightBeRichText(lines) else lines


class PlainLabel(QLabel):
    """A QLabel that shows its text as plain text, inert: `PlainLabel(parent)` or
    `PlainLabel(text, parent)`, as QLabel is made."""

    def __init__(self, text: str | QWidget | None = None, parent: QWidget | None = None) -> None:
        if not isinstance(text, str):  # PlainLabel(parent)
            parent, text = text, ""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str, /) -> None:
        super().setText(shown_lines(text))

    def setToolTip(self, text: str, /) -> None:
        super().setToolTip(tooltip(text))


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton, parent: QWidget | None) -> QMessageBox:
    """A message box whose text shows as plain text (it quotes server messages)."""
    box = QMessageBox(icon, shown(title), shown_lines(text), buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
