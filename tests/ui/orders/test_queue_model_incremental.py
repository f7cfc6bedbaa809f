"""The queue's incremental upkeep (feed updates, removals, filter and sort changes in any mix)
always shows what a full re-sort and re-filter of the store would show."""

from __future__ import annotations

import random
from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_fakes import T0, FakeStore, make_row

from console.models.orders import Column, OrderFilter, OrderFilterProxy, QueueModel
from console.models.orders.matching import Matcher
from console.models.orders.rows import DEFAULT_SORT, Entry, key_function
from core.contracts import OrderRow
from core.orders.lifecycle import OrderState
from ui.roles import ID_ROLE

FILTERS = [OrderFilter(), OrderFilter(states=frozenset({"dispatching", "new"})),
           OrderFilter(needs_person=True), OrderFilter(region="330100"),
           OrderFilter(text="lm000001")]
SORTS = [(DEFAULT_SORT, Qt.SortOrder.DescendingOrder),
         (Column.CUSTOMER, Qt.SortOrder.AscendingOrder),
         (Column.STATE, Qt.SortOrder.DescendingOrder),
         (Column.NEEDS_PERSON, Qt.SortOrder.AscendingOrder)]


def changed(rng: random.Random, row: OrderRow) -> OrderRow:
    state = rng.choice(list(OrderState)[:10])
    manual = state == OrderState.DISPATCHING and rng.random() < 0.5
    return row.model_copy(update={
        "version": row.version + 1, "state": state,
        "dispatch_mode": "manual" if manual else None,
        "dispatch_note": rng.choice(["拒单 (refused)", "VIP"]) if manual else "",
        "customer_name": rng.choice(["甲", "乙", row.customer_name]),
        "state_changed_at": T0 + timedelta(minutes=rng.randrange(10_000))})


def test_any_mix_of_changes_matches_a_full_recompute(qtbot: QtBot) -> None:
    rng = random.Random(13)
    store = FakeStore(rows={i: make_row(i) for i in range(1, 301)})
    model = QueueModel(store, clock=lambda: T0 + timedelta(days=30))
    model.set_priority_states({"dispatching"})
    proxy = OrderFilterProxy()
    proxy.setSourceModel(model)
    next_id = 301
    for step in range(300):
        roll = rng.random()
        if roll < 0.5:
            batch = [changed(rng, store.rows[i]) for i in rng.sample(sorted(store.rows), 5)]
            batch += [make_row(next_id + n, state=rng.choice(list(OrderState)[:10]))
                      for n in range(rng.randrange(3))]
            next_id += 3
            store.emit("upsert", batch)
        elif roll < 0.65:
            store.emit("remove", [store.rows[i] for i in rng.sample(sorted(store.rows), 3)])
        elif roll < 0.85:
            proxy.set_order_filter(rng.choice(FILTERS))
        else:
            proxy.sort(*rng.choice(SORTS))
        column, order = model.sort_spec()
        key = key_function(column, frozenset({"dispatching"}))
        everything = sorted((Entry(r) for r in store.rows.values()), key=key,
                            reverse=order == Qt.SortOrder.DescendingOrder)
        expected = [e.id for e in Matcher(proxy.order_filter()).select(everything)]
        shown = [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]
        assert shown == expected, f"step {step}"
        assert len(model.entries()) == len(store.rows)
        for order_id in rng.sample(expected, min(3, len(expected))):
            row = proxy.row_of(order_id)
            assert row is not None and proxy.index(row, 0).data(ID_ROLE) == order_id
