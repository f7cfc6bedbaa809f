"""The deadline scan at scale's guarantees (SQLite and PostgreSQL): a round claims its batch at
once and still records each alert once, in order, with its event on the row; two scanners at
the same moment record each alert once; the stale orders' query reads the partial index."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
from deadline_support import OPEN_DISPATCH, alert_events, perform, rows, scan, t
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.services.sla.deadlines import RecordedAlert, ScanDeadlines, handle_scan_deadlines
from core.storage.db import is_postgres
from core.storage.sla import deadlines as stored
from core.storage.uow import UnitOfWork

ORDERS = (1, 2, 3)  # the tiny world's orders: three alerts each once opened for dispatch


def _open_all(engine: Engine) -> None:
    for order_id in ORDERS:
        perform(engine, order_id, t(10), OPEN_DISPATCH)


def _scan(engine: Engine, clock: SimulatedClock, batch: int) -> list[RecordedAlert]:
    return handle_scan_deadlines(ScanDeadlines(batch=batch), UnitOfWork(engine, clock=clock))


def test_rounds_record_their_batches_soonest_first_each_alert_once_with_its_event(
        world: Engine) -> None:
    _open_all(world)
    clock = SimulatedClock(t(10, 45))

    rounds = [_scan(world, clock, 4) for _ in range(4)]

    assert [len(r) for r in rounds] == [4, 4, 1, 0]
    told = [a for r in rounds for a in r]
    assert [a.at for a in told] == sorted(a.at for a in told)
    assert [a.event_seq for a in told] == sorted(a.event_seq for a in told)
    events = {e.seq: e for n in ORDERS for e in alert_events(world, n)}
    assert sorted(events) == sorted(a.event_seq for a in told)
    for a in told:
        row = rows(world, a.order_id)[(a.step.value, a.run, a.level.value)]
        assert (row.pending, row.recorded_at, row.event_seq) == (False, t(10, 45), a.event_seq)
        assert (events[a.event_seq].order_id, events[a.event_seq].at) == (a.order_id, a.at)
        assert events[a.event_seq].data["left_us"] == a.left.total_seconds() * 1_000_000


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_scanners_at_the_same_moment_record_each_alert_once(
        world: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row locks exist on PostgreSQL only (SQLite's write sessions take the database's lock
    before they read): both scanners read the same due alerts, then both claim them."""
    _open_all(world)
    clock = SimulatedClock(t(10, 45))
    both_read = threading.Barrier(2, timeout=20)
    claim = stored.claim_alerts

    def claim_together(session: Session, ids: Sequence[int], now: datetime) -> set[int]:
        both_read.wait()
        return claim(session, ids, now)

    monkeypatch.setattr(stored, "claim_alerts", claim_together)
    with ThreadPoolExecutor(2) as pool:
        one, other = pool.map(lambda _: scan(world, clock), range(2))

    assert sorted((len(one), len(other))) == [0, 9]
    events = [e for n in ORDERS for e in alert_events(world, n)]
    assert len(events) == 9
    assert len({(e.order_id, e.data["step"], e.data["level"]) for e in events}) == 9


def test_the_stale_orders_query_reads_the_partial_index(world: Engine) -> None:
    _open_all(world)
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if "stale" in statement and "DISTINCT" in statement:
            seen.append((statement, params))

    event.listen(world, "before_cursor_execute", record)
    try:
        with Session(world) as session:
            assert stored.stale_order_ids(session, 500) == []
    finally:
        event.remove(world, "before_cursor_execute", record)
    (statement, params), = seen
    with world.connect() as conn:
        if is_postgres(world):  # a tiny table: make any index cheaper than reading it
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
        else:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    assert "ix_sla_deadlines_stale_order" in " ".join(str(line[-1]) for line in plan)
    assert {r.stale for n in ORDERS for r in rows(world, n).values()} == {False}
