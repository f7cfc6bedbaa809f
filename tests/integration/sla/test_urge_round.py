"""The urge round (SQLite and PostgreSQL): each recorded warning and breach is urged once, to
whom the policy says, on the order's timeline; an accept breach takes the order back to manual
dispatch; a restart (a new engine) urges nothing twice; a platform's urge joins once."""

from __future__ import annotations

import pytest
from deadline_support import OPEN_DISPATCH, perform, scan, t
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.server.sla_scan import scan_round
from core.services.sla.urge_policy import SetUrgePolicy, handle_set_policy
from core.services.sla.urging import (
    PlatformUrge,
    UrgeRound,
    handle_platform_urge,
    handle_urge_round,
)
from core.storage.db import make_engine
from core.storage.sla.urges import URGE_EVENT, SlaUrgeRecord, urge_counts
from core.storage.tables import OrderEventRecord, OrderRecord
from core.storage.uow import UnitOfWork


def _round(engine: Engine, clock: SimulatedClock) -> int:
    scan(engine, clock)
    return len(handle_urge_round(UrgeRound(), UnitOfWork(engine, clock=clock)))


def _urges(engine: Engine, order_id: int = 1) -> list[SlaUrgeRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(SlaUrgeRecord).where(
            SlaUrgeRecord.order_id == order_id).order_by(SlaUrgeRecord.id)))


@pytest.fixture
def assigned(world: Engine) -> Engine:
    """Order 1 in dispatch since 10:00 (accept due 10:30), assigned to technician 1 at 10:01."""
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 1), [("assign", {"technician_id": 1})])
    return world


def test_warnings_remind_the_technician_then_his_point_and_the_breach_escalates(
        assigned: Engine) -> None:
    clock = SimulatedClock(t(10, 16))
    assert _round(assigned, clock) == 1
    clock.jump_to(t(10, 23))
    assert _round(assigned, clock) == 1
    clock.jump_to(t(10, 31))
    assert _round(assigned, clock) == 1

    found = _urges(assigned)
    assert [(u.level, u.target, u.technician_id, u.to_manual) for u in found] == [
        ("预警", "technician", 1, ""), ("警告", "service_point", 1, ""),
        ("严重", "supervisor", 1, "withdrawn")]
    assert all(u.source == "alert" and u.due == t(10, 30) for u in found)
    assert "接单" in found[0].text and "剩余" in found[0].text
    with Session(assigned) as session:
        order = session.get_one(OrderRecord, 1)
        kinds = list(session.scalars(select(OrderEventRecord.kind).where(
            OrderEventRecord.order_id == 1).order_by(OrderEventRecord.seq)))
    assert (order.state, order.dispatch_mode, order.technician_id) == (
        "dispatching", "manual", None)
    assert kinds.count(URGE_EVENT) == 3 and "withdraw" in kinds


def test_a_restarted_backend_urges_nothing_twice(assigned: Engine) -> None:
    clock = SimulatedClock(t(10, 24))
    _round(assigned, clock)
    restarted = make_engine(assigned.url.render_as_string(hide_password=False))
    try:
        again = handle_urge_round(UrgeRound(), UnitOfWork(restarted, clock=clock))
    finally:
        restarted.dispose()

    assert again == []
    assert [u.level for u in _urges(assigned)] == ["预警", "警告"]


def test_a_level_the_policy_urges_nobody_about_is_handled_but_not_listed(
        assigned: Engine) -> None:
    handle_set_policy(SetUrgePolicy({"steps": {"accept": {"notice": "none"}}}, 0,
                                    "quiet at 预警", "supervisor"), UnitOfWork(assigned))
    clock = SimulatedClock(t(10, 16))

    assert _round(assigned, clock) == 0
    assert _round(assigned, clock) == 0
    assert [u.target for u in _urges(assigned)] == ["none"]
    with Session(assigned) as session:
        assert urge_counts(session) == {"urges": 0, "replied": 0}


def test_a_platform_urge_joins_the_list_once(assigned: Engine) -> None:
    clock = SimulatedClock(t(11))
    urge = PlatformUrge(1, "tmall", "CD-0001", "顾客催促安装")

    first = handle_platform_urge(urge, UnitOfWork(assigned, clock=clock))
    second = handle_platform_urge(urge, UnitOfWork(assigned, clock=clock))

    assert first == second
    (found,) = _urges(assigned)
    assert (found.source, found.target, found.technician_id, found.platform) == (
        "platform", "technician", 1, "tmall")
    assert "顾客催促安装" in found.text


def test_an_alert_whose_step_stopped_before_the_round_urges_nobody(assigned: Engine) -> None:
    clock = SimulatedClock(t(10, 16))
    scan(assigned, clock)
    perform(assigned, 1, t(10, 16, 30), [("accept", {})])  # the accept step stops

    assert handle_urge_round(UrgeRound(), UnitOfWork(assigned, clock=clock)) == []
    assert [u.target for u in _urges(assigned)] == ["none"]
    clock.jump_to(t(10, 40))
    assert _round(assigned, clock) == 0  # and the cursor moved past it


def test_an_accept_breach_of_an_order_in_central_dispatch_escalates_it_to_a_person(
        world: Engine) -> None:
    perform(world, 2, t(10), [*OPEN_DISPATCH[:-1], ("open_dispatch", {"mode": "auto"})])
    clock = SimulatedClock(t(10, 31))

    _round(world, clock)

    found = _urges(world, 2)
    assert [(u.level, u.target, u.to_manual) for u in found] == [
        ("预警", "desk", ""), ("警告", "desk", ""), ("严重", "supervisor", "escalated")]
    with Session(world) as session:
        order = session.get_one(OrderRecord, 2)
    assert (order.state, order.dispatch_mode) == ("dispatching", "manual")


def test_the_servers_scan_round_urges_what_it_recorded_and_pokes_the_feed(
        assigned: Engine) -> None:
    pokes: list[int] = []
    clock = SimulatedClock(t(10, 16))

    recorded = scan_round(assigned, clock, lambda: pokes.append(1))
    again = scan_round(assigned, clock, lambda: pokes.append(1))

    assert (recorded, again, pokes) == (1, 0, [1])
    assert [u.target for u in _urges(assigned)] == ["technician"]
