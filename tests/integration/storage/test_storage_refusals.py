"""One query for who an order was released from (core.storage.dispatch.refusals), SQLite and
PostgreSQL: the desk's refusal counts, the candidates' breaks and the grab pool read the same
events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.dispatch.refusals import Release
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.orders import build_orders
from core.storage.dispatch.refusals import refusals, releases
from core.storage.grab.eligibility import turned_down
from core.storage.tables import OrderEventRecord, OrderRecord
from core.storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _orders(engine: Engine, make_order: Callable[..., OrderCreate], n: int) -> list[int]:
    with UnitOfWork(engine) as uow:
        orders = build_orders(uow.session, [(make_order(i), AT) for i in range(1, n + 1)],
                              Actor("agent", Role.AGENT))
        for order in orders:
            uow.orders.add(order)
        uow.commit()
    return [o.id for o in orders if o.id is not None]


def _event(session: Session, order_id: int, kind: str, at: datetime, **data: Any) -> None:
    session.add(OrderEventRecord(order_id=order_id, kind=kind, from_state="assigned",
                                 to_state="dispatching", actor="x", actor_role="system",
                                 reason="", at=at, version=9, data=data))


def _history(engine: Engine, make_order: Callable[..., OrderCreate]) -> tuple[int, int]:
    first, second = _orders(engine, make_order, 2)
    with Session(engine) as session:
        _event(session, first, "refuse", AT, previous_technician_id=3, code="too_far")
        _event(session, first, "withdraw", AT + timedelta(hours=1), previous_technician_id=4,
               code="timeout")
        _event(session, first, "withdraw", AT + timedelta(hours=2), previous_technician_id=5,
               mode="manual")
        _event(session, first, "assign", AT + timedelta(hours=3), previous_technician_id=6)
        _event(session, second, "refuse", AT - timedelta(days=40), previous_technician_id=3)
        session.commit()
    return first, second


def test_every_release_of_an_order_oldest_first(
        engine: Engine, make_order: Callable[..., OrderCreate]) -> None:
    first, _ = _history(engine, make_order)

    with Session(engine) as session:
        found = releases(session, order_ids=[first])
        by_select = releases(session, order_ids=select(OrderRecord.id).where(
            OrderRecord.id == first))

    assert [(r.what.technician_id, r.what.how) for r in found] == [
        (3, Release.REFUSED), (4, Release.TIMED_OUT), (5, Release.TAKEN_BACK)]
    assert by_select == found


def test_refusals_count_refusing_and_lapsing_not_a_take_back(
        engine: Engine, make_order: Callable[..., OrderCreate]) -> None:
    first, _ = _history(engine, make_order)

    with Session(engine) as session:
        of_order = refusals(session, order_id=first)
        recent = refusals(session, since=AT - timedelta(days=30))
        ever = refusals(session)

    assert [(r.technician_id, r.code, r.timeout) for r in of_order] == [
        (3, "too_far", False), (4, "timeout", True)]
    assert recent == of_order
    assert [(r.technician_id, r.code) for r in ever] == [(3, "too_far"), (4, "timeout"),
                                                        (3, "other")]


def test_the_pool_never_offers_an_order_again_to_anyone_it_was_released_from(
        engine: Engine, make_order: Callable[..., OrderCreate]) -> None:
    first, second = _history(engine, make_order)

    with Session(engine) as session:
        found = {tech: turned_down(session, tech, [first, second]) for tech in (3, 4, 5, 6)}
        none_asked = turned_down(session, 3, [])

    assert found == {3: {first, second}, 4: {first}, 5: {first}, 6: set()}
    assert none_asked == set()
