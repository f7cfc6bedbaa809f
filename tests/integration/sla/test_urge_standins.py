"""Urges in the headless simulation (SQLite and PostgreSQL): the round after the scan, the
stand-ins answering through the handlers (some late, some never), and the counts."""

from __future__ import annotations

import asyncio

from deadline_support import OPEN_DISPATCH, perform, scan, t
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.demo.acting import StepReport
from core.simulation.urges import UrgeStandIns, urge_counts, urge_round
from core.storage.sla.urges import SlaUrgeRecord


def test_the_stand_ins_answer_urges_through_the_handlers_and_they_are_counted(
        world: Engine) -> None:
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 1, t(10, 1), [("assign", {"technician_id": 1})])
    clock = SimulatedClock(t(10, 31))
    scan(world, clock)
    assert urge_round(world, clock) == 3  # 预警, 警告 and the breach, at once
    assert urge_round(world, clock) == 0
    stand_ins, report = UrgeStandIns(world, clock, seed=1), StepReport()

    clock.jump_to(t(11))  # every delay (at most 20 minutes) has passed
    answered = asyncio.run(stand_ins.turn(report))
    again = asyncio.run(stand_ins.turn(report))

    with Session(world) as session:
        replies = {u.target: u.replied_by for u in session.scalars(select(SlaUrgeRecord))}
    assert answered >= 2 and again == 0  # seed 1: at least two of the three answered
    assert answered == report.actions["urge_reply"]
    assert answered == sum(by is not None for by in replies.values())
    assert replies["supervisor"] in (None, "centre")
    assert replies["technician"] in (None, "tech1")
    assert urge_counts(world) == {"urges": 3, "alert": 3, "replied": answered}
