"""The desks' shared layout (ui.list_detail) offscreen, through a small desk of its own: the bar,
the list beside or over the detail, selection signalled after the buttons follow it, an action
only on the row whose detail is shown and never while busy (button or single key), Enter, and
the base's strings translated in the desk's own context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt, QTranslator, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QCheckBox, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from ui.fieldwork.review import ReviewView
from ui.list_detail import ListDetailView
from ui.roles import ID_ROLE


class ThingView(ListDetailView):
    """A desk of things: a detail text, Do (D) for the shown thing, Enter opens it."""

    doRequested = Signal(int, str)
    opened = Signal(int)

    def __init__(self, beside: tuple[int, int] | None = None,
                 over: tuple[int, int] | None = None, counts: bool = True) -> None:
        super().__init__("thing")
        self.shown: int | None = None
        self.only = QCheckBox("only", self)
        self.detail = self._detail_label()
        self.do_button = self._button("doButton", lambda: self._act(self.doRequested, "b"))
        self.do_key = self._key(Qt.Key.Key_D, lambda: self._act(self.doRequested, "k"))
        self._lay_out(self.detail, [self._row([self.do_button])], tool=self.only,
                      counts=counts, beside=beside, over=over)

    def show_thing(self, key: int | None) -> None:
        self.shown = key
        self.detail.setText(f"thing {key}" if key is not None else "")
        self._update_buttons()

    def _shown_key(self) -> int | None:
        return self.shown

    def _activated(self) -> None:
        if self.shown is not None:
            self.opened.emit(self.shown)

    def _update_buttons(self) -> None:
        self.do_button.setEnabled(self._acting_on() is not None)


def things(*keys: int) -> QStandardItemModel:
    model = QStandardItemModel(0, 1)
    for key in keys:
        item = QStandardItem(f"thing {key}")
        item.setData(key, ID_ROLE)
        model.appendRow(item)
    return model


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ThingView]:
    view = ThingView()
    qtbot.addWidget(view)
    view.set_model(things(7, 8))
    view.show()
    qtbot.waitExposed(view)
    yield view


def test_the_bar_the_list_and_the_detail_are_named_and_placed(qtbot: QtBot,
                                                              view: ThingView) -> None:
    assert view.objectName() == "thingView"
    assert view.counts.objectName() == "thingCounts"
    assert view.table.objectName() == "thingTable"
    assert view.detail.objectName() == "thingDetail"
    view.set_counts("<b>2</b> things")
    assert view.counts.text() == "<b>2</b> things"  # plain text, as written
    assert view.refresh_button.text() == "Refresh"
    # The bar: counts, the desk's filter, Refresh, in a row over the list.
    counts, only, refresh = (w.geometry() for w in (view.counts, view.only, view.refresh_button))
    assert counts.right() < only.left() < refresh.left()
    assert max(counts.bottom(), refresh.bottom()) < view.table.geometry().top()
    with qtbot.waitSignal(view.refreshRequested):
        view.refresh_button.click()
    # Stacked: the detail under the list, no splitter.
    assert view.detail.geometry().top() > view.table.geometry().bottom()
    assert view.findChild(QSplitter) is None


def test_beside_puts_the_list_and_the_detail_in_a_splitter(qtbot: QtBot) -> None:
    view = ThingView(beside=(2, 3))
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    right = view.splitter.widget(1)
    assert right is not None and view.splitter.widget(0) is view.table
    assert right.isAncestorOf(view.detail)
    assert right.isAncestorOf(view.do_button)  # the actions under the detail, on the right

    def placed(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(view, QPoint(0, 0)), widget.size())

    assert placed(view.detail).left() > placed(view.table).right()
    assert placed(view.do_button).top() > placed(view.detail).top()
    assert (view.table.sizePolicy().horizontalStretch(),
            right.sizePolicy().horizontalStretch()) == (2, 3)


def test_over_puts_the_list_over_the_detail_and_a_bar_may_go_without_counts(
        qtbot: QtBot) -> None:
    view = ThingView(over=(3, 2), counts=False)
    qtbot.addWidget(view)
    view.resize(500, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.splitter.orientation() == Qt.Orientation.Vertical
    assert view.splitter.widget(0) is view.table
    below = view.splitter.widget(1)
    assert below is not None and below.isAncestorOf(view.detail)
    assert below.mapTo(view, QPoint(0, 0)).y() > view.table.geometry().bottom()
    assert (view.table.sizePolicy().verticalStretch(),
            below.sizePolicy().verticalStretch()) == (3, 2)
    # No counts: the desk's tool starts the bar.
    assert not view.counts.isVisible()
    assert view.only.geometry().left() < view.refresh_button.geometry().left()


def test_selection_is_signalled_after_the_buttons_follow_it(qtbot: QtBot,
                                                            view: ThingView) -> None:
    seen: list[tuple[object, bool]] = []
    view.currentChanged.connect(lambda key: seen.append((key, view.do_button.isEnabled())))
    view.show_thing(7)
    view.select_first()
    assert view.current_key() == 7 and seen == [(7, True)]
    assert view.select_key(8) and seen[-1] == (8, False)  # thing 7's detail still shown
    assert not view.select_key(99) and view.current_key() == 8


def test_an_action_lands_only_on_the_shown_current_row_and_never_while_busy(
        qtbot: QtBot, view: ThingView) -> None:
    done: list[tuple[int, str]] = []
    view.doRequested.connect(lambda key, how: done.append((key, how)))
    view.select_first()
    view.focus_current()
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    assert done == [] and not view.do_button.isEnabled()  # nothing shown yet
    view.show_thing(7)
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    view.do_button.click()
    assert done == [(7, "k"), (7, "b")]
    view.set_busy(True)
    assert not view.do_button.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    assert done == [(7, "k"), (7, "b")]
    view.set_busy(False)
    view.select_key(8)
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    assert done == [(7, "k"), (7, "b")]  # thing 8 not shown yet


def test_enter_on_the_list_is_the_desks_own(qtbot: QtBot, view: ThingView) -> None:
    view.select_first()
    view.show_thing(7)
    view.focus_current()
    with qtbot.waitSignal(view.opened) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [7]


class DeskCatalogue(QTranslator):
    """Translates only ReviewView's "Refresh", as the Chinese catalogue has it."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return "刷新" if (context, source) == ("ReviewView", "Refresh") else None

    def isEmpty(self) -> bool:
        return False


def test_the_bases_strings_are_found_in_the_desks_context(qtbot: QtBot,
                                                          qapp: QApplication) -> None:
    review = ReviewView()
    qtbot.addWidget(review)
    catalogue = DeskCatalogue()
    QCoreApplication.installTranslator(catalogue)
    try:
        qtbot.waitUntil(lambda: review.refresh_button.text() == "刷新")
        assert review.approve_button.text() == "Approve (A)"
    finally:
        QCoreApplication.removeTranslator(catalogue)
    qtbot.waitUntil(lambda: review.refresh_button.text() == "Refresh")
