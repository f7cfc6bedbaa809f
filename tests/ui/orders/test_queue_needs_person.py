"""The queue says which orders need a person and why, and filters to them, in the model."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot
from ui_fakes import T0, FakeStore, make_row

from console.models.orders import Column, OrderFilter, OrderFilterProxy, QueueModel
from console.models.orders.matching import Matcher
from console.models.orders.rows import Entry
from core.contracts import OrderRow
from core.orders.lifecycle import OrderState
from ui.roles import ID_ROLE

WHY = "无合格候选技师 (no eligible technician)"


def manual(i: int, note: str = WHY, **changes: Any) -> OrderRow:
    return make_row(i, state=OrderState.DISPATCHING, dispatch_mode="manual",
                    dispatch_note=note, **changes)


@pytest.fixture
def store() -> FakeStore:
    rows = [make_row(i, state=OrderState.DISPATCHING, dispatch_mode="auto") for i in range(1, 21)]
    rows += [manual(21), manual(22, note="VIP 客户 (VIP customer)")]
    rows.append(make_row(23, state=OrderState.DISPATCHING, dispatch_mode="grab"))
    return FakeStore(rows={r.id: r for r in rows})


@pytest.fixture
def proxy(qtbot: QtBot, store: FakeStore) -> OrderFilterProxy:
    model = QueueModel(store, clock=lambda: T0 + timedelta(days=1))
    p = OrderFilterProxy()
    p.setSourceModel(model)
    return p


def shown_ids(proxy: OrderFilterProxy) -> list[int]:
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def test_of_24_dispatching_orders_the_two_in_manual_mode_say_why(proxy: OrderFilterProxy) -> None:
    whys = {proxy.index(r, 0).data(ID_ROLE): proxy.index(r, Column.NEEDS_PERSON).data()
            for r in range(proxy.rowCount())}
    assert whys[21] == "no eligible technician"  # the server's words in the person's language
    assert whys[22] == "VIP customer"
    assert {i for i, why in whys.items() if why} == {21, 22}
    header = proxy.headerData(Column.NEEDS_PERSON, Qt.Orientation.Horizontal)
    assert header == "Needs a person"


def test_filtering_to_needs_a_person_keeps_only_those(proxy: OrderFilterProxy) -> None:
    proxy.set_needs_person(True)
    assert shown_ids(proxy) == [22, 21]
    proxy.set_needs_person(False)
    assert proxy.rowCount() == 23


def test_an_order_escalated_by_the_feed_joins_the_filtered_queue_and_leaves_when_assigned(
    proxy: OrderFilterProxy, store: FakeStore
) -> None:
    proxy.set_order_filter(OrderFilter(needs_person=True))
    store.emit("upsert", [manual(5, note="技师拒单 (refused)", version=2)])
    assert shown_ids(proxy) == [22, 21, 5]
    assert proxy.index(2, Column.NEEDS_PERSON).data() == "refused"
    store.emit("upsert", [make_row(21, state=OrderState.ASSIGNED, dispatch_mode="manual",
                                   dispatch_note=WHY, version=3)])
    assert shown_ids(proxy) == [22, 5]
    assert proxy.queue().index(0, 0).isValid() and len(proxy.queue().entries()) == 23


def test_a_filter_change_keeps_the_selected_order_by_id(proxy: OrderFilterProxy) -> None:
    chosen = QPersistentModelIndex(proxy.index(proxy.row_of(21) or 0, 0))
    proxy.set_needs_person(True)
    assert chosen.isValid() and chosen.data(ID_ROLE) == 21 and chosen.row() == 1
    proxy.set_states({"assigned"})  # filtered out: the index is gone, not moved to a neighbour
    assert not chosen.isValid()


def test_several_changes_of_one_order_in_a_batch_leave_one_row(
    proxy: OrderFilterProxy, store: FakeStore
) -> None:
    store.emit("upsert", [manual(30, version=1), manual(30, version=2),
                          make_row(30, state=OrderState.DISPATCHING, dispatch_mode="auto",
                                   version=3)])
    assert shown_ids(proxy).count(30) == 1
    assert proxy.index(proxy.row_of(30) or 0, Column.NEEDS_PERSON).data() == ""


def test_the_saved_filter_keeps_needs_a_person() -> None:
    f = OrderFilter(states=frozenset({"dispatching"}), needs_person=True)
    assert OrderFilter.from_dict(f.to_dict()) == f
    assert OrderFilter.from_dict({"needs_person": "yes"}).needs_person is False


@pytest.mark.parametrize(
    "order_filter",
    [OrderFilter(), OrderFilter(states=frozenset({"dispatching", "new"})),
     OrderFilter(needs_person=True), OrderFilter(region="330100", platform="own"),
     OrderFilter(service_type="install", text=" LM0000001")],
)
def test_matching_one_entry_agrees_with_matching_the_list(order_filter: OrderFilter) -> None:
    entries = [Entry(make_row(i)) for i in range(1, 60)] + [Entry(manual(60))]
    matcher = Matcher(order_filter)
    assert matcher.select(entries) == [e for e in entries if matcher.accepts(e)]
