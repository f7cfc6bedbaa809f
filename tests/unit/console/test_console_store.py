"""OrderStore: version ordering, open orders only, batched notifications, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from console_fakes import make_event, make_row

from console.store import OrderStore, StoreChange
from core.orders.lifecycle import OrderState


def recording(store: OrderStore) -> list[StoreChange]:
    changes: list[StoreChange] = []
    store.subscribe(changes.append)
    return changes


def test_replace_all_keeps_open_rows_and_announces_a_reset() -> None:
    store = OrderStore()
    changes = recording(store)

    store.replace_all([make_row(1), make_row(2, state=OrderState.CLOSED)], cursor=9)

    assert list(store.rows) == [1]
    assert store.cursor == 9
    assert [(c.kind, [r.id for r in c.rows]) for c in changes] == [("reset", [1])]


def test_newer_version_replaces_the_row() -> None:
    store = OrderStore([make_row(1, version=2)], cursor=5)
    changes = recording(store)
    newer = make_row(1, version=3, state=OrderState.AUDITED)

    changed = store.apply(make_event(6, newer))

    assert changed is True
    assert store.rows[1] == newer
    assert [(c.kind, c.rows) for c in changes] == [("upsert", [newer])]


@pytest.mark.parametrize("version", [1, 2])
def test_older_or_same_version_is_ignored_but_cursor_moves(version: int) -> None:
    current = make_row(1, version=2)
    store = OrderStore([current], cursor=5)
    changes = recording(store)

    changed = store.apply(make_event(6, make_row(1, version=version, state=OrderState.PLACED)))

    assert changed is False
    assert store.rows[1] == current
    assert store.cursor == 6
    assert changes == []


def test_event_at_or_before_the_cursor_is_ignored() -> None:
    store = OrderStore([make_row(1, version=1)], cursor=5)

    changed = store.apply(make_event(5, make_row(1, version=2)))

    assert changed is False
    assert store.rows[1].version == 1
    assert store.cursor == 5


@pytest.mark.parametrize("state", [OrderState.CLOSED, OrderState.CANCELLED])
def test_closed_or_cancelled_order_leaves_the_queue(state: OrderState) -> None:
    store = OrderStore([make_row(1, version=1), make_row(2)], cursor=1)
    changes = recording(store)

    changed = store.apply(make_event(2, make_row(1, version=2, state=state)))

    assert changed is True
    assert list(store.rows) == [2]
    assert [(c.kind, [r.id for r in c.rows]) for c in changes] == [("remove", [1])]


def test_closing_an_order_the_store_never_had_changes_nothing() -> None:
    store = OrderStore(cursor=1)
    changes = recording(store)

    changed = store.apply(make_event(2, make_row(7, version=5, state=OrderState.CANCELLED)))

    assert changed is False
    assert store.cursor == 2
    assert changes == []


def test_frozen_order_stays_in_the_queue() -> None:
    store = OrderStore([make_row(1)], cursor=1)

    store.apply(make_event(2, make_row(1, version=2, state=OrderState.FROZEN)))

    assert store.rows[1].state is OrderState.FROZEN


def test_a_batch_is_announced_as_one_upsert_and_one_remove() -> None:
    store = OrderStore([make_row(1), make_row(2)], cursor=10)
    changes = recording(store)
    events = [make_event(10 + i, make_row(100 + i)) for i in range(1, 1001)]
    events += [
        make_event(2000, make_row(1, version=2, state=OrderState.AUDITED)),
        make_event(2001, make_row(2, version=2, state=OrderState.CANCELLED)),
        make_event(2002, make_row(1, version=3, state=OrderState.PLACED)),
    ]

    store.apply_many(events)

    assert [c.kind for c in changes] == ["upsert", "remove"]
    upserted = {r.id: r for r in changes[0].rows}
    assert len(upserted) == 1001 and upserted[1].version == 3
    assert [r.id for r in changes[1].rows] == [2]
    assert store.cursor == 2002
    assert len(store.rows) == 1001


def test_order_that_comes_and_goes_within_a_batch_is_not_announced() -> None:
    store = OrderStore(cursor=0)
    changes = recording(store)

    store.apply_many([
        make_event(1, make_row(5)),
        make_event(2, make_row(5, version=2, state=OrderState.CANCELLED)),
    ])

    assert changes == []
    assert store.rows == {}
    assert store.cursor == 2


def test_batch_of_stale_events_announces_nothing() -> None:
    store = OrderStore([make_row(1, version=4)], cursor=10)
    changes = recording(store)

    store.apply_many([make_event(9, make_row(2)), make_event(11, make_row(1, version=3))])

    assert changes == []
    assert store.cursor == 11


def test_unsubscribed_callback_hears_nothing_more() -> None:
    store = OrderStore()
    changes: list[StoreChange] = []
    unsubscribe = store.subscribe(changes.append)

    unsubscribe()
    store.replace_all([make_row(1)], cursor=1)

    assert changes == []


def test_a_failing_subscriber_does_not_starve_the_others() -> None:
    store = OrderStore()

    def broken(change: StoreChange) -> None:
        raise RuntimeError("view bug")

    store.subscribe(broken)
    changes = recording(store)

    store.replace_all([make_row(1)], cursor=1)

    assert [c.kind for c in changes] == ["reset"]


async def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "state" / "orders.json"
    store = OrderStore([make_row(1, version=3), make_row(2, state=OrderState.FROZEN)], cursor=42)

    await store.save(path)
    loaded = await OrderStore.load(path)

    assert loaded.cursor == 42
    assert loaded.rows == store.rows


async def test_save_replaces_the_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    await OrderStore([make_row(1)], cursor=1).save(path)

    await OrderStore([make_row(2)], cursor=2).save(path)

    assert [p.name for p in tmp_path.iterdir()] == ["orders.json"]
    assert json.loads(path.read_text())["cursor"] == 2


@pytest.mark.parametrize("content", [None, "{not json", '{"format": 99, "cursor": 3, "rows": []}'])
async def test_missing_or_unreadable_file_loads_an_empty_store(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "orders.json"
    if content is not None:
        path.write_text(content)

    store = await OrderStore.load(path)

    assert (store.cursor, store.rows) == (0, {})
