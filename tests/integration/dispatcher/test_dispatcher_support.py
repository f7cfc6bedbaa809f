"""Helpers for the dispatcher's database tests (no tests here; the name keeps it with them).

The world is the shared `world` fixture (api_world.py, conftest's tiny dataset seeded at
SEEDED_AT, on SQLite and PostgreSQL): three new orders in Beijing's 朝阳 (110105) needing
"aircon"; technicians t1 (aircon, 110105), t2 (general only, 110108), t3 (aircon, Shanghai).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from api_world import SEEDED_AT
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.orders.lifecycle import Role
from core.orders.model import Actor, ServiceOrder
from core.services.dispatch import RoundReport, Transactions, run_round
from core.storage.tables import (
    DispatchPolicyRecord,
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    ServicePointRecord,
    TechnicianRecord,
)
from core.storage.uow import UnitOfWork

T0 = SEEDED_AT + timedelta(hours=1)
AGENT = Actor("agent", Role.AGENT)


def round_at(engine: Engine, at: datetime) -> RoundReport:
    """One dispatch round with the clock standing at `at`."""
    return run_round(engine, SimulatedClock(at))


def writer(engine: Engine, at: datetime = T0) -> Transactions:
    """Units of work for applying a plan by hand, on a clock standing at `at`."""
    return Transactions(engine, SimulatedClock(at))


def order(engine: Engine, order_id: int) -> ServiceOrder:
    with UnitOfWork(engine) as uow:
        found = uow.orders.get(order_id)
    assert found is not None
    return found


def act(engine: Engine, order_id: int, action: str, at: datetime = T0, reason: str = "test",
        actor: Actor = AGENT, **args: Any) -> ServiceOrder:
    with UnitOfWork(engine) as uow:
        found = uow.orders.get(order_id)
        assert found is not None
        found.perform(action, actor, at, reason, **args)
        uow.orders.save(found)
        uow.commit()
    return found


def classify(engine: Engine, order_id: int, at: datetime = T0) -> ServiceOrder:
    """Audit, place and classify a new order: ready for the dispatcher."""
    act(engine, order_id, "audit", at)
    act(engine, order_id, "place", at, county_adcode="110105")
    return act(engine, order_id, "classify", at, service_type="install")


def set_policy(engine: Engine, body: dict[str, Any], scope: str = "") -> None:
    with Session(engine) as session, session.begin():
        session.merge(DispatchPolicyRecord(scope=scope, body=body, version=1,
                                           updated_by="test", updated_at=SEEDED_AT))


def technician_id(engine: Engine, key: str) -> int:
    with Session(engine) as session:
        found = session.scalar(select(TechnicianRecord.id).where(TechnicianRecord.key == key))
    assert found is not None
    return found


def set_technician(engine: Engine, key: str, **values: Any) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(TechnicianRecord).where(TechnicianRecord.key == key)
                        .values(**values))


def add_technician(engine: Engine, key: str, lng: float, lat: float,
                   skills: tuple[str, ...] = ("aircon",), point: str = "bj-cy") -> int:
    with Session(engine) as session, session.begin():
        point_id = session.scalar(select(ServicePointRecord.id)
                                  .where(ServicePointRecord.key == point))
        tech = TechnicianRecord(key=key, username=None, name=f"师傅{key}", phone="13900009999",
                                skills=list(skills), county_adcode="110105",
                                service_point_id=point_id, home_lng=lng, home_lat=lat,
                                daily_capacity=5, active=True, rating=4.9, qualifications=[])
        session.add(tech)
        session.flush()
        return tech.id


def events(engine: Engine, order_id: int) -> list[OrderEventRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderEventRecord)
                                    .where(OrderEventRecord.order_id == order_id)
                                    .order_by(OrderEventRecord.seq)))


def offers(engine: Engine, order_id: int) -> list[GrabOfferRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(GrabOfferRecord)
                                    .where(GrabOfferRecord.order_id == order_id)
                                    .order_by(GrabOfferRecord.id)))


def order_ids(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderRecord.id).order_by(OrderRecord.id)))
