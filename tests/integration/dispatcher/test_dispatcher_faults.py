"""A round where one order fails: the others keep their decisions, the failed one is untouched."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from test_dispatcher_support import (
    T0,
    classify,
    events,
    order,
    order_ids,
    round_at,
    set_policy,
    writer,
)

from core.dispatch.engine import plan
from core.dispatch.round_model import DISPATCH_FAILED, Decision, OpenDispatch, Withdraw
from core.orders.lifecycle import DispatchMode, OrderState
from core.services import dispatch_apply
from core.services.dispatch_apply import RoundReport, apply_plan
from core.storage.db import DISPATCH_LOCK
from core.storage.dispatch.snapshot import load


def test_a_decision_the_order_refuses_sends_it_to_a_person_and_the_others_go_through(
        world: Engine):
    first, second, _ = order_ids(world)
    classify(world, first)
    classify(world, second)
    with Session(world) as session:
        loaded = load(session, T0)
    decisions: list[Decision] = [Withdraw(first, "timeout", DispatchMode.AUTO, "不可能的收回"),
                                 OpenDispatch(second, DispatchMode.MANUAL, "测试")]
    report = RoundReport()
    apply_plan(writer(world), loaded, decisions, T0, report)
    assert (report.failed, report.opened) == (1, 1)
    assert report.escalated[DISPATCH_FAILED] == 1
    # The impossible withdraw left no trace; the order went to a person, told why.
    sent = order(world, first)
    assert sent.state is OrderState.DISPATCHING and sent.dispatch_mode is DispatchMode.MANUAL
    assert sent.dispatch_note.startswith("自动派单无法处理此单，转人工 (automatic dispatch could "
                                         "not handle this order; to a person)：「IllegalTransition")
    assert [e.kind for e in events(world, first)][-2:] == ["classify", "open_dispatch"]
    assert order(world, second).state is OrderState.DISPATCHING


def test_a_database_error_after_the_save_rolls_back_only_that_order(
        world: Engine, monkeypatch: pytest.MonkeyPatch):
    set_policy(world, {"stages": [{"mode": "grab", "minutes": 30},
                                  {"mode": "manual", "minutes": None}]})
    first, second, _ = order_ids(world)
    classify(world, first)
    classify(world, second)
    real = dispatch_apply.open_offer

    def flaky(session: Any, order: Any, *args: Any) -> Any:
        if order.id == first:
            raise OperationalError("INSERT", {}, Exception("disk full"))
        return real(session, order, *args)

    monkeypatch.setattr(dispatch_apply, "open_offer", flaky)
    before = len(events(world, first))
    with Session(world) as session:
        loaded = load(session, T0)
    report = RoundReport()
    apply_plan(writer(world), loaded, plan(loaded.snapshot).decisions, T0, report)
    assert (report.failed, report.opened, report.offers_opened) == (1, 1, 1)
    # The savepoint undid the first order's row and its events were never written; the
    # database's own trouble is not the order's: it stays for the next round.
    assert report.escalated == {}
    assert order(world, first).state is OrderState.CLASSIFIED
    assert len(events(world, first)) == before
    assert order(world, second).dispatch_mode is DispatchMode.GRAB


def test_only_one_process_dispatches_at_a_time(world: Engine) -> None:
    first = order_ids(world)[0]
    classify(world, first)
    if world.dialect.name != "postgresql":
        # SQLite serves one backend process (its file): no lock, the round just runs.
        assert round_at(world, T0).assigned == 1
        return
    with world.connect() as other:  # another backend process's dispatcher, mid-round
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": DISPATCH_LOCK})
        skipped = round_at(world, T0)
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DISPATCH_LOCK})
        other.commit()
    assert (skipped.orders, skipped.opened) == (0, 0)
    assert order(world, first).state is OrderState.CLASSIFIED
    assert round_at(world, T0).assigned == 1
