"""The dispatch round's handler called directly (no HTTP, no asyncio) on a simulated clock: it
reads the time from the injected clock and turns each decision into a typed command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from order_world import AGENT, T0, WANG, engine, world_template
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.dispatch import round_model as decided
from core.orders import commands as c
from core.orders.lifecycle import DispatchMode
from core.services.dispatch import RoundReport, RunRound, Transactions, handle_run_round, run_round
from core.services.dispatch_apply import CENTRE, _command, apply_plan
from core.storage.dispatch.snapshot import load
from core.storage.tables import OrderEventRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
NOW = T0 + timedelta(hours=1)


def _classified(engine: Engine, order_id: int) -> None:
    with UnitOfWork(engine, clock=SimulatedClock(T0)) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command in (c.Audit(), c.Place(), c.Classify()):
            order.apply(command, AGENT, T0)
        uow.orders.save(order)
        uow.commit()


def _events(engine: Engine, order_id: int) -> list[OrderEventRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderEventRecord)
                                    .where(OrderEventRecord.order_id == order_id)
                                    .order_by(OrderEventRecord.seq)))


def test_a_round_acts_at_the_clocks_time(engine: Engine) -> None:
    _classified(engine, 1)

    report = run_round(engine, SimulatedClock(NOW))

    assert (report.orders, report.opened, report.assigned) == (1, 1, 1)
    opened, assigned = _events(engine, 1)[-2:]
    assert (opened.kind, assigned.kind) == ("open_dispatch", "assign")
    assert opened.at == assigned.at == NOW and assigned.actor == CENTRE.name
    assert assigned.data["technician_id"] == WANG
    assert assigned.data["accept_by"] == (NOW + timedelta(minutes=30)).isoformat()


def test_the_handler_reads_the_time_once_from_its_units_of_work(engine: Engine) -> None:
    _classified(engine, 1)
    clock = SimulatedClock(NOW)
    uows = Transactions(engine, clock)

    first = handle_run_round(RunRound(), uows)
    clock.advance(timedelta(seconds=3))
    again = handle_run_round(RunRound(), uows)

    assert first.assigned == 1 and again == RoundReport(orders=0, seconds=again.seconds)


def test_a_late_acceptance_is_taken_back_when_the_clock_passes_accept_by(engine: Engine) -> None:
    _classified(engine, 1)
    clock = SimulatedClock(NOW)
    run_round(engine, clock)

    clock.advance(timedelta(minutes=29))
    assert run_round(engine, clock).withdrawn == 0
    clock.advance(timedelta(minutes=2))
    late = run_round(engine, clock)

    assert late.withdrawn == 1
    taken_back = [e for e in _events(engine, 1) if e.kind == "withdraw"]
    assert [(e.at, e.data["code"]) for e in taken_back] == [(clock.now(), decided.TIMEOUT)]


@pytest.mark.parametrize(("decision", "command"), [
    (decided.OpenDispatch(1, DispatchMode.GRAB, "抢单"),
     c.OpenDispatch(mode=DispatchMode.GRAB, note="抢单", code="")),
    (decided.Escalate(1, DispatchMode.MANUAL, decided.UNCLAIMED, "无人接单"),
     c.Escalate(mode=DispatchMode.MANUAL, code=decided.UNCLAIMED, note="无人接单")),
    (decided.Withdraw(1, decided.TIMEOUT, None, "超时"),
     c.Withdraw(code=decided.TIMEOUT, mode=None, note="超时")),
    (decided.Assign(1, 7, "王\x00师傅", NOW, {"load": 1.0}, "中心派单"),
     c.Assign(technician_id=7, technician_name="王 师傅", pinned=False, automatic=True,
              terms={"load": 1.0}, accept_by=NOW)),
])
def test_each_decision_is_one_typed_command(decision: decided.Decision,
                                            command: c.Command) -> None:
    assert _command(decision, getattr(decision, "reason", "")) == command


def test_an_offer_is_no_order_change() -> None:
    assert _command(decided.Offer(1, 30), "") is None



def test_a_chunk_redone_after_a_failure_writes_each_order_once(engine: Engine) -> None:
    """The chunk goes first without savepoints; one refused decision makes it redo, order by
    order: the good order's change is written once, the bad one goes to a person."""
    _classified(engine, 1)
    _classified(engine, 2)
    with Session(engine) as session:
        loaded = load(session, NOW)
    as_read = {oid: (o.state, o.version, list(o.tags)) for oid, o in loaded.orders.items()}
    bad = decided.Withdraw(1, decided.TIMEOUT, DispatchMode.AUTO, "不可能的收回")
    good = decided.OpenDispatch(2, DispatchMode.MANUAL, "测试")
    report = RoundReport()

    apply_plan(Transactions(engine, SimulatedClock(NOW)), loaded, [bad, good], NOW, report)

    assert (report.failed, report.opened) == (1, 1)
    assert report.escalated == {decided.DISPATCH_FAILED: 1}
    assert [e.kind for e in _events(engine, 2)].count("open_dispatch") == 1
    assert [e.kind for e in _events(engine, 1)][-1] == "open_dispatch"
    # Decisions went to working copies: the snapshot's aggregates are as read.
    assert {oid: (o.state, o.version, list(o.tags))
            for oid, o in loaded.orders.items()} == as_read
    assert not any(o.pending_events for o in loaded.orders.values())
