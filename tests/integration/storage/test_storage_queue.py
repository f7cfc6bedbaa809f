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
from core.services.orders import build_orders
from core.storage.db import make_engine, migrate
from core.storage.orders import queue
from core.storage.orders.queue import SORTS, BadCursor, QueueFilter, queue_page, queue_select
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
        # An empty table needs no index, and which plain index scan looks cheapest depends on
        # the table's leftover statistics: with both off, the predicate is answered by the
        # trigram index (a bitmap scan) if it can be at all.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_indexscan = off")
        plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
    engine.dispose()

    assert any("ix_orders_search" in line for line in plan), plan


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_city_pages_of_every_sort_are_complete_and_in_order(
    queue_engine: Engine, sort: str, direction: str
) -> None:
    city = QueueFilter(city="110100")
    with Session(queue_engine) as session:
        whole, _ = queue_page(session, QueueFilter(), sort, direction, 1000)

        paged = _all_pages(session, city, sort, direction, 4)

    assert [r.id for r in paged] == [r.id for r in whole if _matches(r, city)]


def _sqlite_plan(engine: Engine, filters: QueueFilter, sort: str, direction: str,
                 broad_text: bool = False) -> list[str]:
    stmt = queue_select(filters, sort, direction, 10, broad_text=broad_text)
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params = tuple(compiled.params[k] for k in compiled.positiontup or ())
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
    return [r[3] for r in rows]


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_a_city_page_on_sqlite_is_an_index_range_in_the_sort_order(
    sqlite_url: str, sort: str, direction: str
) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)

    plan = _sqlite_plan(engine, QueueFilter(city="330100", open=True), sort, direction)
    engine.dispose()

    orders = [line for line in plan if line.split()[1:2] == ["orders"]]
    assert orders and orders[0].startswith("SEARCH orders USING INDEX ix_orders_c"), plan
    assert not any("TEMP B-TREE" in line for line in plan), plan


@pytest.mark.postgres
def test_a_city_page_on_postgresql_can_use_the_city_index(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrate(engine)
    stmt = queue_select(QueueFilter(city="330100"), "created_at", "desc", 10, postgres=True)
    compiled = stmt.compile(dialect=engine.dialect)

    with engine.connect() as conn:
        # An empty table needs no index, and which plain index scan looks cheapest depends on
        # the table's leftover statistics: with both off, the predicate is answered by the
        # trigram index (a bitmap scan) if it can be at all.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_indexscan = off")
        conn.exec_driver_sql("SET enable_sort = off")
        plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
    engine.dispose()

    assert any("ix_orders_city_created" in line for line in plan), plan


@pytest.mark.postgres
def test_a_short_search_on_postgresql_can_use_the_name_prefix_index(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrate(engine)
    stmt = queue_select(QueueFilter(q="王芳"), "created_at", "desc", 10, postgres=True)
    compiled = stmt.compile(dialect=engine.dialect)

    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
    engine.dispose()

    assert any("ix_orders_customer_prefix" in line for line in plan), plan


SEARCHABLE = [  # (customer_name, customer_phone, address)
    ("王秀英", "13812345678", "杭州市西湖区文三路 8 号"),
    ("王芳", "13900001111", "Chaoyang Road 12"),
    ("李王明", "13700005678", "上海市黄浦区南京东路 100 号"),
    ("王芳芳", "13600002222", "50% off street_1"),
    ("Zhang Wei", "15000003333", '"quoted" lane'),
]


@pytest.fixture
def search_engine(engine: Engine, make_order: Callable[..., OrderCreate]) -> Engine:
    creates = [
        (make_order(n, customer_name=name, customer_phone=phone, address=address),
         AT + timedelta(minutes=n))
        for n, (name, phone, address) in enumerate(SEARCHABLE)
    ]
    with UnitOfWork(engine) as uow:
        uow.orders.add_many(build_orders(uow.session, creates, AGENT))
        uow.commit()
    return engine


def _names(engine: Engine, q: str) -> list[str]:
    with Session(engine) as session:
        rows, _ = queue_page(session, QueueFilter(q=q), "created_at", "asc", 100)
    return [r.customer_name for r in rows]


@pytest.mark.parametrize(("q", "expected"), [
    # 3+ characters: contained in the name, phone, address or order number, any case.
    ("王秀英", ["王秀英"]),
    ("秀英 ", []),  # stripped to 2 characters: a name prefix, and no name starts so
    ("5678", ["王秀英", "李王明"]),  # a phone's last four digits
    ("13900001111", ["王芳"]),
    ("西湖区", ["王秀英"]),
    ("chaoyang ROAD", ["王芳"]),
    ("zhang wei", ["Zhang Wei"]),
    ("王芳芳", ["王芳芳"]),
    # LIKE wildcards and FTS5 syntax are plain characters.
    ("50%", ["王芳芳"]),
    ("t_1", ["王芳芳"]),
    ("a_1", []),
    ('"quoted"', ["Zhang Wei"]),
    ("NOT", []),
    # 1-2 characters: the start of the customer name only, case-sensitive.
    ("王", ["王秀英", "王芳", "王芳芳"]),
    ("王芳", ["王芳", "王芳芳"]),
    ("明", []),
    ("56", []),
    ("Zh", ["Zhang Wei"]),
    ("zh", []),
    # The ends of Unicode: no crash, no false match.
    ("王\U0010ffff", []),
    ("\ud7ff", []),
])
def test_free_text_search_semantics(search_engine: Engine, q: str, expected: list[str]) -> None:
    assert _names(search_engine, q) == expected


def test_a_complete_order_number_finds_that_order(search_engine: Engine) -> None:
    with Session(search_engine) as session:
        everything, _ = queue_page(session, QueueFilter(), "created_at", "asc", 100)
    third = everything[2]

    assert _names(search_engine, third.order_no.lower()) == [third.customer_name]
    assert _names(search_engine, third.order_no[2:12]) == [r.customer_name for r in everything]


def test_the_search_follows_changes_to_the_searched_columns(search_engine: Engine) -> None:
    with search_engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE orders SET customer_name = '赵六一', address = '成都市锦江区' "
            "WHERE customer_name = '王秀英'")
        conn.exec_driver_sql("DELETE FROM order_items WHERE order_id IN "
                             "(SELECT id FROM orders WHERE customer_name = 'Zhang Wei')")
        conn.exec_driver_sql("DELETE FROM order_events WHERE order_id IN "
                             "(SELECT id FROM orders WHERE customer_name = 'Zhang Wei')")
        conn.exec_driver_sql("DELETE FROM orders WHERE customer_name = 'Zhang Wei'")

    assert _names(search_engine, "王秀英") == [] and _names(search_engine, "西湖区") == []
    assert _names(search_engine, "赵六一") == ["赵六一"] and _names(search_engine, "锦江区") == [
        "赵六一"]
    assert _names(search_engine, "zhang") == []
    assert _names(search_engine, "5678") == ["赵六一", "李王明"]  # the phone did not change


@pytest.mark.parametrize("q", ["王", "customer", "1380000"])
@pytest.mark.parametrize("sort", ["created_at", "customer", "state"])
def test_a_broad_search_walking_the_sort_index_pages_like_a_narrow_one(
    queue_engine: Engine, monkeypatch: pytest.MonkeyPatch, q: str, sort: str
) -> None:
    filters = QueueFilter(q=q)
    with Session(queue_engine) as session:
        narrow = _all_pages(session, filters, sort, "desc", 4)
        monkeypatch.setattr(queue, "BROAD_MATCHES", 3)
        broad = _all_pages(session, filters, sort, "desc", 4)

    assert [r.id for r in broad] == [r.id for r in narrow]
    assert len(narrow) == (0 if q == "王" else 37)


@pytest.mark.parametrize(("q", "broad", "reads"), [
    ("王芳", False, "SEARCH orders USING INDEX ix_orders_customer ("),
    ("王", True, "SCAN orders USING INDEX ix_orders_created"),
    ("王秀英", False, "SEARCH orders USING INTEGER PRIMARY KEY"),
    ("人民路", True, "SCAN orders USING INDEX ix_orders_created"),
    ("lm20260302000001", False, "SEARCH orders USING INDEX sqlite_autoindex_orders_1"),
])
def test_a_sqlite_search_reads_the_matches_or_walks_the_sort_index(
    sqlite_url: str, q: str, broad: bool, reads: str
) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)

    plan = _sqlite_plan(engine, QueueFilter(q=q, open=True), "created_at", "desc", broad)
    engine.dispose()

    assert plan[0].startswith(reads), plan
    assert any("TEMP B-TREE" in line for line in plan) != broad, plan
