"""The queue's keyboard: everything the mouse does there, on a key. Active while the focus is in
the queue (its table or filter bar), so the same keys stay free for other docks.

    Ctrl+F          search box              Ctrl+L          the list (the table)
    Ctrl+Shift+S    states menu             Ctrl+Shift+N    needs a person on / off
    Ctrl+Shift+R    region list             Ctrl+Shift+T    service type list
    Ctrl+Shift+P    platform list           Ctrl+0          clear every filter
    Ctrl+1 ... 9    saved view 1 ... 9      Ctrl+Shift+V    save the filters as a view
    Ctrl+Shift+O    sort by the current column (again: the other way)
    Ctrl+Shift+D    back to the default order
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox

from ui.orders.views_menu import MAX_KEYED, view_key

if TYPE_CHECKING:
    from ui.orders.queue_view import QueueView


def install_queue_keys(view: QueueView) -> dict[str, QShortcut]:
    """Create the queue's shortcuts on `view`; returned by name (tests press them by name)."""
    bar = view.filter_bar
    table = view.table
    keys: dict[str, QShortcut] = {}

    def key(name: str, sequence: str | QKeySequence, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(sequence), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        keys[name] = shortcut

    def open_states() -> None:
        button = bar.state_button
        bar.state_menu.popup(button.mapToGlobal(QPoint(0, button.height())))
        actions = bar.state_menu.actions()
        if actions:
            bar.state_menu.setActiveAction(actions[0])

    def drop_down(combo: QComboBox) -> Callable[[], None]:
        def show() -> None:
            combo.setFocus()
            combo.showPopup()
        return show

    def apply_view(position: int) -> Callable[[], None]:
        def apply() -> None:
            if position < len(bar.views_button.names()):
                bar.views_button.applyRequested.emit(position)
        return apply

    def sort_current() -> None:
        column = max(table.currentIndex().column(), 0)
        header = table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = ascending
        if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == ascending:
            order = Qt.SortOrder.DescendingOrder
        table.sortByColumn(column, order)

    def default_order() -> None:
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)

    key("list", "Ctrl+L", table.setFocus)
    key("states", "Ctrl+Shift+S", open_states)
    key("needs_person", "Ctrl+Shift+N", bar.needs_person_button.toggle)
    key("region", "Ctrl+Shift+R", drop_down(bar.region_combo))
    key("service", "Ctrl+Shift+T", drop_down(bar.service_combo))
    key("platform", "Ctrl+Shift+P", drop_down(bar.platform_combo))
    key("clear", "Ctrl+0", bar.clear)
    key("save_view", "Ctrl+Shift+V", bar.views_button.ask_name)
    key("sort", "Ctrl+Shift+O", sort_current)
    key("default_order", "Ctrl+Shift+D", default_order)
    for n in range(MAX_KEYED):
        key(f"view_{n + 1}", view_key(n), apply_view(n))
    return keys
