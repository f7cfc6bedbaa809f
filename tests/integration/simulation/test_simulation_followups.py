"""The simulation's review period through the handlers: the backend ends periods itself on the
simulated clock, the stand-in agent calls customers who answer from the truth, a problem opens
an after-sales order and freezes the original, the centre rules complaints; nobody passes a
review by hand. The JSON line counts it all from the database."""

from __future__ import annotations

from typing import Any

import pytest
from simulated_world import Simulated
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.demo.agent_desk import AGENT
from core.simulation.report import followup_summary
from core.storage.fieldwork.followups import (
    ComplaintRecord,
    FollowupRecord,
    ReviewPeriodRecord,
)
from core.storage.tables import OrderEventRecord, OrderRecord

KEYS = {"calls", "satisfied", "problems", "unreachable", "gave_up", "complaints_upheld",
        "complaints_dismissed", "after_sales_opened", "settled_by_period_end",
        "settled_by_approval"}


@pytest.fixture(scope="module")
def reviewed(simulated: Simulated) -> tuple[Simulated, Engine]:
    """The shared run: two days with a one-day review period and 60% of the orders called, so
    periods end on the simulated clock within the run."""
    return simulated, simulated.engine


def _events(engine: Engine, kind: str) -> list[Any]:
    with Session(engine) as session:
        return list(session.execute(
            select(OrderEventRecord.order_id, OrderEventRecord.actor,
                   OrderEventRecord.actor_role).where(OrderEventRecord.kind == kind)).all())


def test_orders_become_settleable_by_the_periods_end_and_by_a_satisfied_call(
        reviewed: tuple[Simulated, Engine]) -> None:
    _, engine = reviewed
    passed = _events(engine, "pass_review")
    by_period = {o for o, name, role in passed if name == "review" and role == "system"}
    by_call = {o for o, name, _ in passed if name == AGENT}
    with Session(engine) as session:
        periods = dict(session.execute(select(ReviewPeriodRecord.order_id,
                                              ReviewPeriodRecord.outcome)).all())
        states = dict(session.execute(select(OrderRecord.id, OrderRecord.state)).all())

    assert by_period and by_call
    # Nobody passes a review by hand any more: the backend's round or a satisfied call.
    assert {name for _, name, _ in passed} <= {"review", AGENT}
    assert all(periods[o] == "lapsed" for o in by_period)
    assert all(periods[o] == "approved" for o in by_call)
    assert all(states[o] in ("settleable", "settled", "closed") for o in by_period | by_call)


def test_a_problem_opens_an_after_sales_order_and_freezes_the_original(
        reviewed: tuple[Simulated, Engine]) -> None:
    day, engine = reviewed
    with Session(engine) as session:
        complaints = session.scalars(select(ComplaintRecord)).all()
        after_sales = {c.after_sales_order_id for c in complaints}
        parents = dict(session.execute(select(OrderRecord.id, OrderRecord.parent_id)
                                       .where(OrderRecord.id.in_(after_sales))).all())
        states = dict(session.execute(select(OrderRecord.id, OrderRecord.state)).all())

    assert complaints
    assert all(c.after_sales_order_id is not None for c in complaints)
    assert all(parents[c.after_sales_order_id or 0] == c.order_id for c in complaints)
    frozen = {o for o, _, _ in _events(engine, "freeze")}
    assert {c.order_id for c in complaints} <= frozen
    # The centre ruled those that waited: upheld ones stay frozen.
    ruled = [c for c in complaints if c.status != "open"]
    assert ruled and all(c.ruled_by == "centre" for c in ruled)
    assert all(states[c.order_id] == "frozen" for c in ruled if c.status == "upheld")
    # Orders with a faked step complain more often than honest ones (the truth's answer).
    truth = day.truth
    with Session(engine) as session:
        answered = set(session.scalars(select(FollowupRecord.order_id)
                                       .where(FollowupRecord.status == "done")))
    complained = {c.order_id for c in complaints}

    def rate(orders: set[int]) -> float:
        return len(orders & complained) / max(1, len(orders & answered))

    assert rate(truth.faked) > rate(truth.honest)


def test_the_summary_counts_the_calls_from_the_database(reviewed: tuple[Simulated, Engine]) -> None:
    day, engine = reviewed
    summary = followup_summary(engine)
    with Session(engine) as session:
        followups = session.scalars(select(FollowupRecord)).all()

    assert set(summary) == KEYS
    assert summary["satisfied"] == sum(1 for f in followups if f.outcome == "satisfied"
                                       and f.status == "done")
    assert summary["problems"] == summary["after_sales_opened"] > 0
    assert summary["calls"] == (summary["satisfied"] + summary["problems"]
                                + summary["unreachable"])
    assert summary["unreachable"] > 0
    assert summary["settled_by_period_end"] > 0 and summary["settled_by_approval"] > 0
    assert summary["complaints_upheld"] + summary["complaints_dismissed"] > 0
    # The stand-in's own tally agrees with what the backend recorded.
    tally = day.tally.actions
    assert tally["followup_satisfied"] == summary["satisfied"]
    assert tally["followup_problem"] == summary["problems"]


def test_the_json_line_carries_the_follow_up_counts(simulated: Simulated) -> None:
    assert simulated.summary["followups"] == followup_summary(simulated.engine)
