"""Migration 0004 up and down: tables, the dropped unique constraint, data and search kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from intake_support import NOW
from migration_steps import migrate_to
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.orders import build_orders
from core.storage.db import migrate
from core.storage.orders.queue import QueueFilter, queue_page
from core.storage.tables import (
    IntakeMessageRecord,
    IntakePurchaseRecord,
    OrderEventRecord,
    OrderItemRecord,
)
from core.storage.uow import UnitOfWork

INTAKE_TABLES = {"intake_messages", "intake_links", "order_origins", "intake_sources",
                 "clients", "service_regions", "blacklist", "intake_cursors"}
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index")


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


@pytest.mark.fresh_schema  # goes down and up the migrations
def test_down_to_0003_and_up_again_keeps_orders_and_search(
    engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    parent = _receive(engine, make_order(1, customer_name="王小明"))
    _receive(engine, make_order(2))

    migrate_to(engine, "0003", down=True)
    assert not INTAKE_TABLES & _tables(engine)
    migrate_to(engine, "head")

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
    migrate_to(engine, "0003", down=True)

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


def test_0007_carries_message_bodies_over_as_bytes_and_links_as_purchases(
    engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    order_id = _receive(engine, make_order(1))
    migrate_to(engine, "0006", down=True)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO intake_messages (platform, channel, source, scope, platform_order_id, "
            "received_at, status, outcome, field, reason, content_type, payload, order_ids, "
            "resolved_by, resolution) VALUES ('own', 'webhook', '', 'record', 'SHOP1', :at, "
            "'dead', 'dead', '', '', 'application/json', :body, '[]', '', '')"),
            {"at": NOW, "body": '{"customer_name": "张三"}'})
        conn.execute(text(
            "INSERT INTO intake_links (platform, platform_order_id, trade, order_id, created_at) "
            "VALUES ('own', 'SHOP1', 'aircon', :order_id, :at)"), {"order_id": order_id, "at": NOW})

    migrate_to(engine, "head")

    with Session(engine) as session:
        (message,) = session.scalars(select(IntakeMessageRecord)).all()
        purchases = session.execute(select(
            IntakePurchaseRecord.platform, IntakePurchaseRecord.purchase_id,
            IntakePurchaseRecord.trade, IntakePurchaseRecord.order_id)).all()
        assert message.payload == '{"customer_name": "张三"}'.encode()
        assert [tuple(p) for p in purchases] == [("own", "SHOP1", "aircon", order_id)]
        message.payload = b'{"customer_name": "\x00"}\xff'
        session.commit()

    migrate_to(engine, "0006", down=True)  # bodies PostgreSQL text cannot hold are shown as U+FFFD

    with engine.connect() as conn:
        shown = conn.scalar(text("SELECT payload FROM intake_messages"))
    assert shown == '{"customer_name": "\ufffd"}\ufffd'
    migrate(engine)
