"""SyncEngine against the in-memory FakeBackend: snapshot, catch-up, outages, stop, saving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from console_fakes import FakeBackend, make_row
from support.waiting import eventually

from console.client import LastmileClient
from console.store import OrderStore, StoreChange
from console.sync import ConnectionState, SyncEngine
from core.orders.lifecycle import OrderState

LIVE, OFFLINE = ConnectionState.LIVE, ConnectionState.OFFLINE
CONNECTING = ConnectionState.CONNECTING


class Harness:
    """One engine on a fake backend, recording its state reports and the requests it makes."""

    def __init__(self, backend: FakeBackend, store: OrderStore, state_path: Path | None) -> None:
        self.backend = backend
        self.store = store
        self.states: list[tuple[ConnectionState, str]] = []
        self.client = LastmileClient("http://lastmile.test", transport=backend.transport)
        self.engine = SyncEngine(
            self.client,
            store,
            on_state=lambda s, r: self.states.append((s, r)),
            state_path=state_path,
            retry_initial=0.01,
            retry_max=0.05,
            save_interval=0.05,
        )
        self.task: asyncio.Task[None] | None = None

    def start(self) -> Harness:
        self.task = asyncio.create_task(self.engine.run())
        return self

    async def stop(self) -> None:
        self.engine.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, timeout=5)
        await self.client.aclose()

    def kinds(self) -> list[ConnectionState]:
        return [s for s, _ in self.states]


EngineOn = Callable[..., Harness]


@pytest.fixture
async def engine_on() -> AsyncIterator[EngineOn]:
    started: list[Harness] = []

    def make(
        backend: FakeBackend, store: OrderStore | None = None, state_path: Path | None = None
    ) -> Harness:
        harness = Harness(backend, store or OrderStore(), state_path).start()
        started.append(harness)
        return harness

    yield make
    for harness in started:
        if harness.task is not None and not harness.task.done():
            await harness.stop()


async def test_first_run_takes_a_snapshot_then_follows_the_feed(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=3)
    h = engine_on(backend)
    await eventually(lambda: h.engine.state is LIVE)

    backend.write(2, OrderState.AUDITED)
    await eventually(lambda: h.store.rows[2].state is OrderState.AUDITED)

    assert sorted(h.store.rows) == [1, 2, 3]
    assert h.store.cursor == backend.seq == 4
    assert h.kinds()[:2] == [CONNECTING, LIVE]
    assert "/v1/orders" in backend.requests


async def test_store_with_a_cursor_catches_up_without_a_snapshot(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=2)
    store = OrderStore([make_row(1), make_row(2)], cursor=2)
    backend.write(1, OrderState.CANCELLED)
    backend.write(3, OrderState.NEW)

    h = engine_on(backend, store)
    await eventually(lambda: h.engine.state is LIVE)

    assert sorted(store.rows) == [2, 3]
    assert store.cursor == 4
    assert "/v1/orders" not in backend.requests


async def test_outage_goes_offline_and_catches_up_without_missing_a_change(
    engine_on: EngineOn,
) -> None:
    backend = FakeBackend(orders=2)
    h = engine_on(backend)
    await eventually(lambda: h.engine.state is LIVE)

    backend.go_down()
    await eventually(lambda: h.engine.state is OFFLINE)
    missed = backend.write(1, OrderState.AUDITED)  # written while the console cannot hear it
    backend.write(2, OrderState.CANCELLED)
    backend.come_back()
    await eventually(lambda: h.engine.state is LIVE and h.store.cursor == backend.seq)

    assert h.store.rows[1] == missed.order
    assert 2 not in h.store.rows
    assert h.kinds()[:4] == [CONNECTING, LIVE, OFFLINE, CONNECTING]
    assert h.kinds()[-1] is LIVE


async def test_catch_up_reads_the_feed_page_by_page(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=1)
    for _ in range(1200):
        backend.write(1, OrderState.FROZEN)
    changes: list[StoreChange] = []
    store = OrderStore([make_row(1)], cursor=1)
    store.subscribe(changes.append)

    h = engine_on(backend, store)
    await eventually(lambda: h.engine.state is LIVE)

    assert store.cursor == 1201
    assert store.rows[1].version == 1201
    assert backend.requests.count("/v1/changes") == 3
    assert len(changes) == 3  # one per page, not one per event


async def test_server_error_is_an_outage_to_retry(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=1)
    backend.failures = [500]

    h = engine_on(backend)
    await eventually(lambda: h.engine.state is LIVE)

    assert h.kinds()[:3] == [CONNECTING, OFFLINE, CONNECTING]
    assert h.states[1][1] == "Internal error: boom."
    assert list(h.store.rows) == [1]


async def test_retries_while_the_server_stays_down(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=1)
    backend.go_down()
    h = engine_on(backend)

    await eventually(lambda: h.kinds().count(OFFLINE) >= 3)

    assert LIVE not in h.kinds()
    offline_reasons = {r for s, r in h.states if s is OFFLINE}
    assert offline_reasons == {"Cannot reach the server at http://lastmile.test"}
    # Every retry starts with a new attempt to connect.
    assert h.kinds()[:4] == [CONNECTING, OFFLINE, CONNECTING, OFFLINE]


async def test_new_database_behind_the_cursor_means_a_fresh_snapshot(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=2)
    backend.lose_database(orders=1)  # feed_seq 1, but the saved store is at 50
    store = OrderStore([make_row(1), make_row(2)], cursor=50)

    h = engine_on(backend, store)
    await eventually(lambda: h.engine.state is LIVE)

    assert sorted(store.rows) == [100]
    assert store.cursor == 1


async def test_events_arriving_together_reach_subscribers_as_one_change(
    engine_on: EngineOn,
) -> None:
    backend = FakeBackend(orders=1)
    h = engine_on(backend)
    await eventually(lambda: h.engine.state is LIVE)
    changes: list[StoreChange] = []
    h.store.subscribe(changes.append)

    for order_id in (10, 11, 12):
        backend.write(order_id, OrderState.NEW)
    await eventually(lambda: h.store.cursor == backend.seq)

    assert [(c.kind, [r.id for r in c.rows]) for c in changes] == [("upsert", [10, 11, 12])]


async def test_stop_ends_a_live_run_and_closes_the_stream(engine_on: EngineOn) -> None:
    backend = FakeBackend(orders=1)
    h = engine_on(backend)
    await eventually(lambda: h.engine.state is LIVE and backend.live_streams == 1)

    await h.stop()

    assert backend.live_streams == 0
    assert h.engine.state is OFFLINE


async def test_stop_during_backoff_ends_the_run(engine_on: EngineOn) -> None:
    backend = FakeBackend()
    backend.go_down()
    h = engine_on(backend)
    h.engine._retry_initial = h.engine._retry_max = 60.0  # would wait a minute
    await eventually(lambda: h.engine.state is OFFLINE)

    await h.stop()

    assert h.task is not None and h.task.done()


async def test_store_is_saved_while_running_and_on_stop(
    engine_on: EngineOn, tmp_path: Path
) -> None:
    path = tmp_path / "orders.json"
    backend = FakeBackend(orders=2)
    h = engine_on(backend, state_path=path)
    await eventually(lambda: h.engine.state is LIVE and path.exists())

    backend.write(2, OrderState.AUDITED)
    await eventually(lambda: h.store.cursor == backend.seq)
    await h.stop()
    saved = await OrderStore.load(path)

    assert saved.cursor == 3
    assert saved.rows == h.store.rows


async def test_restarted_console_resumes_from_the_saved_cursor(
    engine_on: EngineOn, tmp_path: Path
) -> None:
    path = tmp_path / "orders.json"
    backend = FakeBackend(orders=2)
    first = engine_on(backend, state_path=path)
    await eventually(lambda: first.engine.state is LIVE)
    await first.stop()
    backend.write(1, OrderState.AUDITED)
    backend.requests.clear()

    second = engine_on(backend, await OrderStore.load(path), state_path=path)
    await eventually(lambda: second.store.cursor == backend.seq)

    assert second.store.rows[1].state is OrderState.AUDITED
    assert "/v1/orders" not in backend.requests


async def test_engine_stopped_before_it_runs_does_not_connect() -> None:
    backend = FakeBackend(orders=1)
    client = LastmileClient("http://lastmile.test", transport=backend.transport)
    engine = SyncEngine(client, OrderStore())

    engine.stop()
    await asyncio.wait_for(engine.run(), timeout=5)

    assert backend.requests == []
    assert engine.state is OFFLINE
    await client.aclose()
