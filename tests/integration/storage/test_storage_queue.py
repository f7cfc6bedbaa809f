"""The queue's keyset pagination: pages are stable and complete for every sort and filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.contracts import OrderCreate, OrderRow
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.db import make_engine, migrate
from core.storage.intake import build_orders
from core.storage.queue import SORTS, BadCursor, QueueFilter, queue_page, queue_select
from core.storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AGENT = Actor("agent", Role.AGENT)
COUNTIES = ("110105", "110108", "310101", None)
PLATFORMS = ("tmall", "jd", "own")


@pytest.fixture
def queue_engine(engine: Engine, make_order: Callable[..., OrderCreate]) -> Engine:
    """37 orders with repeating sort values (so the id tie-break matters), some moved on."""
    timed = []
    for n in range(37):
        create = make_order(
            n, platform=PLATFORMS[n % 3], county_adcode=COUNTIES[n % 4],
            customer_name=f"customer {n % 5}", service_type=("install", "repair", None)[n % 3],
        )
        # Three orders per minute: equal created_at values across page boundaries.
        timed.append((create, AT + timedelta(minutes=n // 3)))
    with UnitOfWork(engine) as uow:
        orders = build_orders(uow.session, timed, AGENT)
        uow.orders.add_many(orders)
        for order in orders[::4]:
            order.perform("audit", AGENT, AT + timedelta(hours=1, minutes=order.id or 0))
            uow.orders.save(order)
        for order in orders[1::6]:
            order.perform("cancel", AGENT, AT + timedelta(hours=2), reason="duplicate")
            uow.orders.save(order)
        uow.commit()
    return engine


def _all_pages(
    session: Session, filters: QueueFilter, sort: str, direction: str, limit: int
) -> list[OrderRow]:
    rows, cursor = queue_page(session, filters, sort, direction, limit)
    while cursor is not None:
        page, cursor = queue_page(session, filters, sort, direction, limit, cursor)
        rows.extend(page)
    return rows


FILTERS = {
    "none": QueueFilter(),
    "states": QueueFilter(states=["new", "audited"]),
    "open": QueueFilter(open=True),
    "closed": QueueFilter(open=False),
    "county": QueueFilter(county="110105"),
    "city": QueueFilter(city="110100"),
    "platform+type": QueueFilter(platform="jd", service_type="repair"),
    "text": QueueFilter(q="CUSTOMER 3"),
}


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_pages_of_every_sort_join_up_to_the_whole_sorted_queue(
    queue_engine: Engine, sort: str, direction: str
) -> None:
    with Session(queue_engine) as session:
        whole, end = queue_page(session, QueueFilter(), sort, direction, 1000)

        paged = _all_pages(session, QueueFilter(), sort, direction, 5)

    assert end is None and len(whole) == 37
    assert [r.id for r in paged] == [r.id for r in whole]


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("sort", ["created_at", "county"])
def test_filtered_pages_are_complete_and_match_the_filter(
    queue_engine: Engine, name: str, sort: str
) -> None:
    filters = FILTERS[name]
    with Session(queue_engine) as session:
        everything, _ = queue_page(session, QueueFilter(), "created_at", "asc", 1000)

        paged = _all_pages(session, filters, sort, "desc", 4)

    expected = {r.id for r in everything if _matches(r, filters)}
    assert expected, "the filter should select something"
    assert len(paged) == len(expected) and {r.id for r in paged} == expected


def _matches(row: OrderRow, f: QueueFilter) -> bool:
    if f.states and row.state.value not in f.states:
        return False
    if f.open is not None and (row.state.value not in ("closed", "cancelled")) != f.open:
        return False
    if f.county and row.county_adcode != f.county:
        return False
    if f.city and not (row.county_adcode or "").startswith(f.city[:4]):
        return False
    if f.platform and row.platform != f.platform:
        return False
    if f.service_type and (row.service_type or "") != f.service_type:
        return False
    return not f.q or f.q.lower() in row.customer_name.lower()


def test_the_sort_order_follows_the_key_then_the_id(queue_engine: Engine) -> None:
    with Session(queue_engine) as session:
        rows = _all_pages(session, QueueFilter(), "customer", "asc", 6)

    keys = [(r.customer_name, r.id) for r in rows]
    assert keys == sorted(keys)


def test_a_new_order_does_not_shift_later_pages(
    queue_engine: Engine, make_order: Callable[..., OrderCreate]
) -> None:
    with Session(queue_engine) as session:
        first, cursor = queue_page(session, QueueFilter(), "created_at", "desc", 10)
    with UnitOfWork(queue_engine) as uow:
        (newest,) = build_orders(uow.session, [(make_order(99), AT + timedelta(days=1))], AGENT)
        uow.orders.add(newest)
        uow.commit()

    with Session(queue_engine) as session:
        second, _ = queue_page(session, QueueFilter(), "created_at", "desc", 10, cursor)
        expected, _ = queue_page(session, QueueFilter(), "created_at", "desc", 21)

    assert [r.id for r in first + second] == [r.id for r in expected[1:]]


def test_a_cursor_from_another_sort_is_refused(queue_engine: Engine) -> None:
    with Session(queue_engine) as session:
        _, cursor = queue_page(session, QueueFilter(), "state", "asc", 5)
        assert cursor is not None

        with pytest.raises(BadCursor):
            queue_page(session, QueueFilter(), "county", "asc", 5, cursor)
        with pytest.raises(BadCursor):
            queue_page(session, QueueFilter(), "state", "asc", 5, "not-a-cursor")


@pytest.mark.postgres
def test_free_text_search_on_postgresql_can_use_the_trigram_index(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrate(engine)
    stmt = queue_select(QueueFilter(q="13800001234"), "created_at", "desc", 10, postgres=True)
    compiled = stmt.compile(dialect=engine.dialect)

    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # an empty table would not need it
        plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
    engine.dispose()

    assert any("ix_orders_search" in line for line in plan), plan
