"""Choosing a technician for an order from ranked candidates, rule breaks in red."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.dispatch.tables import BREAKS_ROLE, LABEL_ROLE
from ui.plain_text import PlainLabel, message_box
from ui.roles import ID_ROLE, WARNING_ROLE

Confirm = Callable[[QWidget, str], bool]


def ask_yes_no(parent: QWidget, text: str) -> bool:
    box = message_box(
        QMessageBox.Icon.Question, QCoreApplication.translate("AssignDialog", "Assign anyway?"),
        text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes.value


def confirmation_text(name: str, breaks: list[str]) -> str:
    """The question before assigning a technician who breaks rules, each rule on its line."""
    rules = "\n".join(f"• {b}" for b in breaks)
    return QCoreApplication.translate(
        "AssignDialog", "{0} breaks these dispatch rules:\n{1}\nAssign anyway?").format(
        name, rules)


class AssignDialog(QDialog):
    """Shows a candidate model (ID_ROLE: technician id, WARNING_ROLE: breaks a rule,
    BREAKS_ROLE: which rules, LABEL_ROLE: the technician's name).

    Arrows move, Enter or double-click chooses. Choosing a rule-breaking candidate asks for
    confirmation first; each new list starts at #1. Signals: technicianChosen(int), then the
    dialog is accepted; allCitiesToggled(bool) when the agent asks for technicians of other
    cities too (off at first), for the owner to refill the model.
    """

    technicianChosen = Signal(int)
    allCitiesToggled = Signal(bool)

    def __init__(
        self,
        model: QAbstractItemModel,
        order_text: str = "",
        parent: QWidget | None = None,
        *,
        confirm: Confirm = ask_yes_no,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.resize(760, 360)
        self.confirm = confirm
        self._chosen: int | None = None
        self.heading = PlainLabel(self)
        self.heading.setWordWrap(True)
        self._order_text = order_text
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        model.modelReset.connect(self._from_the_top)
        self.all_cities = QCheckBox(self)
        self.all_cities.setObjectName("assignAllCities")
        self.all_cities.toggled.connect(self.allCitiesToggled)
        self.problem = PlainLabel(self)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.choose_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.all_cities)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._from_the_top()
        self.table.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Assign technician"))
        text = self.tr("Candidates, best first. Red rows break a dispatch rule.")
        self.heading.setText(f"{self._order_text}\n{text}" if self._order_text else text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Assign"))
        self.all_cities.setText(self.tr("Other &cities too"))

    def show_problem(self, text: str) -> None:
        """Why the list could not be refilled ('' hides the line)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _from_the_top(self) -> None:
        if self.table.model().rowCount() > 0:
            self.set_current_row(0)

    def chosen(self) -> int | None:
        return self._chosen

    def set_current_row(self, row: int) -> None:
        index = self.table.model().index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def choose_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._choose(index)

    def _activated(self, index: QModelIndex) -> None:
        self._choose(index)

    def _choose(self, index: QModelIndex) -> None:
        if self._chosen is not None:
            return  # Enter reaches both the table and the dialog's default button
        model = self.table.model()
        row = index.row()
        technician = model.index(row, 0).data(ID_ROLE)
        if technician is None:
            return
        first = model.index(row, 0)
        if first.data(WARNING_ROLE):
            text = confirmation_text(first.data(LABEL_ROLE) or first.data() or "",
                                     list(first.data(BREAKS_ROLE) or []))
            if not self.confirm(self, text):
                return
        self._chosen = int(technician)
        self.technicianChosen.emit(self._chosen)
        self.accept()
