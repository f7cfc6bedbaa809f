"""Many technicians claim one order at once: exactly one wins, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from grab_support import add_technicians, engine_of, offer, token_headers
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.orders.errors import StaleVersion
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.grab.pool import close_offer, count_attempt, take
from core.storage.tables import GrabOfferRecord, OrderEventRecord, OrderRecord
from core.storage.uow import UnitOfWork

CLAIMANTS = 48


def _released_together(n: int, work: object) -> list[object]:
    """Run work(i) in n threads that all start at the same barrier."""
    barrier = threading.Barrier(n)

    def one(i: int) -> object:
        barrier.wait()
        return work(i)  # type: ignore[operator]

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_simultaneous_claims_over_http_have_one_winner(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    names = add_technicians(engine, CLAIMANTS)
    offer_id = offer(engine, 1)
    headers = [token_headers(engine, n) for n in names]

    responses = _released_together(
        CLAIMANTS, lambda i: grab_client.post("/v1/grab/offers/1/claim", headers=headers[i]))

    statuses = Counter(r.status_code for r in responses)  # type: ignore[attr-defined]
    assert statuses == {200: 1, 409: CLAIMANTS - 1}, statuses
    winner = next(r.json() for r in responses if r.status_code == 200)  # type: ignore[attr-defined]
    assert all("已被其他师傅抢走" in r.json()["detail"]  # type: ignore[attr-defined]
               for r in responses if r.status_code == 409)  # type: ignore[attr-defined]
    with Session(engine) as session:
        stored = session.get(GrabOfferRecord, offer_id)
        order = session.get(OrderRecord, 1)
        claims = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "claim")).all()
    assert stored is not None and order is not None
    assert (stored.status, stored.claimed_by) == ("claimed", winner["technician_id"])
    assert stored.claim_attempts == CLAIMANTS
    assert (order.state, order.technician_id) == ("accepted", winner["technician_id"])
    assert len(claims) == 1


def _take_directly(engine: Engine, offer_id: int, technician_id: int) -> bool:
    with UnitOfWork(engine) as uow:
        count_attempt(uow.session, offer_id)
        won = take(uow.session, offer_id, technician_id, datetime.now(UTC))
        uow.commit()
    return won


def test_the_conditional_update_alone_admits_one_writer(grab_client: TestClient) -> None:
    """Below HTTP's thread pool: every claimant its own connection and transaction at once."""
    engine = engine_of(grab_client)
    offer_id = offer(engine, 2)
    n = 24

    won = _released_together(n, lambda i: _take_directly(engine, offer_id, 1 + i % 3))

    assert won.count(True) == 1
    with Session(engine) as session:
        stored = session.get(GrabOfferRecord, offer_id)
    assert stored is not None and stored.status == "claimed" and stored.claim_attempts == n


def _expire(engine: Engine, offer_id: int) -> bool:
    """As the dispatcher does: escalate the unclaimed order, then close its offer."""
    now = datetime.now(UTC)
    try:
        with UnitOfWork(engine) as uow:
            order = uow.orders.get(1)
            assert order is not None
            if order.state != "dispatching":
                return False  # claimed before we looked
            order.perform("escalate", Actor("centre", Role.ADMIN), now, "无人抢单，转人工",
                          mode="manual", code="unclaimed")
            uow.orders.save(order)
            closed = close_offer(uow.session, offer_id, "expired", now)
            if closed:
                uow.commit()
    except StaleVersion:
        return False  # a claim changed the order meanwhile
    return closed


def test_claims_racing_the_expiry_leave_one_outcome(grab_client: TestClient) -> None:
    """The dispatcher expiring the offer while technicians claim it: one or the other wins,
    and on PostgreSQL the two lock order and offer in the same order (no deadlock)."""
    engine = engine_of(grab_client)
    names = add_technicians(engine, 12)
    offer_id = offer(engine, 1)
    headers = [token_headers(engine, n) for n in names]

    def one(i: int) -> object:
        if i == len(names):
            return _expire(engine, offer_id)
        return grab_client.post("/v1/grab/offers/1/claim", headers=headers[i]).status_code

    outcomes = _released_together(len(names) + 1, one)

    expired, statuses = outcomes[-1], Counter(outcomes[:-1])
    with Session(engine) as session:
        stored = session.get(GrabOfferRecord, offer_id)
        order = session.get(OrderRecord, 1)
    assert stored is not None and order is not None
    if expired:
        assert stored.status == "expired" and statuses.get(200, 0) == 0
        assert (order.state, order.dispatch_mode) == ("dispatching", "manual")
        assert set(statuses) <= {410}
    else:
        assert stored.status == "claimed" and statuses[200] == 1
        assert order.state == "accepted" and set(statuses) <= {200, 409}
