"""The grab pool monitor's face: the pool's counts, a status filter, and the offers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.id_table import IdTable, set_choices
from ui.plain_text import PlainLabel


class PoolCounts(QWidget):
    """One label per figure, so each can be read (and tested) on its own."""

    NAMES = ("open", "claimed", "expired", "withdrawn", "views", "claim_attempts", "below_floor")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QLabel] = {}
        for name in self.NAMES:
            label = PlainLabel(self)
            label.setObjectName(f"poolCount_{name}")
            row.addWidget(label)
            self.labels[name] = label
        row.addStretch(1)
        self._values = dict.fromkeys(self.NAMES, 0)
        self._show()

    def captions(self) -> dict[str, str]:
        return {
            "open": self.tr("Open: {0}"),
            "claimed": self.tr("Claimed: {0}"),
            "expired": self.tr("Expired: {0}"),
            "withdrawn": self.tr("Withdrawn: {0}"),
            "views": self.tr("Views: {0}"),
            "claim_attempts": self.tr("Claim attempts: {0}"),
            "below_floor": self.tr("Below floor: {0}"),
        }

    def set_counts(self, values: dict[str, int]) -> None:
        self._values = {name: int(values.get(name, 0)) for name in self.NAMES}
        self._show()

    def values(self) -> dict[str, int]:
        return dict(self._values)

    def _show(self) -> None:
        captions = self.captions()
        for name, label in self.labels.items():
            label.setText(captions[name].format(self._values[name]))
        below = self.labels["below_floor"]
        # Red only when there is something to look at.
        below.setStyleSheet("color: #c62828;" if self._values["below_floor"] else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)


class PoolMonitorView(QWidget):
    """Takes the offers model; emits what the agent asks for (keys are order ids).

    Signals: refreshRequested(); statusChanged(str) ('' = all); orderOpened(int) on a double
    click or Enter on an offer.
    """

    refreshRequested = Signal()
    statusChanged = Signal(str)
    orderOpened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poolMonitorView")
        self.counts = PoolCounts(self)
        self.status_label = PlainLabel(self)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("poolStatusFilter")
        self.status_label.setBuddy(self.status_combo)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName("poolTable")
        self.table.keyActivated.connect(self._activated)
        self.note = PlainLabel(self)  # "showing the newest N", when the list is cut
        filters = QHBoxLayout()
        filters.addWidget(self.status_label)
        filters.addWidget(self.status_combo)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._retranslate()

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)

    def set_status_options(self, options: list[tuple[str, str]], current: str) -> None:
        set_choices(self.status_combo, options, current)

    def status(self) -> str:
        return str(self.status_combo.currentData() or "")

    def set_counts(self, values: dict[str, int]) -> None:
        self.counts.set_counts(values)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def focus_current(self) -> None:
        self.table.setFocus()

    def _status_changed(self, _index: int) -> None:
        self.statusChanged.emit(self.status())

    def _activated(self, key: object) -> None:
        if isinstance(key, int):
            self.orderOpened.emit(key)

    def _retranslate(self) -> None:
        self.status_label.setText(self.tr("&Status:"))
        self.refresh_button.setText(self.tr("Refresh"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
