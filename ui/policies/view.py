"""The dispatch policies workspace (派单策略): a region tree, the selected scope's form, the
log of its changes."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable
from ui.plain_text import PlainLabel
from ui.policies.form import PolicyForm
from ui.roles import ID_ROLE


class PolicyView(QWidget):
    """Takes a region tree model (scope in ID_ROLE) and a log model; emits what the person asks.

    Signals: shown() when it comes on screen; scopeSelected(str scope, '' = default);
    saveRequested(); revertRequested(); removeRequested() (the scope inherits everything again).
    """

    shown = Signal()
    scopeSelected = Signal(str)
    saveRequested = Signal()
    revertRequested = Signal()
    removeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyView")
        self._editable = False
        self._busy = False
        self._removable = False
        self._loaded = False
        self.tree = QTreeView(self)
        self.tree.setObjectName("policyTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.title = PlainLabel(self)
        self.title.setObjectName("scopeTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.subtitle = PlainLabel(self)
        self.subtitle.setObjectName("scopeSubtitle")
        self.subtitle.setStyleSheet("color: #666;")
        self.note = PlainLabel(self)
        self.note.setObjectName("policyNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        self.form = PolicyForm(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.save_button = QPushButton(self.tr("&Save…"), self)
        self.save_button.setObjectName("savePolicyButton")
        self.revert_button = QPushButton(self.tr("Re&vert"), self)
        self.revert_button.setObjectName("revertPolicyButton")
        self.remove_button = QPushButton(self.tr("&Inherit everything…"), self)
        self.remove_button.setObjectName("removePolicyButton")
        self.remove_button.setToolTip(self.tr("Remove this region's own settings"))
        self.problem = PlainLabel(self)
        self.problem.setObjectName("policyProblem")
        self.problem.setStyleSheet("color: #c62828;")
        self.save_button.clicked.connect(self.saveRequested)
        self.revert_button.clicked.connect(self.revertRequested)
        self.remove_button.clicked.connect(self.removeRequested)
        self.form.edited.connect(self._update)
        self.log_table = IdTable(self)
        self.log_table.setObjectName("policyLogTable")
        log_box = QGroupBox(self.tr("Changes"), self)
        QVBoxLayout(log_box).addWidget(self.log_table)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.revert_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addWidget(self.problem, 1)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addWidget(self.note)
        column.addWidget(scroll, 1)
        column.addLayout(buttons)
        editing = QSplitter(Qt.Orientation.Vertical, self)
        editing.addWidget(right)
        editing.addWidget(log_box)
        editing.setStretchFactor(0, 4)
        editing.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(editing)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 800])  # at 1366×768 the form needs the room, the tree less
        QVBoxLayout(self).addWidget(splitter)
        self._update()

    def set_models(self, tree: QAbstractItemModel, log: QAbstractItemModel) -> None:
        self.tree.setModel(tree)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.log_table.setModel(log)

    def select_scope(self, index: QModelIndex) -> None:
        self.tree.setCurrentIndex(index)

    def current_scope(self) -> str | None:
        index = self.tree.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def set_header(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)

    def set_editable(self, editable: bool) -> None:
        """Supervisors and administrators change policies; agents read them."""
        self._editable = editable
        self.note.setText("" if editable else self.tr(
            "Read only: supervisors and administrators change dispatch policies."))
        self.note.setVisible(not editable)
        for button in (self.save_button, self.revert_button, self.remove_button):
            button.setVisible(editable)
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def set_loaded(self, loaded: bool, removable: bool) -> None:
        """A scope's policy is on the form; `removable`: it sets something of its own."""
        self._loaded, self._removable = loaded, removable
        self._update()

    def _update(self) -> None:
        can = self._editable and self._loaded and not self._busy
        problem = self.form.problem() if can else ""
        self.problem.setText(problem)
        dirty = self.form.is_dirty()
        self.save_button.setEnabled(can and dirty and not problem)
        self.revert_button.setEnabled(can and dirty)
        self.remove_button.setEnabled(can and self._removable and not dirty)

    def _current_changed(self, current: QModelIndex | QPersistentModelIndex,
                         _previous: QModelIndex | QPersistentModelIndex) -> None:
        if current.isValid():
            self.scopeSelected.emit(str(current.data(ID_ROLE)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.shown.emit()
