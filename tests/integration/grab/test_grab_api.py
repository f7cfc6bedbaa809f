"""The grab pool over HTTP: what a technician is offered, claiming, refusals, the desk's monitor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from grab_support import add_technicians, engine_of, offer, token_headers
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.tables import GrabOfferRecord, GrabViewRecord, OrderEventRecord
from core.storage.uow import UnitOfWork


def _offer_row(client: TestClient, offer_id: int) -> GrabOfferRecord:
    with Session(engine_of(client)) as session:
        found = session.get(GrabOfferRecord, offer_id)
        assert found is not None
        session.expunge(found)
        return found


def test_offers_list_only_eligible_technicians_street_level_and_count_views(
        grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    first = offer(engine, 1, price=2500)
    offer(engine, 2)
    tech1 = token_headers(engine, "tech1")

    listed = grab_client.get("/v1/grab/offers", headers=tech1)
    assert listed.status_code == 200, listed.text
    rows = listed.json()
    assert [r["order_id"] for r in rows] == [1, 2]  # same distance: the earlier expiry first
    one = rows[0]
    assert one["offer_id"] == first and one["below_floor"] is True and one["price_fen"] == 2500
    # Street level only: no house number, no customer phone or name anywhere in the offer.
    assert one["address_hint"] == "chaoyang road"
    assert "13800000001" not in listed.text and "customer 01" not in listed.text
    assert one["distance_km"] is not None and one["distance_km"] < 2
    # tech2 lacks the aircon skill, tech3 works in another city: neither is offered anything.
    for other in ("tech2", "tech3"):
        assert grab_client.get("/v1/grab/offers", headers=token_headers(engine, other)).json() == []

    grab_client.get("/v1/grab/offers", headers=tech1)  # a second look is not a second view
    assert _offer_row(grab_client, first).views == 1
    with Session(engine) as session:
        assert len(session.scalars(select(GrabViewRecord)).all()) == 2


def test_a_claim_assigns_and_accepts_in_one_step(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer_id = offer(engine, 1)
    listed = grab_client.get("/v1/grab/offers", headers=token_headers(engine, "tech1")).json()

    got = grab_client.post(f"/v1/grab/offers/1/claim?version={listed[0]['version']}",
                           headers=token_headers(engine, "tech1"))

    assert got.status_code == 200, got.text
    body = got.json()
    assert body["technician_id"] == 1 and body["offer_id"] == offer_id
    assert body["order"]["state"] == "accepted" and body["order"]["technician_name"] == "Wang Jian"
    stored = _offer_row(grab_client, offer_id)
    assert (stored.status, stored.claimed_by, stored.claim_attempts) == ("claimed", 1, 1)
    with Session(engine) as session:
        events = session.scalars(select(OrderEventRecord).where(OrderEventRecord.order_id == 1)
                                 .order_by(OrderEventRecord.seq)).all()
    claim, accept = events[-2:]
    assert (claim.kind, claim.actor, claim.data["technician_id"]) == ("claim", "tech1", 1)
    assert claim.reason.startswith("抢单") and accept.reason.startswith("抢单即接单")
    assert accept.kind == "accept" and accept.to_state == "accepted"
    # No longer offered to anyone.
    assert grab_client.get("/v1/grab/offers", headers=token_headers(engine, "tech1")).json() == []


def test_refusals_are_clear_and_change_nothing(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    (rival,) = add_technicians(engine, 1)
    offer_id = offer(engine, 1)
    tech1, other = token_headers(engine, "tech1"), token_headers(engine, rival)

    stale = grab_client.post("/v1/grab/offers/1/claim?version=1", headers=tech1)
    assert stale.status_code == 409 and "订单已变更" in stale.json()["detail"]
    assert stale.json()["current_version"] > 1
    not_offered = grab_client.post("/v1/grab/offers/2/claim", headers=tech1)
    assert not_offered.status_code == 404 and "不在抢单池" in not_offered.json()["detail"]
    lacks_skill = grab_client.post("/v1/grab/offers/1/claim",
                                   headers=token_headers(engine, "tech2"))
    assert lacks_skill.status_code == 403 and "缺少技能" in lacks_skill.json()["detail"]
    assert _offer_row(grab_client, offer_id).status == "open"

    assert grab_client.post("/v1/grab/offers/1/claim", headers=tech1).status_code == 200
    taken = grab_client.post("/v1/grab/offers/1/claim", headers=other)
    assert taken.status_code == 409 and "已被其他师傅抢走" in taken.json()["detail"]
    again = grab_client.post("/v1/grab/offers/1/claim", headers=tech1)
    assert again.status_code == 409 and "你已抢到此单" in again.json()["detail"]
    stored = _offer_row(grab_client, offer_id)
    assert (stored.status, stored.claimed_by, stored.claim_attempts) == ("claimed", 1, 5)


def test_an_expired_offer_is_gone(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer_id = offer(engine, 1, minutes=5, at=datetime.now(UTC) - timedelta(minutes=10))
    tech1 = token_headers(engine, "tech1")
    assert grab_client.get("/v1/grab/offers", headers=tech1).json() == []
    late = grab_client.post("/v1/grab/offers/1/claim", headers=tech1)
    assert late.status_code == 410 and "抢单时间已过" in late.json()["detail"]
    assert late.json()["title"] == "Gone"
    assert _offer_row(grab_client, offer_id).status == "open"  # the dispatcher expires it


def test_a_technician_who_refused_the_order_is_not_offered_it_again(
        grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer(engine, 1)
    tech1 = token_headers(engine, "tech1")
    assert grab_client.post("/v1/grab/offers/1/claim", headers=tech1).status_code == 200
    with UnitOfWork(engine) as uow:  # tech1 gives it back; it returns to the pool
        order = uow.orders.get(1)
        assert order is not None
        now = datetime.now(UTC)
        order.perform("refuse", Actor("tech1", Role.TECHNICIAN, 1), now, "太远",
                      code="too_far")
        uow.orders.save(order)
        uow.session.execute(update(GrabOfferRecord).values(status="expired"))
        uow.commit()
    from core.dispatch.policy import RegionPolicy
    from core.storage.grab.pool import open_offer
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(1)
        assert order is not None
        open_offer(uow.session, order, RegionPolicy(), datetime.now(UTC), 30)
        uow.commit()

    assert grab_client.get("/v1/grab/offers", headers=tech1).json() == []
    refused = grab_client.post("/v1/grab/offers/1/claim", headers=tech1)
    assert refused.status_code == 403 and "拒绝或超时" in refused.json()["detail"]


def test_the_desk_sees_the_pool(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer(engine, 1, price=2000)
    offer(engine, 2, price=5000)
    grab_client.get("/v1/grab/offers", headers=token_headers(engine, "tech1"))
    assert grab_client.post("/v1/grab/offers/2/claim",
                            headers=token_headers(engine, "tech1")).status_code == 200
    agent = token_headers(engine, "agent")

    summary = grab_client.get("/v1/grab/pool", headers=agent).json()
    assert (summary["open"], summary["claimed"], summary["expired"]) == (1, 1, 0)
    assert (summary["views"], summary["claim_attempts"], summary["below_floor"]) == (2, 1, 1)
    assert [r["order_id"] for r in summary["rows"]] == [2, 1]
    claimed = summary["rows"][0]
    assert claimed["claimed_by_name"] == "Wang Jian" and claimed["closed_at"] is not None
    only_open = grab_client.get("/v1/grab/pool?status=open", headers=agent).json()
    assert [r["order_id"] for r in only_open["rows"]] == [1] and only_open["claimed"] == 1
    assert grab_client.get("/v1/grab/pool?status=bogus", headers=agent).status_code == 422
    assert grab_client.get("/v1/grab/pool",
                           headers=token_headers(engine, "tech1")).status_code == 403
    assert grab_client.get("/v1/grab/offers", headers=agent).status_code == 403
