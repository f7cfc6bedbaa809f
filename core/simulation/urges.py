"""Urges (催单) in `lastmile simulate`: the urge round after each deadline scan, as the server
runs it (core.server.sla_scan), and the stand-ins answering through the handlers with the
demo's rule (core.demo.urge_replies: technicians some at once, some late, some never; the
supervisor the escalations and the desk's reminders), as the live demo does over HTTP; and
the counts for the run's JSON line.

The day loop (core.simulation.day) makes one `UrgeStandIns` per run and calls
`urge_round(engine, clock)` after each deadline scan and `await stand_ins.turn(report)` on
its people's turns; `urge_counts(engine)` at the end.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import Clock
from core.demo.acting import StepReport
from core.demo.urge_replies import DESK_TARGETS, UrgeAnswers
from core.errors import Conflict, LastmileError
from core.orders.lifecycle import Role
from core.services.sla.urge_replies import (
    Reader,
    ReplyToUrge,
    handle_list_urges,
    handle_reply,
    handle_urge_counts,
)
from core.services.sla.urging import UrgeRound, handle_urge_round
from core.storage.sla.urges import UrgeQuery, waiting_technicians
from core.storage.uow import UnitOfWork

SUPERVISOR = "centre"  # the supervisor stand-in, as in the demo


def urge_round(engine: Engine, clock: Clock) -> int:
    """Urge the warnings and breaches the scan recorded (each once); how many urges."""
    return len(handle_urge_round(UrgeRound(), UnitOfWork(engine, clock=clock)))


class HandlerUrgeLine:
    """One person's unanswered urges and his reply, through the handlers."""

    def __init__(self, engine: Engine, clock: Clock, reader: Reader,
                 target: str | None = None) -> None:
        self._engine, self._clock, self._reader, self._target = engine, clock, reader, target
        self.name = reader.username

    async def urges(self) -> list[dict[str, Any]]:
        with Session(self._engine) as session:
            found = handle_list_urges(UrgeQuery(answered=False, target=self._target, limit=100),
                                      self._reader, session)
            return [{"id": u.id, "version": u.version, "at": u.at, "target": u.target,
                     "step": u.step} for u, _ in found]

    async def reply(self, urge: dict[str, Any], text: str) -> int:
        try:
            handle_reply(ReplyToUrge(urge["id"], text, urge["version"], self._reader),
                         UnitOfWork(self._engine, clock=self._clock))
        except Conflict:
            return 409
        except LastmileError as exc:
            return exc.status
        return 200


class UrgeStandIns:
    """The technicians and the supervisor answering urges, one draw per urge from `seed`."""

    def __init__(self, engine: Engine, clock: Clock, seed: int) -> None:
        self._engine, self._clock = engine, clock
        self.answers = UrgeAnswers(random.Random(seed * 17 + 3))

    async def turn(self, report: StepReport) -> int:
        """Every technician with unanswered urges looks at them, then the supervisor at the
        escalations and the desk's reminders; how many were answered."""
        now = self._clock.now()
        with Session(self._engine) as session:
            waiting = waiting_technicians(session)
        answered = 0
        for technician_id, username in waiting:
            reader = Reader(username or f"technician-{technician_id}", Role.TECHNICIAN,
                            technician_id)
            answered += await self.answers.answer(
                HandlerUrgeLine(self._engine, self._clock, reader), report, now)
        centre = Reader(SUPERVISOR, Role.SUPERVISOR)
        for target in DESK_TARGETS:
            answered += await self.answers.answer(
                HandlerUrgeLine(self._engine, self._clock, centre, target), report, now)
        return answered


def urge_counts(engine: Engine) -> dict[str, int]:
    """{"urges", "replied", and per source "alert", "manual", "platform" (when any)}."""
    with Session(engine) as session:
        return handle_urge_counts(session)
