"""The queue's filters as a dispatcher meets them: ticking several states in one visit of the
menu, the needs-a-person switch, and counters that never move the table under the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ui.orders.filter_bar import FilterBar
from ui.orders.summary_bar import SummaryBar

STATES = [("new", "New"), ("dispatching", "Dispatching"), ("assigned", "Assigned"),
          ("frozen", "Frozen")]


def open_menu(qtbot: QtBot, bar: FilterBar) -> None:
    bar.state_menu.popup(bar.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(bar.state_menu.isVisible)


def test_the_state_menu_stays_open_while_states_are_ticked(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_state_options(STATES)
    bar.show()
    open_menu(qtbot, bar)
    menu = bar.state_menu
    for value in ("dispatching", "frozen"):
        action = bar._state_actions[value]
        with qtbot.waitSignal(bar.filtersChanged) as changed:
            where = menu.actionGeometry(action).center()
            QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=where)
        assert menu.isVisible()
    assert changed.args[0]["states"] == ["dispatching", "frozen"]
    # Unticking by keyboard too, still open; Esc closes.
    menu.setActiveAction(bar._state_actions["frozen"])
    QTest.keyClick(menu, Qt.Key.Key_Space)
    assert menu.isVisible() and bar.selected_states() == {"dispatching"}
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert bar.state_button.text() == "Dispatching"


def test_the_needs_a_person_switch_filters_and_is_restored(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.filtersChanged) as changed:
        bar.needs_person_button.click()
    assert changed.args[0]["needs_person"] is True
    bar.set_filters({"states": [], "needs_person": False})
    assert not bar.needs_person_button.isChecked()
    bar.set_filters({"needs_person": True})
    assert bar.needs_person_button.isChecked() and bar.filters()["needs_person"] is True


def test_counters_keep_their_place_as_counts_change(qtbot: QtBot) -> None:
    bar = SummaryBar()
    qtbot.addWidget(bar)
    bar.resize(360, 200)
    keys = [("", "All open"), ("dispatching", "Dispatching"), ("assigned", "Assigned"),
            ("appointed", "Appointed"), ("frozen", "Frozen"), ("served", "Served")]
    bar.set_counts([(k, label, 1) for k, label in keys])
    bar.show()
    qtbot.waitExposed(bar)
    before = {k: bar._buttons[k].geometry() for k, _ in keys}
    height = bar.heightForWidth(bar.width())
    bar.set_counts([(k, label, 10_000 + n) for n, (k, label) in enumerate(keys)])
    QTest.qWait(0)  # let the layout run; nothing may have moved
    assert {k: bar._buttons[k].geometry() for k, _ in keys} == before
    assert bar.heightForWidth(bar.width()) == height
    assert bar.text_of("frozen") == "Frozen 10004"
