"""Queue filters: states (multi-select), needs a person, region, service type, platform and a
search box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ui.orders.state_menu import StayOpenMenu
from ui.orders.views_menu import SavedViewsButton

SEARCH_DEBOUNCE_MS = 250
Options = list[tuple[str, str]]  # (raw value, display text)


class FilterBar(QWidget):
    """Signals: filtersChanged(dict) with keys states, region, service_type, platform, text,
    needs_person."""

    filtersChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._quiet = False
        self.state_button = QToolButton(self)
        self.state_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.state_menu = StayOpenMenu(self.state_button)
        self.state_button.setMenu(self.state_menu)
        self._state_actions: dict[str, QAction] = {}
        # The orders waiting for a person (escalated, refused, no candidate, manual mode).
        self.needs_person_button = QToolButton(self)
        self.needs_person_button.setObjectName("needsPersonButton")
        self.needs_person_button.setCheckable(True)
        self.needs_person_button.toggled.connect(self._changed)
        self.region_combo = QComboBox(self)
        self.service_combo = QComboBox(self)
        self.platform_combo = QComboBox(self)
        for combo in (self.region_combo, self.service_combo, self.platform_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._changed)
        self.region_combo.setMaxVisibleItems(25)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        # Typing in a 100,000-row queue re-filters on every key otherwise.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._changed)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self._flush_search)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.state_button)
        layout.addWidget(self.needs_person_button)
        layout.addWidget(self.region_combo)
        layout.addWidget(self.service_combo)
        layout.addWidget(self.platform_combo)
        layout.addWidget(self.search_edit, 1)
        self.views_button = SavedViewsButton(self)
        layout.addWidget(self.views_button)
        self.retranslate()

    def retranslate(self) -> None:
        if hasattr(self, "views_button"):
            self.views_button.retranslate()
        self.search_edit.setPlaceholderText(self.tr("Search order no., customer, county"))
        self.needs_person_button.setText(self.tr("Needs a person"))
        # The keys are ui.orders.queue_keys'; said here where the mouse goes.
        for widget, tip in (
            (self.needs_person_button,
             self.tr("Only the orders that wait for a person to dispatch them (Ctrl+Shift+N)")),
            (self.state_button, self.tr("States; the menu stays open while you tick "
                                        "(Ctrl+Shift+S)")),
            (self.region_combo, self.tr("Region (Ctrl+Shift+R)")),
            (self.service_combo, self.tr("Service type (Ctrl+Shift+T)")),
            (self.platform_combo, self.tr("Platform (Ctrl+Shift+P)")),
            (self.search_edit, self.tr("Search (Ctrl+F); Ctrl+0 clears every filter")),
        ):
            widget.setToolTip(tip)
        self._update_state_button()
        for combo, text in (
            (self.region_combo, self.tr("All regions")),
            (self.service_combo, self.tr("All services")),
            (self.platform_combo, self.tr("All platforms")),
        ):
            if combo.count():
                combo.setItemText(0, text)

    # -- options -------------------------------------------------------------------------

    def set_state_options(self, options: Options) -> None:
        selected = self.selected_states()
        self.state_menu.clear()
        self._state_actions.clear()
        for value, text in options:
            action = self.state_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value in selected)
            action.toggled.connect(self._states_toggled)
            self._state_actions[value] = action
        self._update_state_button()

    def set_region_options(self, options: Options) -> None:
        self._fill(self.region_combo, self.tr("All regions"), options)

    def set_service_options(self, options: Options) -> None:
        self._fill(self.service_combo, self.tr("All services"), options)

    def set_platform_options(self, options: Options) -> None:
        self._fill(self.platform_combo, self.tr("All platforms"), options)

    def _fill(self, combo: QComboBox, everything: str, options: Options) -> None:
        current = combo.currentData() or ""
        self._quiet = True
        try:
            combo.clear()
            combo.addItem(everything, "")
            for value, text in options:
                combo.addItem(text, value)
            at = combo.findData(current)
            combo.setCurrentIndex(max(at, 0))
        finally:
            self._quiet = False

    # -- values --------------------------------------------------------------------------

    def selected_states(self) -> set[str]:
        return {value for value, a in self._state_actions.items() if a.isChecked()}

    def filters(self) -> dict[str, Any]:
        return {
            "states": sorted(self.selected_states()),
            "region": self.region_combo.currentData() or "",
            "service_type": self.service_combo.currentData() or "",
            "platform": self.platform_combo.currentData() or "",
            "text": self.search_edit.text(),
            "needs_person": self.needs_person_button.isChecked(),
        }

    def set_filters(self, values: dict[str, Any]) -> None:
        """Show these filters (e.g. restored from settings), then emit filtersChanged once."""
        self._quiet = True
        try:
            states = set(values.get("states") or [])
            for value, action in self._state_actions.items():
                action.setChecked(value in states)
            for combo, key in (
                (self.region_combo, "region"),
                (self.service_combo, "service_type"),
                (self.platform_combo, "platform"),
            ):
                combo.setCurrentIndex(max(combo.findData(values.get(key) or ""), 0))
            self.search_edit.setText(str(values.get("text") or ""))
            self.needs_person_button.setChecked(values.get("needs_person") is True)
            self._debounce.stop()
        finally:
            self._quiet = False
        self._update_state_button()
        self._changed()

    def clear(self) -> None:
        """Every filter off: the whole queue."""
        self.set_filters({})

    def _states_toggled(self) -> None:
        self._update_state_button()
        self._changed()

    def _update_state_button(self) -> None:
        chosen = [a.text() for a in self._state_actions.values() if a.isChecked()]
        if not chosen:
            self.state_button.setText(self.tr("All states"))
        elif len(chosen) <= 2:
            self.state_button.setText(" + ".join(chosen))
        else:
            self.state_button.setText(self.tr("{0} states").format(len(chosen)))

    def _flush_search(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._changed()

    def _changed(self) -> None:
        if not self._quiet:
            self.filtersChanged.emit(self.filters())
