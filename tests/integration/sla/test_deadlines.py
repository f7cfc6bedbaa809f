"""Deadlines on every open order (SQLite and PostgreSQL): the rows follow the order's steps
through the unit of work, a change of limits through the scan, and the scan records each
warning and breach once, on the order's timeline, with the exact time left, across restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from deadline_support import (
    OPEN_DISPATCH,
    alert_events,
    perform,
    rows,
    scan,
    t,
)
from migration_steps import migrate_to
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.demo.clock import SHANGHAI
from core.services.sla.deadlines import RebuildDeadlines, handle_rebuild_deadlines
from core.services.sla.limits import SetLimits, handle_set_limits
from core.sla.limit_types import Level
from core.storage import sla as sla_storage
from core.storage.db import WRITE_OPTION, make_engine
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork

ACCEPT = [("accept", 1, "预警"), ("accept", 1, "警告"), ("accept", 1, "严重")]


def test_opening_dispatch_sets_the_accept_steps_alert_times(world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)

    found = rows(world, 1)
    assert sorted(found) == sorted(ACCEPT)
    assert [found[k].at for k in ACCEPT] == [t(10, 15), t(10, 22, 30), t(10, 30)]
    assert {(r.due, r.county_adcode, r.service_type, r.pending, r.open)
            for r in found.values()} == {(t(10, 30), "110105", "install", True, True)}


def test_accepting_replaces_accept_with_the_next_steps(world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 10), [("assign", {"technician_id": 1}), ("accept", {})])

    found = rows(world, 1)
    assert {k[0] for k in found} == {"first_contact", "appointment", "on_site"}
    assert found[("first_contact", 1, "严重")].due == t(10, 10, day=3)
    assert found[("on_site", 1, "预警")].at == t(10, 10, day=3) + timedelta(hours=12)


def test_booking_stops_contact_and_appointment_and_completion_is_due_on_the_agreed_day(
        world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 10), [("assign", {"technician_id": 1}), ("accept", {})])
    perform(world, 1, t(10, 20), [("appoint", {"start": t(14, day=4), "end": t(16, day=4)})])

    found = rows(world, 1)
    assert {k[0] for k in found} == {"on_site", "complete"}
    assert found[("complete", 1, "严重")].due == t(23, 59, 59, day=4)
    assert found[("complete", 1, "预警")].at < found[("complete", 1, "警告")].at


def test_a_closed_order_keeps_no_pending_alerts(world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 5), [("cancel", {})])

    assert rows(world, 1) == {}


def test_an_advanced_clock_warns_twice_then_breaches_each_once_with_the_exact_time_left(
        world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    clock = SimulatedClock(t(10, 14, 59))
    version = _version(world, 1)

    before = scan(world, clock)
    clock.jump_to(t(10, 15))
    notice = scan(world, clock)
    clock.jump_to(t(10, 29, 59))
    warning = scan(world, clock)
    clock.jump_to(t(10, 31))
    breach = scan(world, clock)
    again = scan(world, clock)

    assert before == [] and again == []
    assert [(a.level, a.at, a.left) for a in notice] == [
        (Level.NOTICE, t(10, 15), timedelta(minutes=15))]
    assert [(a.level, a.left) for a in warning] == [(Level.WARNING, timedelta(seconds=450))]
    assert [(a.level, a.left) for a in breach] == [(Level.SEVERE, timedelta(0))]
    events = alert_events(world, 1)
    assert [(e.at, e.data["level"], e.data["left_us"]) for e in events] == [
        (t(10, 15), "预警", 900_000_000), (t(10, 22, 30), "警告", 450_000_000),
        (t(10, 30), "严重", 0)]
    # Each language whole in its part (the console shows one of them).
    due = t(10, 30).astimezone(SHANGHAI).strftime("%m-%d %H:%M")  # told in Beijing time
    assert events[0].reason == (f"接单预警：剩余 15 分，截止 {due} "
                                f"(accept notice: 15 min left, due {due} Beijing time)")
    assert events[0].actor_role == "system"
    assert _version(world, 1) == version  # nobody's write goes stale for a warning


def test_a_scan_that_dies_before_commit_records_nothing_and_the_restarted_one_once(
        world: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    clock = SimulatedClock(t(10, 45))

    def crash(*_: object) -> int:
        raise RuntimeError("the backend goes down mid-round")

    with monkeypatch.context() as patched:
        patched.setattr(sla_storage.deadlines, "append_alert_events", crash)
        with pytest.raises(RuntimeError):
            scan(world, clock)
    assert alert_events(world, 1) == []
    restarted = make_engine(database_url)  # a new process: a new engine on the same database
    try:
        first = scan(restarted, clock)
        second = scan(restarted, clock)
        clock.advance(timedelta(hours=1))
        third = scan(world, clock)
    finally:
        restarted.dispose()

    assert [a.level for a in first] == [Level.NOTICE, Level.WARNING, Level.SEVERE]
    assert second == [] and third == []
    assert [e.data["level"] for e in alert_events(world, 1)] == ["预警", "警告", "严重"]
    # the breach recorded late says it was at its own time, with nothing left
    assert alert_events(world, 1)[-1].at == t(10, 30)


def test_a_step_that_stopped_before_its_alert_is_never_told(world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 10), [("assign", {"technician_id": 1}), ("accept", {})])

    assert scan(world, SimulatedClock(t(10, 40))) == []


def test_a_change_of_limits_moves_the_scopes_open_deadlines_before_they_are_told(
        world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 2, t(10), OPEN_DISPATCH)
    clock = SimulatedClock(t(10, 5))
    handle_set_limits(SetLimits("110100", {"steps": {"accept": {"any": {"due": {
        "minutes": 60}}}}}, 0, "朝阳交通拥堵", "supervisor"), UnitOfWork(world, clock=clock))

    assert {r.stale for r in rows(world, 1).values()} == {True}
    clock.jump_to(t(10, 16))
    told = scan(world, clock)

    assert told == []
    assert [rows(world, n)[("accept", 1, "预警")].at for n in (1, 2)] == [t(10, 30)] * 2
    assert {r.stale for n in (1, 2) for r in rows(world, n).values()} == {False}


def test_the_rebuild_computes_every_open_orders_deadlines(world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    with Session(world.execution_options(**{WRITE_OPTION: True})) as session:
        session.query(SlaDeadlineRecord).delete()
        session.commit()

    done = handle_rebuild_deadlines(RebuildDeadlines(batch=2), UnitOfWork(world))

    assert done == 3  # the tiny world's three open orders
    assert sorted(rows(world, 1)) == sorted(ACCEPT)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.fresh_schema  # goes down and up the migrations
def test_0022_and_0025_down_and_up(engine: Engine) -> None:
    migrate_to(engine, "head")
    migrate_to(engine, "0021", down=True)
    with engine.connect() as conn:
        assert "sla_deadlines" not in inspect(conn).get_table_names()
    migrate_to(engine, "head")
    with engine.connect() as conn:
        indexes = {i["name"] for i in inspect(conn).get_indexes("sla_deadlines")}
        columns = {c["name"] for c in inspect(conn).get_columns("sla_deadlines")}
    assert {"ix_sla_deadlines_pending_at", "ix_sla_deadlines_open_due",
            "ix_sla_deadlines_stale_order"} <= indexes
    assert "ix_sla_deadlines_stale" not in indexes and "platform_due" in columns
    migrate_to(engine, "0024", down=True)  # 0025 down: the boolean index again, no platform_due
    with engine.connect() as conn:
        indexes = {i["name"] for i in inspect(conn).get_indexes("sla_deadlines")}
        columns = {c["name"] for c in inspect(conn).get_columns("sla_deadlines")}
    assert "ix_sla_deadlines_stale" in indexes and "ix_sla_deadlines_stale_order" not in indexes
    assert "platform_due" not in columns


def _version(engine: Engine, order_id: int) -> int:
    with Session(engine) as session:
        found = session.scalar(select(OrderRecord.version).where(OrderRecord.id == order_id))
    assert found is not None
    return found
