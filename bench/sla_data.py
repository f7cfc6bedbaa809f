"""A million open orders with their SLA deadline rows, generated inside the database.

Every order waits for acceptance (half still in dispatch, half assigned to one of the demo's
technicians, in his county); its accept step started at an `open_dispatch` event, the starts
spread evenly over the `window` before `now`, and the accept limit is the window itself in
every scope (set through the audited limits handler). So at `now` half the orders have had
their 预警, a quarter their 警告 (recorded: the board shows them), and every minute after `now`
about 3 x orders / window-minutes alerts come due (1,000,000 orders over 48 hours: 1,042 a
minute).

The rows are INSERT ... SELECT over a series (generate_series on PostgreSQL, a recursive CTE on
SQLite), secondary indexes dropped first and built once after. The alert rows' offsets from the
step's start are not written here: they are read from the real rule (refresh_deadlines on one
template order), and `check_sample` recomputes a sample of orders to prove the rows hold.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session

from bench.databases import sqlite_url
from bench.grab_contention import DEFAULT_PG, drop_postgres, fresh_postgres, postgres_answers
from core.clock import SimulatedClock
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.services.sla.limits import SetLimits, handle_list_scopes, handle_set_limits
from core.storage.db import is_postgres, migrate
from core.storage.sla.deadlines import SlaDeadlineRecord, refresh_deadlines
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord
from core.storage.uow import UnitOfWork

NOW = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)  # a Wednesday, 16:00 in Shanghai
WINDOW = timedelta(hours=48)
TABLES = ("orders", "order_events", "sla_deadlines")


@dataclass(frozen=True)
class Loaded:
    orders: int
    deadline_rows: int
    recorded: int
    seconds: float


@dataclass(frozen=True)
class Offset:
    """One alert row of the template order: its level, and its time after the step's start."""

    step: str
    run: int
    level: str
    at: timedelta
    due: timedelta
    clock: str
    platform_due: timedelta | None  # the platform's own deadline, when the step has one


def bench_parser(name: str, doc: str | None) -> argparse.ArgumentParser:
    """The options both SLA benches take: how many orders, which databases, --quick."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}",
                                     description=(doc or "").split("\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="open orders")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="PostgreSQL server to use (a fresh database is created and dropped)"
                             "; default: 127.0.0.1:5432 when it answers")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--quick", action="store_true", help="20,000 orders (smoke test)")
    return parser


def on_each_database(name: str, orders: int, postgres: str | None, no_postgres: bool,
                     run: Callable[[str], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """run(url) on a temp SQLite file, then on a fresh PostgreSQL database (`postgres`, or
    the local server when it answers, unless `no_postgres`), dropped after."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix=f"lastmile-{name}-") as folder:
        print(f"sqlite: {orders:,} open orders", flush=True)
        results["sqlite"] = run(sqlite_url(Path(folder)))
    server = postgres or (DEFAULT_PG if not no_postgres and postgres_answers() else None)
    if server and not no_postgres:
        url = fresh_postgres(server)
        print(f"postgresql: {orders:,} open orders", flush=True)
        try:
            results["postgresql"] = run(url)
        finally:
            drop_postgres(url)
    return results


def prepare(engine: Engine, orders: int, window: timedelta = WINDOW,
            now: datetime = NOW) -> Loaded:
    """Migrate, seed the demo's people, set the accept limit to `window`, load the orders."""
    started = time.perf_counter()
    migrate(engine)
    seed_demo(engine, build(orders=0), now=now - window)
    body = {"steps": {"accept": {"any": {"due": {"minutes": int(window.total_seconds() // 60)},
                                         "clock": "natural"}}}}
    with Session(engine) as session:  # the default, and the counties the demo gives limits
        scopes = [(scope or "default", record.version if record else 0)
                  for scope, record in handle_list_scopes(session)]
    for scope, version in scopes:
        handle_set_limits(SetLimits(scope, body, version, "基准测试 (benchmark)", "bench"),
                          UnitOfWork(engine, clock=SimulatedClock(now - window)))
    offsets = template_offsets(engine, now - window)
    with _without_indexes(engine):
        with engine.begin() as conn:
            _fill(conn, orders, offsets, window, now)
    with engine.begin() as conn:
        if is_postgres(engine):
            conn.execute(text("SELECT setval(pg_get_serial_sequence('orders', 'id'), :n)"),
                         {"n": orders})
            conn.execute(text("SELECT setval(pg_get_serial_sequence('order_events', 'seq'), "
                              ":n)"), {"n": orders})
        if not is_postgres(engine):
            conn.execute(text("ANALYZE"))
        rows = conn.scalar(text("SELECT count(*) FROM sla_deadlines")) or 0
        recorded = conn.scalar(text("SELECT count(*) FROM sla_deadlines WHERE pending = "
                                    "false")) or 0
    if is_postgres(engine):
        # What autovacuum does to a table soon after a load: statistics, and the visibility map
        # that lets index-only scans (the board's counts) skip the table's pages.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return Loaded(orders, int(rows), int(recorded), time.perf_counter() - started)


def template_offsets(engine: Engine, at: datetime) -> list[Offset]:
    """The alert rows the real rule computes for an order whose accept step starts at `at`
    (a template order and its event, written and rolled back)."""
    with Session(engine) as session:
        session.add(OrderRecord(**_order_fields(0, at), id=10**12))
        session.flush()
        session.add(OrderEventRecord(**_event_fields(10**12, at)))
        session.flush()
        refresh_deadlines(session, [10**12])
        R = SlaDeadlineRecord
        rows = session.scalars(select(R).where(R.order_id == 10**12)).all()
        found = [Offset(r.step, r.run, r.level, r.at - r.started_at, r.due - r.started_at,
                        r.clock, r.platform_due - r.started_at if r.platform_due else None)
                 for r in rows]
        session.rollback()
    if not found:
        raise SystemExit("the template order has no deadlines: the accept limit did not apply")
    return found


def check_sample(engine: Engine, orders: int, n: int = 200) -> int:
    """Recompute `n` random orders' deadlines with the real rule (rolled back) and count the
    rows that changed; 0 when the generated rows are what the backend would have written."""
    ids = random.Random(5).sample(range(1, orders + 1), min(n, orders))
    R = SlaDeadlineRecord
    cols = (R.order_id, R.step, R.run, R.level, R.at, R.due, R.started_at, R.open, R.pending,
            R.technician_id, R.platform_due)
    with Session(engine) as session:
        before = {tuple(r) for r in session.execute(select(*cols).where(R.order_id.in_(ids)))}
        refresh_deadlines(session, ids)
        session.flush()
        after = {tuple(r) for r in session.execute(select(*cols).where(R.order_id.in_(ids)))}
        session.rollback()
    return len(before ^ after)


def _order_fields(i: int, at: datetime) -> dict[str, object]:
    return {"order_no": f"B{i:012d}", "platform": "bench", "platform_order_id": f"B{i}",
            "customer_name": "基准", "customer_phone": "13800000000", "address": "bench",
            "province": "浙江省", "city": "杭州市", "county_adcode": "330106",
            "county_name": "西湖区", "service_type": "install", "skills": [],
            "state": "dispatching", "version": 1, "created_at": at, "state_changed_at": at}


def _event_fields(order_id: int, at: datetime) -> dict[str, object]:
    return {"order_id": order_id, "kind": "open_dispatch", "from_state": "classified",
            "to_state": "dispatching", "actor": "dispatcher", "actor_role": "system",
            "reason": "bench", "at": at, "version": 1, "data": {}}


def _fill(conn: Connection, orders: int, offsets: list[Offset], window: timedelta,
          now: datetime) -> None:
    pg = conn.dialect.name == "postgresql"
    techs = conn.execute(select(TechnicianRecord.id, TechnicianRecord.county_adcode)
                         .order_by(TechnicianRecord.id)).all()
    conn.execute(text("CREATE TEMPORARY TABLE bench_techs (k INTEGER PRIMARY KEY, "
                      "tech_id BIGINT, county VARCHAR(6))"))
    conn.execute(text("INSERT INTO bench_techs VALUES (:k, :t, :c)"),
                 [{"k": k, "t": t, "c": c} for k, (t, c) in enumerate(techs)])
    gap = window.total_seconds() / orders  # between two orders' starts
    first = now - window
    series = ("generate_series(1, :n) AS s(i)" if pg else
              "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) "
              "SELECT i FROM s) AS s")
    start = (f"(CAST(:first AS timestamptz) + (s.i * {gap!r}) * interval '1 second')" if pg
             else f"(strftime('%Y-%m-%d %H:%M:%f', :first, '+' || (s.i * {gap!r}) || "
                  f"' seconds') || '000')")
    first_param = first if pg else first.replace(tzinfo=None).isoformat(" ")
    json_empty = "CAST('[]' AS json)" if pg else "'[]'"
    json_object = "CAST('{}' AS json)" if pg else "'{}'"
    params = {"n": orders, "first": first_param, "t": len(techs)}
    conn.execute(text(
        "INSERT INTO orders (id, order_no, platform, platform_order_id, customer_name, "
        "customer_phone, address, province, city, county_adcode, county_name, service_type, "
        "skills, state, dispatch_mode, technician_id, dispatch_note, dispatch_pinned, tags, "
        "version, created_at, state_changed_at) "
        f"SELECT s.i, 'B' || s.i, 'bench', 'B' || s.i, '基准客户', '13800000000', '基准地址', "
        f"'', '', t.county, '', 'install', {json_empty}, "
        "CASE WHEN s.i % 2 = 1 THEN 'assigned' ELSE 'dispatching' END, 'auto', "
        "CASE WHEN s.i % 2 = 1 THEN t.tech_id END, '', false, "
        f"{json_empty}, 2, {start}, {start} "
        f"FROM {series} JOIN bench_techs t ON t.k = s.i % :t"), params)
    conn.execute(text(
        "INSERT INTO order_events (seq, order_id, kind, from_state, to_state, actor, "
        "actor_role, reason, at, version, data) "
        "SELECT id, id, 'open_dispatch', 'classified', 'dispatching', 'dispatcher', 'system', "
        f"'bench', created_at, 1, {json_object} FROM orders"))
    now_param = now if pg else now.replace(tzinfo=None).isoformat(" ", "microseconds")
    for o in offsets:
        at = _plus("o.created_at", o.at, pg)
        platform = "NULL" if o.platform_due is None else _plus("o.created_at", o.platform_due, pg)
        conn.execute(text(
            "INSERT INTO sla_deadlines (order_id, step, run, level, at, due, started_at, clock, "
            "county_adcode, service_type, technician_id, open, pending, stale, recorded_at, "
            "platform_due) "
            f"SELECT o.id, :step, :run, :level, {at}, {_plus('o.created_at', o.due, pg)}, "
            f"o.created_at, :clock, o.county_adcode, o.service_type, o.technician_id, true, "
            f"{at} > :now, false, "
            f"CASE WHEN {at} <= :now THEN {at} END, {platform} FROM orders o"),
            {"step": o.step, "run": o.run, "level": o.level, "clock": o.clock, "now": now_param})
    conn.execute(text("DROP TABLE bench_techs"))


def _plus(column: str, delta: timedelta, pg: bool) -> str:
    seconds = delta.total_seconds()
    if pg:
        return f"({column} + interval '{seconds!r} seconds')"
    return f"(strftime('%Y-%m-%d %H:%M:%f', {column}, '+{seconds!r} seconds') || '000')"


@contextmanager
def _without_indexes(engine: Engine) -> Iterator[None]:
    """The tables' secondary indexes dropped for the load and built once after it."""
    with engine.connect() as conn:
        if is_postgres(engine):
            found = conn.execute(text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN "
                "('orders', 'order_events', 'sla_deadlines') AND i.schemaname = "
                "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE "
                "c.conname = i.indexname)")).all()
        else:
            found = conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                "('orders', 'order_events', 'sla_deadlines') AND sql IS NOT NULL")).all()
    with engine.begin() as conn:
        for name, _ in found:
            conn.execute(text(f'DROP INDEX "{name}"'))
    yield
    with engine.begin() as conn:
        for _, ddl in found:
            conn.execute(text(ddl))

