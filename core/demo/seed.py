"""A demo database: users, service points, technicians and orders, only into an empty database."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK, SimulatedClock
from core.demo.dataset import DemoDataset
from core.demo.history import Hand, History, play, receive
from core.demo.people import DEMO_PASSWORD, DESK_USERS
from core.demo.policies import OUTER_ACCEPT_MINUTES, county_limits, downtown_counties
from core.orders.lifecycle import Role
from core.orders.model import ServiceOrder
from core.services.fieldwork.review_period import begin_review
from core.services.sla.limits import SetLimits, handle_set_limits
from core.storage.db import EVENT_LOCK, WRITE_OPTION, is_postgres, schema_lock
from core.storage.orders.numbers import next_order_numbers
from core.storage.orders.repository import OrderRepository
from core.storage.tables import (
    BlacklistRecord,
    ClientRecord,
    DispatchPolicyRecord,
    IntakeSourceRecord,
    OrderEventRecord,
    OrderRecord,
    ServicePointRecord,
    ServiceRegionRecord,
    TechnicianRecord,
    UserRecord,
)
from core.storage.uow import UnitOfWork

# Every platform the centre reads; each gets a webhook source with a published demo secret
# (core.demo.arrivals signs with the same) and a client with the shop its demo orders name.
DEMO_PLATFORMS = ("tmall", "taobao", "jd", "suning", "erp", "own")
DEMO_INTAKE_SECRETS = {platform: f"demo-{platform}-secret" for platform in DEMO_PLATFORMS}
# (platform, client name, audit mode, coverage mode): both strategies of each kind show.
DEMO_CLIENTS = (
    ("tmall", "天猫旗舰店（演示）", "auto_pass", "accept_all"),
    ("taobao", "淘宝专卖店（演示）", "manual", "covered_only"),
    ("jd", "京东自营（演示）", "auto_pass", "covered_only"),
    ("suning", "苏宁易购（演示）", "auto_pass", "accept_all"),
    ("erp", "品牌 ERP（演示）", "manual", "accept_all"),
    ("own", "自营商城", "auto_pass", "accept_all"),
)
DEMO_BLACKLIST = (
    ("13000000000", "", "历史刷单手机号"),
    ("", "测试路 1 号", "刷单常用收货地址"),
)
BATCH = 2000
# Orders without a history arrive one a minute up to "now", so the queue has an order to sort by.
ARRIVAL_GAP = timedelta(minutes=1)


def is_empty(session: Session) -> bool:
    has_users = session.scalar(select(func.count()).select_from(UserRecord))
    has_orders = session.scalar(select(func.count()).select_from(OrderRecord))
    return not has_users and not has_orders


def seed_demo(engine: Engine, dataset: DemoDataset, now: datetime | None = None) -> bool:
    """Fill an empty database with the demo world; False (and nothing written) if not empty."""
    now = now or WALL_CLOCK.now()
    with Session(engine.execution_options(**{WRITE_OPTION: True})) as session:
        with session.begin():
            with schema_lock(session.connection()):
                if not is_empty(session):
                    return False
                staff = _people(session, dataset)
                _intake(session, dataset, now)
                _policies(session, dataset, now)
                _orders(session, _history(session, dataset, staff, now))
    _county_limits(engine, dataset, now)
    return True


def _county_limits(engine: Engine, dataset: DemoDataset, now: datetime) -> None:
    """The outer counties' 45 minutes to accept, as SLA limits the admin set (audited, through
    the limits handler: open orders' deadlines follow)."""
    for adcode, body in county_limits(t.county_adcode for t in dataset.technicians).items():
        handle_set_limits(SetLimits(adcode, body, 0, "演示数据：外围区县接单 45 分钟 (demo: outer "
                                                     "counties accept within 45 minutes)",
                                    "admin"), UnitOfWork(engine, clock=SimulatedClock(now)))


def add_missing_intake(engine: Engine, dataset: DemoDataset,
                       now: datetime | None = None) -> bool:
    """A demo database seeded before the conversion centre or dispatch existed gets what it
    lacks, once: the intake setup (webhook sources and secrets, clients, covered counties,
    blacklist), the dispatch setup (region policies, ratings, certificates, point
    capacities) and demo users added since. True if anything was added."""
    now = now or WALL_CLOCK.now()
    with Session(engine.execution_options(**{WRITE_OPTION: True})) as session:
        with session.begin():
            with schema_lock(session.connection()):
                demo = session.scalar(select(UserRecord.id).where(UserRecord.username == "centre"))
                if demo is None:
                    return False
                sources = session.scalar(select(func.count()).select_from(IntakeSourceRecord))
                if not sources:
                    _intake(session, dataset, now)
                added_dispatch = add_missing_dispatch(session, dataset, now)
                added_users = _add_missing_users(session)
    return not sources or added_dispatch or added_users


@functools.cache
def demo_password_hash() -> str:
    """The argon2 hash of the published demo password, made once per process: every demo
    account has that password, and a hash costs 80-250 ms (a test suite seeds a thousand
    databases)."""
    return PasswordHasher().hash(DEMO_PASSWORD)


def _add_missing_users(session: Session) -> bool:
    """Demo users added since the database was seeded (the simulator's `sim-agent`)."""
    known = set(session.scalars(select(UserRecord.username)))
    missing = [u for u in DESK_USERS if u[0] not in known]
    if not missing:
        return False
    password_hash = demo_password_hash()
    for username, display, role in missing:
        session.add(UserRecord(username=username, display_name=display, role=role.value,
                               password_hash=password_hash))
    session.flush()
    return True


def add_missing_dispatch(session: Session, dataset: DemoDataset, now: datetime) -> bool:
    """Region policies and the staff's dispatch facts for a demo database that has no policy
    yet (seeded before dispatch); the caller holds the schema lock. True if added."""
    if not dataset.policies or session.scalar(
            select(func.count()).select_from(DispatchPolicyRecord)):
        return False
    _policies(session, dataset, now)
    # Match by key: an older demo has the same staff, only without these facts.
    techs = {t.key: t for t in dataset.technicians}
    for record in session.scalars(select(TechnicianRecord)):
        profile = techs.get(record.key)
        if profile is not None:
            record.rating, record.qualifications = profile.rating, list(profile.qualifications)
    points = {p.key: p for p in dataset.service_points}
    for point in session.scalars(select(ServicePointRecord)):
        if point.key in points:
            point.daily_capacity = points[point.key].daily_capacity
    session.flush()
    return True


def _policies(session: Session, dataset: DemoDataset, now: datetime) -> None:
    # Written as the admin would have set them, version 1 (the policy log starts empty).
    for scope, body in dataset.policies.items():
        session.add(DispatchPolicyRecord(scope=scope, body=dict(body), version=1,
                                         updated_by="admin", updated_at=now))
    session.flush()


def _people(session: Session, dataset: DemoDataset) -> list[Hand]:
    password_hash = demo_password_hash()
    points = {}
    for p in dataset.service_points:
        points[p.key] = ServicePointRecord(key=p.key, name=p.name, county_adcode=p.county_adcode,
                                           daily_capacity=p.daily_capacity)
        session.add(points[p.key])
    session.flush()
    for username, display, role in DESK_USERS:
        session.add(UserRecord(username=username, display_name=display, role=role.value,
                               password_hash=password_hash))
    records = []
    for t in dataset.technicians:
        point = points.get(t.service_point_key)
        records.append(TechnicianRecord(
            key=t.key, username=t.username, name=t.name, phone=t.phone, skills=list(t.skills),
            county_adcode=t.county_adcode, service_point_id=point.id if point else None,
            home_lng=t.home_lng, home_lat=t.home_lat, daily_capacity=t.daily_capacity,
            active=True, rating=t.rating, qualifications=list(t.qualifications),
        ))
    session.add_all(records)
    session.flush()
    for t, record in zip(dataset.technicians, records, strict=True):
        session.add(UserRecord(username=t.username, display_name=t.name,
                               role=Role.TECHNICIAN.value, technician_id=record.id,
                               password_hash=password_hash))
    session.flush()
    return [Hand(r.id, t) for t, r in zip(dataset.technicians, records, strict=True)]


def demo_shop(platform: str) -> str:
    """The shop name demo orders of a platform carry (core.demo.arrivals)."""
    return f"demo-{platform}"


def _intake(session: Session, dataset: DemoDataset, now: datetime) -> None:
    """Sources, clients, covered counties with their standards, and a small blacklist."""
    for platform, name, audit_mode, coverage_mode in DEMO_CLIENTS:
        code = f"demo-{platform}"
        session.add(ClientRecord(code=code, name=name, shops=[demo_shop(platform)],
                                 audit_mode=audit_mode, coverage_mode=coverage_mode,
                                 merge_window_minutes=30, review_threshold=40))
        session.add(IntakeSourceRecord(key=f"{platform}-webhook", platform=platform,
                                       kind="webhook", location="",
                                       secret=DEMO_INTAKE_SECRETS[platform], client_code=code,
                                       active=True))
    # The network covers the counties its technicians live in; the first county of each city
    # is the premium one (downtown), the others standard.
    counties = sorted({t.county_adcode for t in dataset.technicians})
    downtowns = downtown_counties(counties)
    for adcode in counties:
        downtown = adcode in downtowns
        session.add(ServiceRegionRecord(
            county_adcode=adcode, covered=True,
            accept_minutes=30 if downtown else OUTER_ACCEPT_MINUTES,
            appoint_hours=24, visit_hours=48 if downtown else 72,
            fee_level="premium" if downtown else "standard",
            urge_after_minutes=60 if downtown else 90))
    for phone, address, reason in DEMO_BLACKLIST:
        session.add(BlacklistRecord(phone=phone, address=address, reason=reason,
                                    created_at=now))
    session.flush()


def _history(
    session: Session, dataset: DemoDataset, staff: list[Hand], now: datetime
) -> History:
    def number(at: datetime) -> str:
        return next_order_numbers(session, at, 1)[0]

    if dataset.history_seed is not None:
        return play(dataset.orders, staff, now, dataset.history_seed, number)
    total = len(dataset.orders)
    times = [now - ARRIVAL_GAP * (total - n) for n in range(total)]
    received: list[ServiceOrder] = []
    for start in range(0, total, BATCH):
        # One number reservation per batch: the orders arrive a minute apart, mostly one day.
        chunk = times[start:start + BATCH]
        numbers = next_order_numbers(session, chunk[0], len(chunk))
        received.extend(
            receive(create, at, no)
            for create, at, no in zip(dataset.orders[start:], chunk, numbers, strict=False)
        )
    return History(received, [])


def _orders(session: Session, history: History) -> None:
    repo = OrderRepository(session)
    for start in range(0, len(history.orders), BATCH):
        repo.add_many(history.orders[start:start + BATCH])
    for index, child in history.after_sales:
        child.parent_id = history.orders[index].id
    repo.add_many([child for _, child in history.after_sales])
    for index, began in history.reviews:  # oldest first: a technician's first orders sampled
        begin_review(session, history.orders[index], began)
        repo.save(history.orders[index])
    # Events go in by time, so the change feed's seq order is the order things happened in
    # (the sort is stable: an order's own events keep their version order).
    rows = sorted(repo.pending_event_rows(), key=lambda row: row["at"])
    if is_postgres(session.connection()):
        # Same ordering rule as UnitOfWork.commit: event writers commit in seq order.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
    for start in range(0, len(rows), BATCH * 5):
        session.execute(insert(OrderEventRecord), rows[start:start + BATCH * 5])
    repo.forget_pending()
