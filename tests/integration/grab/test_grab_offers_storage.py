"""Offers as the dispatcher uses them: open (idempotent), due, close, stale; and address hints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from grab_support import AGENT, engine_of, offer

from core.dispatch.policy import RegionPolicy
from core.storage.grab.listing import address_hint
from core.storage.grab.pool import close_offer, due_offers, open_offer, stale_offers
from core.storage.tables import GrabOfferRecord
from core.storage.uow import UnitOfWork


def test_open_offer_is_idempotent_and_flags_a_price_below_the_floor(
        grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    now = datetime.now(UTC)
    first = offer(engine, 1, price=2500, policy=RegionPolicy(grab_floor_fen=3000), at=now)
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(1)
        assert order is not None
        again = open_offer(uow.session, order, RegionPolicy(grab_floor_fen=100), now, 99)
        assert again.id == first and again.floor_fen == 3000  # the open one, unchanged
        assert (again.price_fen, again.below_floor, again.county_adcode) == (2500, True, "110105")
        assert again.expires_at == now + timedelta(minutes=30)
    unpriced = offer(engine, 2)
    with UnitOfWork(engine) as uow:
        record = uow.session.get(GrabOfferRecord, unpriced)
        assert record is not None and record.price_fen is None and record.below_floor is False


def test_due_close_and_stale(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    now = datetime.now(UTC)
    early = offer(engine, 1, minutes=5, at=now - timedelta(minutes=10))
    later = offer(engine, 2, minutes=30, at=now)
    gone = offer(engine, 3, minutes=30, at=now)
    with UnitOfWork(engine) as uow:  # order 3 leaves the pool: an agent takes it over
        order = uow.orders.get(3)
        assert order is not None
        order.perform("escalate", AGENT, now, "需要人工", mode="manual", code="agent")
        uow.orders.save(order)
        uow.commit()

    with UnitOfWork(engine) as uow:
        assert [o.id for o in due_offers(uow.session, now)] == [early]
        assert [o.id for o in stale_offers(uow.session)] == [gone]
        loaded = uow.session.get(GrabOfferRecord, early)
        assert close_offer(uow.session, early, "expired", now) is True
        assert loaded is not None and loaded.status == "expired"  # the loaded copy follows
        assert close_offer(uow.session, early, "withdrawn", now) is False  # already closed
        assert close_offer(uow.session, gone, "withdrawn", now) is True
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert due_offers(uow.session, now + timedelta(hours=1)) == [
            uow.session.get(GrabOfferRecord, later)]
        assert stale_offers(uow.session) == []


def test_address_hints_stop_at_the_street() -> None:
    assert address_hint("北京市朝阳区建国路88号SOHO现代城A座1203", "朝阳区") == "北京市朝阳区建国路"
    assert address_hint("朝阳区幸福小区五号楼三单元301", "朝阳区") == "朝阳区幸福小区"
    assert address_hint("望京西园三区２２２号楼", "") == "望京西园三区"
    assert address_hint("12 Chaoyang Road, flat 3", "") == "Chaoyang Road flat"
    assert address_hint("", "朝阳区") == "朝阳区"
