"""A claim counts the technician's capacity under lock, and agrees to the price the offer showed."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from grab_support import add_technicians, engine_of, offer, token_headers
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.services import grab
from core.storage.tables import GrabOfferRecord, OrderEventRecord, OrderRecord, TechnicianRecord


def _room_for_one(engine: Engine) -> tuple[str, int]:
    (name,) = add_technicians(engine, 1, prefix="solo")
    with Session(engine) as session, session.begin():
        session.execute(update(TechnicianRecord).where(TechnicianRecord.key == name)
                        .values(daily_capacity=1))
        tech_id = session.scalar(select(TechnicianRecord.id).where(TechnicianRecord.key == name))
    assert tech_id is not None
    return name, tech_id


def _held(engine: Engine, tech_id: int) -> list[int]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderRecord.id)
                                    .where(OrderRecord.technician_id == tech_id)))


def _offers(engine: Engine) -> dict[int, tuple[str, int]]:
    with Session(engine) as session:
        return {o.order_id: (o.status, o.claim_attempts)
                for o in session.scalars(select(GrabOfferRecord))}


def test_two_claims_at_once_on_different_orders_never_exceed_capacity(
        grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    name, tech_id = _room_for_one(engine)
    offer(engine, 1)
    offer(engine, 2)
    headers = token_headers(engine, name)
    barrier = threading.Barrier(2)

    def claim(order_id: int) -> Any:
        barrier.wait()
        return grab_client.post(f"/v1/grab/offers/{order_id}/claim", headers=headers)

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(claim, (1, 2)))

    assert Counter(r.status_code for r in responses) == {200: 1, 403: 1}
    refused = next(r for r in responses if r.status_code == 403)
    assert "今日单量已满（1/1）" in refused.json()["detail"]
    (won,) = _held(engine, tech_id)
    lost = 3 - won
    assert _offers(engine) == {won: ("claimed", 1), lost: ("open", 1)}


def test_the_claim_counts_capacity_again_inside_its_transaction(
        grab_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the second claim had read eligibility before the first one committed."""
    engine = engine_of(grab_client)
    name, tech_id = _room_for_one(engine)
    offer(engine, 1)
    offer(engine, 2)
    headers = token_headers(engine, name)
    assert grab_client.post("/v1/grab/offers/1/claim", headers=headers).status_code == 200
    with Session(engine) as session:
        before = session.get(OrderRecord, 2)
        assert before is not None
        version = before.version
    monkeypatch.setattr(grab, "_ineligible", lambda *args: None)

    second = grab_client.post("/v1/grab/offers/2/claim", headers=headers)

    assert second.status_code == 403 and "今日单量已满（1/1）" in second.json()["detail"]
    assert _held(engine, tech_id) == [1]
    assert _offers(engine)[2] == ("open", 1)
    with Session(engine) as session:
        after = session.get(OrderRecord, 2)
        assert after is not None and (after.version, after.state) == (version, "dispatching")


def test_a_claim_agrees_to_the_price_the_offer_showed_not_a_later_mark(
        grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer(engine, 1, price=3000)
    tech1, agent = token_headers(engine, "tech1"), token_headers(engine, "agent")
    listed = grab_client.get("/v1/grab/offers", headers=tech1).json()
    assert listed[0]["price_fen"] == 3000
    version = grab_client.get("/v1/orders/1", headers=agent).json()["version"]
    marked = grab_client.post("/v1/orders/1/actions", headers=agent, json={
        "action": "mark", "version": version, "reason": "提价", "grab_price_fen": 5000})
    assert marked.status_code == 200, marked.text
    # The open offer still shows what the technician saw.
    assert grab_client.get("/v1/grab/offers", headers=tech1).json()[0]["price_fen"] == 3000

    got = grab_client.post("/v1/grab/offers/1/claim", headers=tech1)

    assert got.status_code == 200, got.text
    with Session(engine) as session:
        claim = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "claim")).one()
        order = session.get(OrderRecord, 1)
    assert claim.data["grab_price_fen"] == 3000 and claim.data["marked_price_fen"] == 5000
    assert order is not None and order.grab_price_fen == 3000
    detail = grab_client.get("/v1/orders/1", headers=agent).json()
    assert detail["grab_price_fen"] == 3000


def test_a_claim_at_the_unchanged_price_records_it_once(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer(engine, 1, price=2500)
    assert grab_client.post("/v1/grab/offers/1/claim",
                            headers=token_headers(engine, "tech1")).status_code == 200
    with Session(engine) as session:
        claim = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "claim")).one()
    assert claim.data["grab_price_fen"] == 2500 and "marked_price_fen" not in claim.data
