"""The desks' one layout: a list of keyed rows and the chosen row's detail, a bar over them
(counts, the desk's own filter, Refresh) and rows of action buttons under the detail.

A desk (verification review, follow-up calls, complaints, urges) subclasses `ListDetailView`
and says only what differs: its name (object names `<name>View`, `<name>Counts`,
`<name>Table`), its filter, its detail widget, its buttons and single keys, which key the shown
detail is about (`_shown_key`) and what Enter does (`_activated`). An action acts on the current
row only once its detail is shown and nothing is in flight (`_acting_on`), so a click or a key
never lands on a row the person has not seen."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable
from ui.plain_text import PlainLabel


class ListDetailView(QWidget):
    """A list (an `IdTable` keyed by int) and a detail, with counts, Refresh and actions.

    Signals: refreshRequested() (the button, or the platform's Refresh key);
    currentChanged(object) when the current row moves (its int key, or None), after the
    buttons were updated.
    """

    refreshRequested = Signal()
    currentChanged = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}View")
        self._name = name
        self._busy = False
        self.counts = PlainLabel(self)
        self.counts.setObjectName(f"{name}Counts")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.table = IdTable(self)
        self.table.setObjectName(f"{name}Table")
        self.table.keySelected.connect(self._selected)
        self.table.keyActivated.connect(lambda _key: self._activated())

    # -- for the desk's __init__ -----------------------------------------------------------

    def _button(self, name: str, slot: Callable[[], object], text: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _key(self, key: Qt.Key | str, slot: Callable[[], object]) -> QShortcut:
        """A single key while the keyboard is anywhere in the view (dialogs are windows of
        their own: typing a reason or a note never acts)."""
        return QShortcut(QKeySequence(key), self, slot,
                         context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _detail_label(self) -> PlainLabel:
        """A detail that is text: wrapped, selectable, named `<name>Detail`."""
        detail = PlainLabel(self)
        detail.setObjectName(f"{self._name}Detail")
        detail.setWordWrap(True)
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return detail

    @staticmethod
    def _row(left: Sequence[QWidget], right: Sequence[QWidget] = ()) -> QHBoxLayout:
        """A row of actions: `left` ones, a stretch, then `right` ones."""
        row = QHBoxLayout()
        for widget in left:
            row.addWidget(widget)
        row.addStretch(1)
        for widget in right:
            row.addWidget(widget)
        return row

    def _lay_out(self, detail: QWidget, rows: Sequence[QHBoxLayout], *,
                 tool: QWidget | QLayout | None = None, counts: bool = True,
                 beside: tuple[int, int] | None = None,
                 over: tuple[int, int] | None = None) -> None:
        """Put it together, then translate and enable: the bar (counts, `tool`, Refresh) on top,
        without counts when `counts` is False (`tool` then takes the room); the list beside
        (`beside`) or over (`over`) the detail in `self.splitter` with those stretch factors,
        else the detail under the list; the action rows under the detail."""
        bar = QHBoxLayout()
        if counts:
            bar.addWidget(self.counts, 1)
        else:
            self.counts.hide()
        if isinstance(tool, QLayout):
            bar.addLayout(tool, 0 if counts else 1)
        elif tool is not None:
            bar.addWidget(tool)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        split = beside or over
        if split is None:
            layout.addWidget(self.table, 1)
            layout.addWidget(detail)
            for row in rows:
                layout.addLayout(row)
        else:
            assert not (beside and over), "the list goes beside or over the detail, not both"
            orientation = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
            self.splitter = QSplitter(orientation, self)
            self.splitter.addWidget(self.table)
            self.splitter.addWidget(self._panel(detail, rows))
            self.splitter.setStretchFactor(0, split[0])
            self.splitter.setStretchFactor(1, split[1])
            layout.addWidget(self.splitter, 1)
        self._retranslate()
        self._update_buttons()

    def _panel(self, detail: QWidget, rows: Sequence[QHBoxLayout]) -> QWidget:
        """The splitter's second side: the detail, with the action rows under it if any."""
        if not rows:
            return detail
        panel = QWidget(self)
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(detail, 1)
        for row in rows:
            panel_layout.addLayout(row)
        return panel

    # -- what the presenter sets -----------------------------------------------------------

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)

    def set_counts(self, text: str) -> None:
        self.counts.setText(text)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def current_key(self) -> int | None:
        key = self.table.current_key()
        return key if isinstance(key, int) else None

    def select_key(self, key: int) -> bool:
        return self.table.select_key(key)

    def select_first(self) -> None:
        """The first row current when none is (the list comes most urgent first)."""
        model = self.table.model()
        if self.current_key() is None and model is not None and model.rowCount():
            self.table.selectRow(0)

    def focus_current(self) -> None:
        self.table.setFocus()

    # -- what a desk says ------------------------------------------------------------------

    def _shown_key(self) -> int | None:
        """The key of the row whose detail is shown (None: no detail)."""
        return None

    def _activated(self) -> None:
        """Enter or a double click on the current row."""

    def _update_buttons(self) -> None:
        """Enable what may be done now (`_acting_on`, `_busy`)."""

    def _retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))

    # -- inside ----------------------------------------------------------------------------

    def _acting_on(self) -> int | None:
        """The row an action is about: the current one, once its detail is shown."""
        key = self.current_key()
        if self._busy or key is None or self._shown_key() != key:
            return None
        return key

    def _act(self, signal: SignalInstance, *args: object) -> None:
        """Emit `signal(key, *args)` for the row `_acting_on`, if any."""
        key = self._acting_on()
        if key is not None:
            signal.emit(key, *args)

    def _selected(self, key: object) -> None:
        self._update_buttons()
        self.currentChanged.emit(key if isinstance(key, int) else None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
