"""The demo seed and where the database lives."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset, build
from core.demo.seed import add_missing_intake, seed_demo
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.storage import db
from core.storage.fieldwork.followups import FollowupRecord, ReviewPeriodRecord
from core.storage.orders.feed import events_after
from core.storage.orders.numbers import BUSINESS_TZ
from core.storage.people.accounts import TechnicianView, technicians
from core.storage.tables import (
    BlacklistRecord,
    ClientRecord,
    IntakeSourceRecord,
    OrderEventRecord,
    OrderRecord,
    ServiceRegionRecord,
    TechnicianRecord,
    UserRecord,
)


def test_seeding_an_empty_database_creates_users_staff_and_received_orders(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seeded = seed_demo(engine, make_dataset(orders=4))

    with Session(engine) as session:
        users = {u.username: u for u in session.scalars(select(UserRecord))}
        techs = session.scalars(select(TechnicianRecord).order_by(TechnicianRecord.id)).all()
        orders = session.scalars(select(OrderRecord)).all()
        events = events_after(session, 0)
    assert seeded
    assert set(users) == {"agent", "supervisor", "finance", "admin", "centre", "sim-agent",
                          "tech1", "tech2", "tech3"}
    # The simulator's stand-ins are users of their own, and none is an admin.
    assert (users["centre"].role, users["sim-agent"].role) == ("supervisor", "agent")
    assert users["tech2"].role == "technician"
    assert users["tech2"].technician_id == techs[1].id and techs[1].username == "tech2"
    assert PasswordHasher().verify(users["finance"].password_hash, "demo")
    assert len(orders) == 4 and {o.state for o in orders} == {"new"}
    assert [(e.kind, e.actor, e.reason) for e in events] == [
        ("created", "intake", "收到平台订单 (received from the platform)")] * 4


def test_demo_users_have_chinese_display_names(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset(orders=1))

    with Session(engine) as session:
        names = {u.username: u.display_name for u in session.scalars(select(UserRecord))}
    assert names["centre"] == "派单中心"
    assert names["admin"] == "管理员"
    assert all(re.search(r"[\u4e00-\u9fff]", names[u]) for u in ("agent", "supervisor", "finance"))


def test_seeding_a_database_that_has_data_changes_nothing(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset(orders=2))

    again = seed_demo(engine, make_dataset(orders=3))

    with Session(engine) as session:
        assert len(session.scalars(select(OrderRecord)).all()) == 2
    assert again is False


def test_an_older_demo_database_gets_the_intake_setup_once(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    dataset = make_dataset(orders=1)
    seed_demo(engine, dataset)
    with Session(engine) as session, session.begin():
        # As a demo database seeded before the conversion centre existed would be.
        for table in (IntakeSourceRecord, ClientRecord, ServiceRegionRecord, BlacklistRecord):
            session.execute(delete(table))

    assert add_missing_intake(engine, dataset) is True
    assert add_missing_intake(engine, dataset) is False  # once only
    with Session(engine) as session:
        platforms = set(session.scalars(select(IntakeSourceRecord.platform)))
        assert platforms == {"tmall", "taobao", "jd", "suning", "erp", "own"}
        assert session.scalars(select(ClientRecord.code)).all()


def test_a_database_that_is_not_a_demo_gets_no_intake_setup(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    assert add_missing_intake(engine, make_dataset(orders=1)) is False
    with Session(engine) as session:
        assert session.scalars(select(IntakeSourceRecord)).all() == []


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTMILE_DATABASE_URL", "postgresql+psycopg://u@h/db")

    assert db.database_url() == "postgresql+psycopg://u@h/db"


def test_without_a_setting_the_database_is_a_file_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LASTMILE_DATABASE_URL", raising=False)
    monkeypatch.delenv("LASTMILE_DATA_DIR", raising=False)
    monkeypatch.setattr(db.platformdirs, "user_data_dir", lambda _: str(tmp_path / "lm"))

    url = db.database_url()

    assert url == f"sqlite:///{tmp_path / 'lm' / 'lastmile.db'}"
    assert (tmp_path / "lm").is_dir()


def test_lastmile_data_dir_moves_the_default_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LASTMILE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(tmp_path / "elsewhere"))

    assert db.database_url() == f"sqlite:///{tmp_path / 'elsewhere' / 'lastmile.db'}"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")

    with engine.connect() as conn:
        pragmas = [conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("journal_mode", "foreign_keys", "busy_timeout")]

    assert pragmas == ["wal", 1, 5000]


# -- the demo backlog: 300 orders with their past, as `lastmile serve --demo` seeds them
BUSY = ("assigned", "accepted", "appointed", "checked_in")
MAJOR_STATES = {"new", "audited", "placed", "classified", "dispatching", *BUSY, "served",
                "verified", "in_review", "settleable", "settled", "closed", "cancelled", "frozen"}


@dataclass(frozen=True)
class Seeded:
    now: datetime
    orders: dict[int, OrderRecord]
    events: list[OrderEventRecord]  # in seq order
    technician_of: dict[str, int]  # technician username -> technician id
    technicians: list[TechnicianView]


def _seed_backlog(engine: Engine) -> Seeded:
    now = datetime.now(UTC).replace(microsecond=0)
    assert seed_demo(engine, build(seed=7, orders=300), now=now)
    with Session(engine) as session:
        orders = {o.id: o for o in session.scalars(select(OrderRecord))}
        events = list(session.scalars(select(OrderEventRecord).order_by(OrderEventRecord.seq)))
        technician_of = {
            u.username: u.technician_id for u in session.scalars(select(UserRecord))
            if u.technician_id is not None
        }
        staff = technicians(session)
        session.expunge_all()
    return Seeded(now, orders, events, technician_of, staff)


def _arguments(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    keys = {"place": ("county_adcode", "county_name"), "classify": ("service_type", "skills"),
            "open_dispatch": ("mode",), "assign": ("technician_id", "technician_name")}
    args = {k: data[k] for k in keys.get(kind, ())}
    if kind == "appoint":
        args = {k: datetime.fromisoformat(data[k]) for k in ("start", "end")}
    if kind == "after_sales":
        args = {"order_no": data["after_sales_order_no"]}
    return args


def _replay(events: list[OrderEventRecord], technician_of: dict[str, int]) -> ServiceOrder:
    """The order the recorded events make when applied through the rules (raises if illegal)."""
    first = events[0]
    order = ServiceOrder("x", "p", "x", "c", "1", "a", first.at, state=OrderState(first.to_state),
                         version=first.version)
    for e in events[1:]:
        role = Role(e.actor_role)
        actor = Actor(e.actor, role, technician_of[e.actor] if role is Role.TECHNICIAN else None)
        order.perform(e.kind, actor, e.at, e.reason, **_arguments(e.kind, e.data))
    return order


def test_the_demo_backlog_spreads_over_every_major_state_within_capacity(
    engine: Engine,
) -> None:
    seeded = _seed_backlog(engine)

    states = Counter(o.state for o in seeded.orders.values())
    assert set(states) >= MAJOR_STATES
    assert 300 <= len(seeded.orders) <= 305  # the backlog and its after-sales requests
    assert sum(states[s] for s in BUSY) >= 75
    assert all(t.load_today < t.record.daily_capacity for t in seeded.technicians)
    assert sum(t.load_today > 0 for t in seeded.technicians) >= 30
    children = [o for o in seeded.orders.values() if o.parent_id is not None]
    assert children and all(seeded.orders[c.parent_id].state in ("settled", "closed")
                            for c in children if c.parent_id is not None)


def test_every_stored_timeline_is_a_legal_path_to_the_stored_order(engine: Engine) -> None:
    seeded = _seed_backlog(engine)

    by_order: dict[int, list[OrderEventRecord]] = {}
    for event in seeded.events:
        by_order.setdefault(event.order_id, []).append(event)
    assert by_order.keys() == seeded.orders.keys()
    for order_id, events in by_order.items():
        stored = seeded.orders[order_id]
        again = _replay(sorted(events, key=lambda e: e.version), seeded.technician_of)

        assert (again.state.value, again.version, again.technician_id) == (
            stored.state, stored.version, stored.technician_id)


def test_seeded_times_run_forward_in_the_past_and_the_feed_follows_them(
    engine: Engine,
) -> None:
    seeded = _seed_backlog(engine)

    times = [e.at for e in seeded.events]
    assert times == sorted(times) and times[-1] < seeded.now
    assert times[0] >= seeded.now - timedelta(days=3)
    for order in seeded.orders.values():
        # Order numbers carry the business day the order came in.
        assert order.order_no[2:10] == order.created_at.astimezone(BUSINESS_TZ).strftime("%Y%m%d")
        assert order.created_at <= order.state_changed_at < seeded.now


def test_orders_seeded_in_review_wait_in_a_review_period_with_their_sampled_calls(
    engine: Engine,
) -> None:
    seeded = _seed_backlog(engine)

    in_review = {i for i, o in seeded.orders.items() if o.state == "in_review"}
    with Session(engine) as session:
        periods = {p.order_id: p for p in session.scalars(select(ReviewPeriodRecord))}
        calls = list(session.scalars(select(FollowupRecord)))
    assert in_review and set(periods) == in_review
    started = {e.order_id: e for e in seeded.events if e.kind == "start_review"}
    for order_id in in_review:
        # Begun by the backend's review step, as every verification is followed now.
        assert started[order_id].actor == "review"
        assert periods[order_id].until > seeded.now
    # A technician's first orders are always called: the demo's worklist is not empty.
    assert calls and {c.order_id for c in calls} <= in_review
    assert all(c.status == "open" and c.due_at < seeded.now for c in calls)
