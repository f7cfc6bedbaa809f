"""The grab claim handler called directly with a real SQLite unit of work (no HTTP): one wins,
the others are refused with the reason, and every attempt is counted."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from order_world import AGENT, LI, T0, TECH1, WANG, engine, world_template
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.dispatch.policy import RegionPolicy
from core.errors import Conflict, Gone, NotFound, Refused
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.grab import (
    AlreadyTaken,
    Claimed,
    ClaimOffer,
    NotATechnician,
    NotOffered,
    NotOpenToYou,
    OfferGone,
    OrderChanged,
    handle_claim,
)
from core.sla.deadlines import reply_due
from core.storage.grab.pool import open_offer
from core.storage.tables import GrabOfferRecord, OrderEventRecord, OrderRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
NOW = T0 + timedelta(minutes=5)
TECH2 = Actor("tech2", Role.TECHNICIAN, technician_id=LI)


def _offered(engine: Engine, order_id: int = 1, minutes: int = 30) -> int:
    """Walk the order to the grab pool and offer it at T0 for `minutes`; the offer's id."""
    with UnitOfWork(engine, clock=SimulatedClock(T0)) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command in (c.Audit(), c.Place(), c.Classify(), c.OpenDispatch(mode="grab")):
            order.apply(command, AGENT, T0)
        uow.orders.save(order)
        offer_id = open_offer(uow.session, order, RegionPolicy(), T0, minutes).id
        uow.commit()
    return offer_id


def _claim(engine: Engine, actor: Actor, order_id: int = 1, *, at: datetime = NOW,
           version: int | None = None) -> Claimed:
    return handle_claim(ClaimOffer(order_id, actor, version),
                        UnitOfWork(engine, clock=SimulatedClock(at)))


def _offer(engine: Engine, offer_id: int) -> tuple[str, int | None, int]:
    with Session(engine) as s:
        found = s.get(GrabOfferRecord, offer_id)
        assert found is not None
        return found.status, found.claimed_by, found.claim_attempts


def _order(engine: Engine, order_id: int = 1) -> tuple[str, int | None, int]:
    with Session(engine) as s:
        found = s.get(OrderRecord, order_id)
        assert found is not None
        return found.state, found.technician_id, found.version


def test_the_winner_is_assigned_and_accepted_in_one_step(engine: Engine) -> None:
    offer_id = _offered(engine)

    won = _claim(engine, TECH1)

    assert (won.order_id, won.technician_id, won.offer_id, won.claimed_at) == (
        1, WANG, offer_id, NOW)
    assert won.accept_by is None  # accepted at once: no deadline left to meet
    assert won.order.state == "accepted" and won.order.technician_name == "Wang Jian"
    assert _offer(engine, offer_id) == ("claimed", WANG, 1)
    with Session(engine) as s:
        claim, accept = s.scalars(select(OrderEventRecord).where(OrderEventRecord.order_id == 1)
                                  .order_by(OrderEventRecord.seq)).all()[-2:]
    assert [(e.kind, e.actor, e.at) for e in (claim, accept)] == [
        ("claim", "tech1", NOW), ("accept", "tech1", NOW)]
    # The claim set the acceptance deadline by the county's policy (core.sla), from the clock.
    due = reply_due(NOW, RegionPolicy().accept_minutes)
    assert claim.data["accept_by"] == due.isoformat()


def test_a_loser_is_told_it_was_taken_and_its_attempt_counts(engine: Engine) -> None:
    offer_id = _offered(engine)
    rival = Actor("tech3", Role.TECHNICIAN, technician_id=3)  # another city: never reaches
    _claim(engine, TECH1)                                       # eligibility once it is taken

    with pytest.raises(AlreadyTaken, match="已被其他师傅抢走") as lost:
        _claim(engine, rival)
    with pytest.raises(AlreadyTaken, match="你已抢到此单"):
        _claim(engine, TECH1)

    assert isinstance(lost.value, Conflict) and lost.value.status == 409
    assert _offer(engine, offer_id) == ("claimed", WANG, 3)
    assert _order(engine)[:2] == ("accepted", WANG)


def test_an_expired_offer_is_gone_and_stays_for_the_dispatcher(engine: Engine) -> None:
    offer_id = _offered(engine, minutes=5)
    _, _, version = _order(engine)

    with pytest.raises(OfferGone, match="抢单时间已过") as late:
        _claim(engine, TECH1, at=T0 + timedelta(minutes=5))

    assert isinstance(late.value, Gone) and late.value.status == 410
    assert _offer(engine, offer_id) == ("open", None, 1)  # the dispatcher expires it
    assert _order(engine) == ("dispatching", None, version)


def test_an_ineligible_technician_is_told_why(engine: Engine) -> None:
    offer_id = _offered(engine)

    with pytest.raises(NotOpenToYou, match="此单未向你开放：缺少技能") as refused:
        _claim(engine, TECH2)

    assert isinstance(refused.value, Refused) and refused.value.status == 403
    assert _offer(engine, offer_id) == ("open", None, 1)


def test_a_stale_version_is_a_conflict_with_the_current_one(engine: Engine) -> None:
    offer_id = _offered(engine)
    _, _, version = _order(engine)

    with pytest.raises(OrderChanged, match="订单已变更") as stale:
        _claim(engine, TECH1, version=version - 1)

    assert stale.value.current_version == version
    assert _offer(engine, offer_id) == ("open", None, 1)
    assert _order(engine) == ("dispatching", None, version)
    assert _claim(engine, TECH1, version=version).order.version > version


def test_an_order_never_offered_is_not_found_and_counts_nothing(engine: Engine) -> None:
    with pytest.raises(NotOffered, match="不在抢单池中") as missing:
        _claim(engine, TECH1, order_id=2)
    assert isinstance(missing.value, NotFound)


def test_a_login_without_a_technician_may_not_claim(engine: Engine) -> None:
    offer_id = _offered(engine)
    with pytest.raises(NotATechnician, match="未关联师傅"):
        _claim(engine, Actor("agent", Role.TECHNICIAN))
    assert _offer(engine, offer_id) == ("open", None, 0)
