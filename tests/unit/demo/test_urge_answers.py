"""The stand-ins' answers to urges: each urge's fate drawn once (never, or after a delay from
the urge's time), answered when that time has come, counted in the round's report."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from core.demo.acting import StepReport
from core.demo.urge_replies import FIELD_REPLIES, SUPERVISOR_REPLIES, UrgeAnswers

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class Scripted(random.Random):
    """random() gives these values in turn, then 0.0 (choice() draws through it too)."""

    def __init__(self, values: list[float]) -> None:
        super().__init__(1)
        self._values: Iterator[float] = iter(values)

    def random(self) -> float:
        return next(self._values, 0.0)


class Line:
    name = "tech1"

    def __init__(self, urges: list[dict[str, Any]], status: int = 200) -> None:
        self.open, self.status = urges, status
        self.replies: list[tuple[int, str]] = []

    async def urges(self) -> list[dict[str, Any]]:
        return [u for u in self.open if u["id"] not in {i for i, _ in self.replies}]

    async def reply(self, urge: dict[str, Any], text: str) -> int:
        if self.status == 200:
            self.replies.append((urge["id"], text))
        return self.status


def _urge(n: int, target: str = "technician", step: str = "on_site") -> dict[str, Any]:
    return {"id": n, "version": 1, "at": AT.isoformat(), "target": target, "step": step}


def test_some_urges_are_never_answered_and_others_late() -> None:
    # urge 1: never (0.05 < 15 %); urge 2: after half the 20-minute delay (0.9, then 0.5).
    answers = UrgeAnswers(Scripted([0.05, 0.9, 0.5]))
    line, report = Line([_urge(1), _urge(2)]), StepReport()

    early = asyncio.run(answers.answer(line, report, AT + timedelta(minutes=9)))
    late = asyncio.run(answers.answer(line, report, AT + timedelta(minutes=10)))
    later = asyncio.run(answers.answer(line, report, AT + timedelta(days=1)))

    assert (early, late, later) == (0, 1, 0)
    assert [i for i, _ in line.replies] == [2]
    assert line.replies[0][1] in FIELD_REPLIES["on_site"]
    assert report.actions["urge_reply"] == 1


def test_the_supervisor_answers_escalations_in_his_own_words() -> None:
    answers = UrgeAnswers(Scripted([0.9, 0.0]))
    line = Line([_urge(3, target="supervisor", step="accept")])

    asyncio.run(answers.answer(line, StepReport(), AT))

    assert line.replies[0][1] in SUPERVISOR_REPLIES


def test_a_refused_answer_is_counted_as_such() -> None:
    report = StepReport()

    asyncio.run(UrgeAnswers(Scripted([0.9])).answer(Line([_urge(4)], status=409), report, AT))
    asyncio.run(UrgeAnswers(Scripted([0.9])).answer(Line([_urge(5)], status=403), report, AT))

    assert (report.conflicts, report.rejected, report.actions["urge_reply"]) == (1, 1, 0)
