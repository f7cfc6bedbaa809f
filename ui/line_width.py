"""How wide a line edit must be to show a text whole (its frame, margins and cursor counted)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QStyle


def width_for(edit: QLineEdit, text: str) -> int:
    """The width at which `edit` shows `text` without cutting it."""
    margins = edit.textMargins()
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    # Qt keeps 2 px each side of the text, and 2 more for the cursor at its end.
    return (edit.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right()
            + 2 * frame + 6)


def show_placeholder_whole(edit: QLineEdit) -> None:
    """An empty field's hint read whole: the edit is never narrower than its placeholder."""
    edit.setMinimumWidth(width_for(edit, edit.placeholderText()))
