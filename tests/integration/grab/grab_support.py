"""Helpers of the grab pool tests: tokens, orders offered in the pool, many technicians."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.dispatch.policy import RegionPolicy
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.grab.pool import open_offer
from core.storage.tables import TechnicianRecord, UserRecord
from core.storage.uow import UnitOfWork

AGENT = Actor("agent", Role.AGENT)
# The tiny demo world (tests/integration/conftest.py): orders 1-3 in 110105 need "aircon";
# tech1 (110105, aircon) is eligible, tech2 (110108, general only) lacks the skill,
# tech3 lives in Shanghai.


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def token_headers(engine: Engine, username: str) -> dict[str, str]:
    """A bearer token issued straight in the database (an argon2 check per user is slow)."""
    return token_login(engine)(username)


def offer(engine: Engine, order_id: int, *, minutes: int = 30, price: int | None = None,
          policy: RegionPolicy | None = None, at: datetime | None = None) -> int:
    """Take a new order to dispatching in grab mode and open its offer; the offer id."""
    now = at or datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for action, args in (("audit", {}), ("place", {}), ("classify", {}),
                             ("open_dispatch", {"mode": "grab"})):
            order.perform(action, AGENT, now, "", **args)
        if price is not None:
            order.perform("mark", AGENT, now, "非标准单定价", grab_price_fen=price)
        uow.orders.save(order)
        record = open_offer(uow.session, order, policy or RegionPolicy(), now, minutes)
        offer_id = record.id
        uow.commit()
    return offer_id


def add_technicians(engine: Engine, n: int, *, county: str = "110105",
                    skills: tuple[str, ...] = ("aircon",), prefix: str = "grab") -> list[str]:
    """n eligible technicians near the demo orders, each with a login; their user names."""
    names = [f"{prefix}{i:04d}" for i in range(n)]
    with Session(engine) as session:
        techs = [TechnicianRecord(
            key=name, username=name, name=f"师傅{i:04d}", phone=f"1370000{i:04d}",
            skills=list(skills), county_adcode=county, service_point_id=None,
            home_lng=116.45 + i * 1e-4, home_lat=39.92, daily_capacity=5, active=True,
            rating=4.5, qualifications=[],
        ) for i, name in enumerate(names)]
        session.add_all(techs)
        session.flush()
        session.add_all(UserRecord(username=t.username or "", display_name=t.name,
                                   role=Role.TECHNICIAN.value, technician_id=t.id,
                                   password_hash="!") for t in techs)
        session.commit()
    return names


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)
