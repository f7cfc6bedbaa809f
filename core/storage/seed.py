"""A demo database: users, service points, technicians and orders, only into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.db import EVENT_LOCK, WRITE_OPTION, is_postgres, schema_lock
from core.storage.intake import build_orders
from core.storage.orders import OrderRepository
from core.storage.tables import (
    OrderEventRecord,
    OrderRecord,
    ServicePointRecord,
    TechnicianRecord,
    UserRecord,
)

DEMO_PASSWORD = "demo"
DESK_USERS = (
    ("agent", "Agent", Role.AGENT),
    ("supervisor", "Supervisor", Role.SUPERVISOR),
    ("finance", "Finance", Role.FINANCE),
    ("admin", "Administrator", Role.ADMIN),
    # The automatic intake/dispatch stand-in the simulator logs in as.
    ("centre", "Dispatch centre", Role.ADMIN),
)
BATCH = 2000
# Demo orders arrive one a minute up to "now", so the queue has a history to sort by.
ARRIVAL_GAP = timedelta(minutes=1)


def is_empty(session: Session) -> bool:
    has_users = session.scalar(select(func.count()).select_from(UserRecord))
    has_orders = session.scalar(select(func.count()).select_from(OrderRecord))
    return not has_users and not has_orders


def seed_demo(engine: Engine, dataset: DemoDataset, now: datetime | None = None) -> bool:
    """Fill an empty database with the demo world; False (and nothing written) if not empty."""
    now = now or datetime.now(UTC)
    with Session(engine.execution_options(**{WRITE_OPTION: True})) as session:
        with session.begin():
            with schema_lock(session.connection()):
                if not is_empty(session):
                    return False
                _people(session, dataset)
                _orders(session, dataset, now)
    return True


def _people(session: Session, dataset: DemoDataset) -> None:
    # Every demo account has the same published password, so one argon2 hash (about 80 ms)
    # serves them all instead of one per account.
    password_hash = PasswordHasher().hash(DEMO_PASSWORD)
    points = {}
    for p in dataset.service_points:
        points[p.key] = ServicePointRecord(key=p.key, name=p.name, county_adcode=p.county_adcode)
        session.add(points[p.key])
    session.flush()
    for username, display, role in DESK_USERS:
        session.add(UserRecord(username=username, display_name=display, role=role.value,
                               password_hash=password_hash))
    for t in dataset.technicians:
        point = points.get(t.service_point_key)
        tech = TechnicianRecord(
            key=t.key, username=t.username, name=t.name, phone=t.phone, skills=list(t.skills),
            county_adcode=t.county_adcode, service_point_id=point.id if point else None,
            home_lng=t.home_lng, home_lat=t.home_lat, daily_capacity=t.daily_capacity,
            active=True,
        )
        session.add(tech)
        session.flush()
        session.add(UserRecord(username=t.username, display_name=t.name,
                               role=Role.TECHNICIAN.value, technician_id=tech.id,
                               password_hash=password_hash))
    session.flush()


def _orders(session: Session, dataset: DemoDataset, now: datetime) -> None:
    actor = Actor("centre", Role.ADMIN)
    total = len(dataset.orders)
    repo = OrderRepository(session)
    for start in range(0, total, BATCH):
        chunk = dataset.orders[start:start + BATCH]
        timed = [(o, now - ARRIVAL_GAP * (total - start - n)) for n, o in enumerate(chunk)]
        orders = build_orders(session, timed, actor)
        repo.add_many(orders)
        if is_postgres(session.connection()):
            # Same ordering rule as UnitOfWork.commit: event writers commit in seq order.
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
        session.execute(insert(OrderEventRecord), repo.pending_event_rows())
        repo.forget_pending()
