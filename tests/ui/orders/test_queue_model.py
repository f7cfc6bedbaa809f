"""QueueModel and OrderFilterProxy at 100,000 rows: load, upsert, insert, remove, filter, sort."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot
from ui_fakes import T0, FakeStore, make_row

from console.models.orders import Column, OrderFilter, OrderFilterProxy, QueueModel
from core.orders.lifecycle import OrderState
from ui.roles import ID_ROLE, SORT_ROLE

N = 100_000


@pytest.fixture(scope="module")
def rows() -> list:
    return [make_row(i) for i in range(1, N + 1)]


@pytest.fixture
def store(rows: list) -> FakeStore:
    return FakeStore(rows={r.id: r for r in rows})


@pytest.fixture
def model(qtbot: QtBot, store: FakeStore) -> QueueModel:
    return QueueModel(store, clock=lambda: T0 + timedelta(days=100))


@pytest.fixture
def proxy(model: QueueModel) -> OrderFilterProxy:
    p = OrderFilterProxy()
    p.setSourceModel(model)
    return p


def row_of(model: QueueModel, order_id: int) -> int:
    row = model.row_of(order_id)
    assert row is not None
    return row


def ids(m: object, count: int = 3) -> list[int]:
    return [m.index(r, 0).data(ID_ROLE) for r in range(count)]  # type: ignore[attr-defined]


def test_loads_every_row_newest_first(model: QueueModel) -> None:
    assert model.rowCount() == N
    assert ids(model) == [N, N - 1, N - 2]
    assert model.index(0, Column.ORDER_NO).data() == f"LM{N:08d}"


def test_upsert_of_existing_row_changes_it_in_place(
    qtbot: QtBot, model: QueueModel, store: FakeStore
) -> None:
    row = row_of(model, 500)
    changed = make_row(500, state=OrderState.ASSIGNED, technician_name="王师傅", version=2)
    with qtbot.waitSignal(model.dataChanged) as signal:
        store.emit("upsert", [changed])
    assert signal.args[0].row() == row and signal.args[1].row() == row
    assert model.rowCount() == N
    assert model.index(row, Column.TECHNICIAN).data() == "王师傅"
    assert model.index(row, Column.STATE).data(SORT_ROLE) == list(OrderState).index(
        OrderState.ASSIGNED)


def test_new_order_is_inserted_at_the_top(
    qtbot: QtBot, model: QueueModel, store: FakeStore
) -> None:
    new = make_row(N + 1)
    with qtbot.waitSignal(model.rowsInserted) as signal:
        store.emit("upsert", [new])
    assert (signal.args[1], signal.args[2]) == (0, 0)
    assert model.rowCount() == N + 1
    assert row_of(model, N + 1) == 0 and row_of(model, 1) == N


def test_removed_orders_leave_and_lookups_stay_right(
    qtbot: QtBot, model: QueueModel, store: FakeStore
) -> None:
    with qtbot.waitSignal(model.rowsRemoved):
        store.emit("remove", [make_row(N), make_row(10)])
    assert model.rowCount() == N - 2
    assert model.row_of(N) is None and model.row_of(10) is None
    assert model.index(row_of(model, 11), 0).data(ID_ROLE) == 11


def test_reset_replaces_everything(qtbot: QtBot, model: QueueModel, store: FakeStore) -> None:
    with qtbot.waitSignal(model.modelReset):
        store.emit("reset", [make_row(1), make_row(2)])
    assert ids(model, 2) == [2, 1]


def test_time_in_state_is_humanised_and_refreshed_alone(qtbot: QtBot) -> None:
    now = [T0 + timedelta(minutes=12)]
    model = QueueModel(FakeStore(rows={0: make_row(0)}), clock=lambda: now[0])
    assert model.index(0, Column.TIME_IN_STATE).data() == "12 min"
    now[0] = T0 + timedelta(hours=3, minutes=5)
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.refresh_clock()
    assert signal.args[0].column() == signal.args[1].column() == Column.TIME_IN_STATE
    assert model.index(0, Column.TIME_IN_STATE).data() == "3 h 5 min"


def test_filter_by_state(proxy: OrderFilterProxy) -> None:
    proxy.set_states({"dispatching", "assigned"})
    assert proxy.rowCount() == N // 5
    states = {proxy.index(r, Column.STATE).data(SORT_ROLE) for r in range(proxy.rowCount())}
    assert states == {4, 5}


def test_filter_by_text(proxy: OrderFilterProxy) -> None:
    proxy.set_text("  lm0009999")
    assert ids(proxy, proxy.rowCount()) == list(range(99_999, 99_989, -1))


def test_filter_by_city_platform_and_service_type(proxy: OrderFilterProxy) -> None:
    proxy.set_order_filter(OrderFilter(region="330100", platform="own", service_type="install"))
    # Fake rows: county 330106 and platform "own" when i % 4 == 2, install when i % 3 == 0.
    expected = [i for i in range(N, 0, -1) if i % 12 == 6]
    assert ids(proxy, proxy.rowCount()) == expected


def test_clearing_the_filter_shows_everything(proxy: OrderFilterProxy) -> None:
    proxy.set_order_filter(OrderFilter(states=frozenset({"new"}), text="客户"))
    proxy.set_order_filter(OrderFilter())
    assert proxy.rowCount() == N


def test_filter_follows_an_upsert_that_changes_state(
    qtbot: QtBot, proxy: OrderFilterProxy, store: FakeStore
) -> None:
    proxy.set_states({"frozen"})
    assert proxy.rowCount() == 0
    store.emit("upsert", [make_row(42, state=OrderState.FROZEN, version=2)])
    assert ids(proxy, proxy.rowCount()) == [42]


def test_sort_by_column_and_back_to_newest_first(proxy: OrderFilterProxy) -> None:
    proxy.sort(Column.CUSTOMER, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, Column.CUSTOMER).data() for r in range(3)]
    assert names == sorted(names) and names[0] == "客户1"
    proxy.sort(-1)
    assert ids(proxy) == [N, N - 1, N - 2]


def test_sort_keeps_a_filtered_view_and_selection_by_id(proxy: OrderFilterProxy) -> None:
    proxy.set_states({"new"})
    chosen = QPersistentModelIndex(proxy.index(0, 0))
    chosen_id = chosen.data(ID_ROLE)
    proxy.sort(Column.TIME_IN_STATE, Qt.SortOrder.DescendingOrder)
    assert chosen.isValid() and chosen.data(ID_ROLE) == chosen_id
    assert chosen.row() == proxy.rowCount() - 1  # the newest "new" order now waits least
    assert proxy.index(0, 0).data(ID_ROLE) == 10  # the oldest "new" order
    assert proxy.rowCount() == N // 10
