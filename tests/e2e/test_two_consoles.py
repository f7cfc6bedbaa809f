"""Two consoles against a real backend: changes reach the other console, outages are bridged."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from e2e_support import Backend, Console, Gate, free_port, seeded_demo
from support.waiting import eventually

from console.client import LastmileClient
from console.errors import ApiError
from console.sync import ConnectionState
from core.contracts import ActionRequest, OrderDetail
from core.orders.lifecycle import OrderState, ServiceType

LIVE, OFFLINE = ConnectionState.LIVE, ConnectionState.OFFLINE


@pytest.fixture(scope="module")
def shared_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """One backend process and demo database for this module, so a start (~4 s) is paid once,
    not per test: every order is new, and each test takes the first one no test has moved."""
    folder = tmp_path_factory.mktemp("two-consoles")
    server = Backend(seeded_demo(folder, history=False), free_port(), folder / "backend.log")
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
async def backend(shared_backend: Backend) -> AsyncIterator[Backend]:
    if not shared_backend.running:  # first use, or a test that killed it ended early
        await shared_backend.start()
    yield shared_backend


async def ready_for_dispatch(client: LastmileClient, order_id: int) -> OrderDetail:
    """Walk a new order through intake to the dispatch pool, as desk staff would."""
    detail = await client.order(order_id)
    steps = {
        "audit": ActionRequest(action="audit", version=1),
        "place": ActionRequest(action="place", version=1, county_adcode=detail.county_adcode),
        "classify": ActionRequest(
            action="classify", version=1, service_type=detail.service_type or ServiceType.INSTALL
        ),
        "open_dispatch": ActionRequest(action="open_dispatch", version=1, mode="manual"),
    }
    for name, request in steps.items():
        if name in detail.allowed_actions:
            request.version = detail.version
            detail = await client.act(order_id, request)
    assert detail.state is OrderState.DISPATCHING
    return detail


def first_new_order(console: Console) -> int:
    return min(r.id for r in console.store.rows.values() if r.state is OrderState.NEW)


async def test_assignment_on_one_console_appears_on_the_other(backend: Backend) -> None:
    first = await Console(backend.url).sign_in("agent")
    second = await Console(backend.url).sign_in("supervisor")
    try:
        order_id = first_new_order(first)
        detail = await ready_for_dispatch(first.client, order_id)
        technician = (await first.client.technicians())[0]

        assigned = await first.client.act(order_id, ActionRequest(
            action="assign", version=detail.version, technician_id=technician.id
        ))
        await eventually(
            lambda: second.store.rows[order_id].version == assigned.version, timeout=10)

        row = second.store.rows[order_id]
        assert row.state is OrderState.ASSIGNED
        assert (row.technician_id, row.technician_name) == (technician.id, technician.name)
        assert second.store.rows.keys() == first.store.rows.keys()
    finally:
        await first.close()
        await second.close()


async def test_console_catches_up_on_a_change_made_while_it_was_offline(
    backend: Backend,
) -> None:
    writer = await Console(backend.url).sign_in("agent")
    gate = Gate()
    reader = await Console(backend.url, transport=gate).sign_in("supervisor")
    try:
        order_id = first_new_order(writer)
        version = writer.store.rows[order_id].version

        backend.kill()
        await eventually(
            lambda: reader.engine.state is OFFLINE and writer.engine.state is OFFLINE, timeout=10)
        # Hold the reader off the network so the change below is certainly made while it is
        # offline, whatever its backoff does; the restarted backend serves the same database.
        gate.open = False
        await backend.start()
        await eventually(lambda: writer.engine.state is LIVE, timeout=10)
        audit = ActionRequest(action="audit", version=version)
        audited = await writer.client.act(order_id, audit)
        assert reader.store.rows[order_id].state is OrderState.NEW
        gate.open = True
        await eventually(lambda: reader.engine.state is LIVE, timeout=10)
        await eventually(lambda: reader.store.rows[order_id].version == audited.version, timeout=10)

        assert reader.store.rows[order_id].state is OrderState.AUDITED
        assert reader.states[:3] == [ConnectionState.CONNECTING, LIVE, OFFLINE]
        assert reader.store.cursor == writer.store.cursor
    finally:
        await writer.close()
        await reader.close()



async def test_stale_action_is_refused_with_the_current_version(backend: Backend) -> None:
    client = LastmileClient(backend.url)
    try:
        await client.login("agent", "demo")
        rows, _ = await client.all_open_orders()
        order = min((r for r in rows if r.state is OrderState.NEW), key=lambda r: r.id)
        await client.act(order.id, ActionRequest(action="audit", version=order.version))

        with pytest.raises(ApiError) as caught:
            await client.act(order.id, ActionRequest(action="place", version=order.version))

        assert caught.value.status == 409
        assert caught.value.current_version == order.version + 1
        assert str(caught.value).startswith("Conflict: ")
    finally:
        await client.aclose()
