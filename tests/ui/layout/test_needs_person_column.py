"""The queue's "needs a person" column follows its content: a longer reason arriving later widens
it, until the person sizes it themselves; their width is remembered and wins (issue 13 item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QByteArray
from pytestqt.qtbot import QtBot
from ui_fakes import T0, FakeStore, make_row

from console.models.orders import Column, OrderFilterProxy, QueueModel
from core.contracts import OrderRow
from core.orders.lifecycle import OrderState
from ui.orders.queue_view import QueueView

SHORT = "VIP 客户 (VIP customer)"
LONG = ("无合格候选技师，所有技师均已拒单或超出距离 (no eligible technician: every one "
        "refused or is too far)")


def manual(i: int, note: str) -> OrderRow:
    return make_row(i, state=OrderState.DISPATCHING, dispatch_mode="manual", dispatch_note=note)


@dataclass
class Queue:
    """The queue as the workspace builds it (model, filter proxy, view, the customer
    stretching), at the width it has at 1366×768."""

    store: FakeStore
    view: QueueView

    def width(self) -> int:
        return self.view.table.columnWidth(Column.NEEDS_PERSON)

    def needed(self, order_id: int) -> int:
        table = self.view.table
        row = self.view._row_of(order_id)
        assert row is not None
        return table.sizeHintForIndex(table.model().index(row, Column.NEEDS_PERSON)).width()

    def measured(self) -> bool:
        return not self.view._measure_timer.isActive()


@pytest.fixture
def open_queue(qtbot: QtBot) -> Iterator[Any]:
    rows: dict[int, Any] = {i: make_row(i) for i in range(1, 6)}
    rows[6] = manual(6, SHORT)
    store = FakeStore(rows=rows)

    def build(state: QByteArray | None = None) -> Queue:
        model = QueueModel(store, clock=lambda: T0 + timedelta(hours=1))
        proxy = OrderFilterProxy(model)
        proxy.setSourceModel(model)
        view = QueueView()
        qtbot.addWidget(view)
        model.setParent(view)
        view.set_model(proxy)
        view.stretch_column(Column.CUSTOMER)
        if state is not None:
            view.restore_columns(state)
        view.resize(1300, 600)
        view.show()
        qtbot.waitExposed(view)
        return Queue(store, view)

    yield build


def test_a_longer_reason_arriving_later_widens_the_column(
    qtbot: QtBot, open_queue: Any
) -> None:
    queue = open_queue()
    fitted = queue.width()
    assert fitted >= queue.needed(6)
    queue.store.emit("upsert", [manual(3, LONG)])  # an order changes
    qtbot.waitUntil(lambda: queue.width() >= queue.needed(3))
    assert queue.width() > fitted
    queue.store.emit("upsert", [manual(7, LONG.replace("far)", "far away)"))])  # a new order
    qtbot.waitUntil(lambda: queue.width() >= queue.needed(7))


def test_the_width_the_person_sets_wins_and_is_remembered(
    qtbot: QtBot, open_queue: Any
) -> None:
    first = open_queue()
    chosen = first.width() - 20
    first.view.table.horizontalHeader().resizeSection(Column.NEEDS_PERSON, chosen)  # a drag
    first.store.emit("upsert", [manual(3, LONG)])
    qtbot.waitUntil(first.measured)
    assert first.width() == chosen
    again = open_queue(first.view.columns_state())
    assert again.width() == chosen
    again.store.emit("upsert", [manual(4, LONG.replace("far)", "far away)"))])
    qtbot.waitUntil(again.measured)
    assert again.width() == chosen


def test_a_fitted_width_kept_from_last_time_still_follows(qtbot: QtBot, open_queue: Any) -> None:
    again = open_queue(open_queue().view.columns_state())  # fitted widths kept, none chosen
    again.store.emit("upsert", [manual(3, LONG)])
    qtbot.waitUntil(lambda: again.width() >= again.needed(3))


def test_a_state_kept_by_an_older_console_counts_as_chosen(qtbot: QtBot, open_queue: Any) -> None:
    older = open_queue().view.table.horizontalHeader().saveState()  # Qt's state alone
    again = open_queue(older)
    before = again.width()
    again.store.emit("upsert", [manual(3, LONG)])
    qtbot.waitUntil(again.measured)
    assert again.width() == before


def test_in_a_narrow_queue_the_column_grows_only_as_far_as_the_view_shows(
    qtbot: QtBot, open_queue: Any
) -> None:
    queue = open_queue()
    table = queue.view.table
    header = table.horizontalHeader()
    others = sum(header.sectionSize(c) for c in Column
                 if c not in (Column.NEEDS_PERSON, Column.CUSTOMER))
    # Room for the customer's title and a little more of the reason than it has now.
    queue.view.resize(others + header.sectionSizeHint(Column.CUSTOMER) + queue.width() + 60
                      + table.verticalScrollBar().sizeHint().width(), 600)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    queue.store.emit("upsert", [manual(3, LONG * 3)])  # far wider than the room
    qtbot.waitUntil(queue.measured)
    assert queue.width() < queue.needed(3)  # grew, but only as far as the view shows
    assert table.horizontalScrollBar().maximum() == 0  # no sideways scroll to read it
    assert header.sectionSize(Column.CUSTOMER) >= header.sectionSizeHint(Column.CUSTOMER)


def test_a_queue_made_narrower_shrinks_the_column_it_widened(
    qtbot: QtBot, open_queue: Any
) -> None:
    queue = open_queue()
    table = queue.view.table
    queue.store.emit("upsert", [manual(3, LONG)])
    qtbot.waitUntil(lambda: queue.width() >= queue.needed(3))
    wide = queue.width()
    header = table.horizontalHeader()
    others = sum(header.sectionSize(c) for c in Column
                 if c not in (Column.NEEDS_PERSON, Column.CUSTOMER))
    queue.view.resize(others + header.sectionSizeHint(Column.CUSTOMER) + wide // 2, 600)
    qtbot.waitUntil(lambda: queue.width() < wide)
    assert queue.width() >= header.sectionSizeHint(Column.NEEDS_PERSON)  # its title stays
    assert table.horizontalScrollBar().maximum() == 0
