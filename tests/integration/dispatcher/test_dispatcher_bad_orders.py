"""One bad order must not jam the dispatcher: it goes to a person with why, the others go on.

The bad data is written straight into storage, as rows that predate any input check would be.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session
from support.waiting import eventually
from test_dispatcher_support import (
    T0,
    act,
    classify,
    events,
    order,
    order_ids,
    round_at,
    set_policy,
    set_technician,
    technician_id,
    writer,
)

from core.clock import WALL_CLOCK, Clock
from core.dispatch.round_model import DISPATCH_FAILED, Assign, Decision, OpenDispatch
from core.orders.dispatching import NOTE_LIMIT
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.model import ServiceOrder
from core.server.dispatch import dispatcher
from core.server.dispatch.dispatcher import run_dispatcher
from core.services import dispatch_apply
from core.services.dispatch_apply import RoundReport, apply_plan
from core.storage.dispatch.snapshot import load
from core.storage.tables import OrderRecord


def _store_skills(engine: Engine, order_id: int, skills: list[str]) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(OrderRecord).where(OrderRecord.id == order_id)
                        .values(skills=skills))


def _storable(text: str) -> bool:
    return "\x00" not in text and all(c.isprintable() for c in text)


@pytest.mark.parametrize("skill", ["x" * 10_000, "air\x00con", "\u202e" + "长" * 600 + "\n"])
def test_an_order_with_a_monstrous_skill_goes_to_a_person_and_the_next_round_is_quiet(
        world: Engine, skill: str):
    bad, good, _ = order_ids(world)
    classify(world, bad)
    classify(world, good)
    _store_skills(world, bad, [skill, "aircon"])
    report = round_at(world, T0)
    assert report.failed == 0 and report.assigned == 1
    assert order(world, good).state is OrderState.ASSIGNED
    stuck = order(world, bad)
    assert stuck.state is OrderState.DISPATCHING and stuck.dispatch_mode is DispatchMode.MANUAL
    assert 0 < len(stuck.dispatch_note) <= NOTE_LIMIT and _storable(stuck.dispatch_note)
    last = events(world, bad)[-1]
    assert last.data["code"] == "no_eligible" and _storable(last.reason)
    # Nothing left to fail: the next rounds leave it with the person.
    again = round_at(world, T0 + timedelta(seconds=3))
    assert (again.orders, again.failed) == (0, 0)


def test_a_data_error_on_one_order_sends_it_to_a_person_with_the_error(
        world: Engine, monkeypatch: pytest.MonkeyPatch):
    set_policy(world, {"stages": [{"mode": "grab", "minutes": 30},
                                  {"mode": "manual", "minutes": None}]})
    bad, good, _ = order_ids(world)
    classify(world, bad)
    classify(world, good)
    real = dispatch_apply.open_offer

    def refusing(session: Any, order: Any, *args: Any) -> Any:
        if order.id == bad:
            raise DataError("INSERT", {"phone": "13800000001"},
                            Exception("value too long\nDETAIL: 13800000001 " + "x" * 900))
        return real(session, order, *args)

    monkeypatch.setattr(dispatch_apply, "open_offer", refusing)
    report = round_at(world, T0)
    assert report.failed == 1 and report.escalated[DISPATCH_FAILED] == 1
    assert order(world, good).dispatch_mode is DispatchMode.GRAB
    sent = order(world, bad)
    assert sent.state is OrderState.DISPATCHING and sent.dispatch_mode is DispatchMode.MANUAL
    # The error's first line only: no SQL, no parameters, no customer data; bounded.
    assert sent.dispatch_note == ("自动派单无法处理此单，转人工 (automatic dispatch could not "
                                  "handle this order; to a person)：「Exception: value too long」")
    opened = events(world, bad)[-1]
    assert (opened.kind, opened.data["mode"], opened.data["code"]) == (
        "open_dispatch", "manual", DISPATCH_FAILED)
    monkeypatch.setattr(dispatch_apply, "open_offer", real)
    assert round_at(world, T0 + timedelta(seconds=3)).failed == 0


def test_a_change_that_fails_at_commit_costs_only_its_own_order(world: Engine):
    """Events are written at commit: one unstorable event must not undo the whole chunk."""
    bad, good, _ = order_ids(world)
    classify(world, bad)
    classify(world, good)
    act(world, bad, "open_dispatch", mode="auto")
    with Session(world) as session:
        loaded = load(session, T0)
    tech = technician_id(world, "t1")
    decisions: list[Decision] = [
        Assign(bad, tech, "Wang Jian", T0 + timedelta(minutes=30), {"unstorable": object()},
               "中心派单"),
        OpenDispatch(good, DispatchMode.MANUAL, "测试")]
    report = RoundReport()
    apply_plan(writer(world), loaded, decisions, T0, report)
    assert report.opened == 1 and report.failed == 1
    assert report.escalated[DISPATCH_FAILED] == 1
    assert order(world, good).state is OrderState.DISPATCHING
    sent = order(world, bad)
    assert sent.state is OrderState.DISPATCHING and sent.dispatch_mode is DispatchMode.MANUAL
    assert sent.technician_id is None and "not JSON serializable" in sent.dispatch_note
    assert [e.kind for e in events(world, bad)][-2:] == ["open_dispatch", "escalate"]


# PostgreSQL only: SQLite cannot hold a NaN (it stores NULL), so there the case is moot.
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_technician_whose_home_is_not_a_place_sits_the_round_out(world: Engine):
    first, second, _ = order_ids(world)
    classify(world, first)
    classify(world, second)
    set_technician(world, "t1", rating=float("nan"))
    report = round_at(world, T0)
    assert report.assigned == 2
    set_technician(world, "t1", home_lng=float("nan"))
    third = order_ids(world)[2]
    classify(world, third)
    report = round_at(world, T0 + timedelta(seconds=3))
    # Nobody else near with the skill: a person, told why; the round itself did not fail.
    assert report.escalated == {"no_eligible": 1}
    assert order(world, third).dispatch_mode is DispatchMode.MANUAL


async def test_the_running_dispatcher_sends_the_bad_order_to_a_person_and_keeps_going(
        world: Engine, monkeypatch: pytest.MonkeyPatch):
    """The loop as serve runs it: a bad order is dealt with once; later orders still flow."""
    bad, good, later = order_ids(world)
    classify(world, bad, WALL_CLOCK.now())
    _store_skills(world, bad, ["air\x00con" * 2000])
    reports: list[RoundReport] = []
    real_round = dispatcher.run_round

    def counted(engine: Engine, clock: Clock, on_commit: Any = None) -> RoundReport:
        reports.append(real_round(engine, clock, on_commit))
        return reports[-1]

    monkeypatch.setattr(dispatcher, "run_round", counted)
    stop = asyncio.Event()
    task = asyncio.create_task(run_dispatcher(world, stop, interval=0.05,
                                              clock=WALL_CLOCK))
    try:
        await eventually(lambda: order(world, bad).dispatch_mode is DispatchMode.MANUAL, 20)
        classify(world, good, WALL_CLOCK.now())
        await eventually(lambda: order(world, good).state is OrderState.ASSIGNED, 20)
        seen = len(reports)
        classify(world, later, WALL_CLOCK.now())
        await eventually(lambda: order(world, later).state is not OrderState.CLASSIFIED, 20)
        # Opened, `later` may still take a round to be assigned; and the round running when it
        # settles may have read it. The two rounds after that one start once it has settled.
        await eventually(lambda: _settled(order(world, later)), 20)
        seen = len(reports)
        await eventually(lambda: len(reports) > seen + 2, 20)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert sum(r.failed for r in reports) == 0
    # Once with the person, the bad order is not looked at again.
    assert all(r.orders == 0 for r in reports[-2:])


def _settled(found: ServiceOrder) -> bool:
    """The dispatcher no longer acts on the order (core.storage.dispatch.snapshot._acting_on)."""
    if found.state is OrderState.CLASSIFIED:
        return False
    return not (found.state is OrderState.DISPATCHING
                and found.dispatch_mode is not DispatchMode.MANUAL)
