"""The base of the console's small forms: a prompt, fields, an error line and OK/Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from ui.plain_text import PlainLabel

Options = list[tuple[str, str]]  # (raw value, display text) of a choice


class FormDialog(QDialog):
    """A titled form with OK/Cancel; OK is enabled only while the form is valid."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = PlainLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.form = QFormLayout()
        self.error = PlainLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def problem(self) -> str:
        """Why the form cannot be sent yet ("" when it can)."""
        return ""

    def validate(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        if not self.problem():
            super().accept()
