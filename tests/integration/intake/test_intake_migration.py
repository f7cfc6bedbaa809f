"""Migration 0004 up and down: tables, the dropped unique constraint, data and search kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from intake_support import NOW
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.db import WRITE_OPTION, alembic_config, migrate
from core.storage.intake import build_orders
from core.storage.queue import QueueFilter, queue_page
from core.storage.tables import OrderEventRecord, OrderItemRecord
from core.storage.uow import UnitOfWork

INTAKE_TABLES = {"intake_messages", "intake_links", "order_origins", "intake_sources",
                 "clients", "service_regions", "blacklist", "intake_cursors"}
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index")


def _to(engine: Engine, revision: str, down: bool = False) -> None:
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        cfg = alembic_config(conn)
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _receive(engine: Engine, create: OrderCreate) -> int:
    with UnitOfWork(engine) as uow:
        orders = build_orders(uow.session, [(create, NOW)], Actor("agent", Role.AGENT))
        uow.orders.add_many(orders)
        uow.commit()
    assert orders[0].id is not None
    return orders[0].id


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_down_to_0003_and_up_again_keeps_orders_and_search(
    engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    parent = _receive(engine, make_order(1, customer_name="王小明"))
    _receive(engine, make_order(2))

    _to(engine, "0003", down=True)
    assert not INTAKE_TABLES & _tables(engine)
    _to(engine, "head")

    assert INTAKE_TABLES <= _tables(engine)
    with Session(engine) as session:
        assert len(session.scalars(select(OrderItemRecord)).all()) == 2
        assert len(session.scalars(select(OrderEventRecord)).all()) == 2
        rows, _ = queue_page(session, QueueFilter(q="王小明"), "created_at", "desc", 10, None)
        assert [r.id for r in rows] == [parent]
        if engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []


def test_after_0004_one_platform_order_may_become_several_orders(
    engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    _receive(engine, make_order(1))

    second = _receive(engine, make_order(1, service_type="repair"))

    assert second > 0
    with engine.connect() as conn:
        indexes = {i["name"] for i in inspect(conn).get_indexes("orders")}
    assert {"ix_orders_platform_order", "ix_orders_customer_phone"} <= indexes


def test_down_to_0003_restores_the_unique_constraint(
    engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    _receive(engine, make_order(1))
    _to(engine, "0003", down=True)

    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO orders (id, order_no, platform, platform_order_id, customer_name, "
                "customer_phone, address, province, city, county_adcode, county_name, "
                "service_type, skills, state, version, created_at, state_changed_at) "
                "SELECT 999, 'LMX', platform, platform_order_id, customer_name, customer_phone, "
                "address, province, city, county_adcode, county_name, service_type, skills, "
                "state, version, created_at, state_changed_at FROM orders"))
    migrate(engine)
