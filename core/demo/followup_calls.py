"""Follow-up calls in the review period, as the stand-ins make and answer them.

One rule for the live demo (over HTTP, `core.demo.agent_desk.ApiDesk`) and the headless
simulation (through the handlers, `core.simulation.backend.HandlerDesk`). The backend picks the
orders to call and ends review periods by itself; the stand-in agent works the follow-up
worklist a few calls a turn, and the customer answers from what really happened on his order
(`core.demo.field.Truth`): after an honest visit he is mostly satisfied (4-5 stars, some 3), now
and then unreachable, rarely unhappy; after a visit with faked steps he complains more often
(the work's quality, non-standard work, overcharging), which opens an after-sales order and
freezes the original. A supervisor stand-in rules open complaints after a while: most of those
on faked orders upheld, some on honest orders dismissed.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core.demo.acting import StepReport
from core.demo.field import Truth

log = logging.getLogger(__name__)

CALLS_PER_TURN = 3  # the due calls one agent's turn works
# The customer after an honest visit: unreachable, a problem, else satisfied (stars weighted).
HONEST_UNREACHABLE, HONEST_PROBLEM = 0.12, 0.02
HONEST_STARS = {5: 6, 4: 3, 3: 1}
HONEST_PROBLEMS = {"attitude": 2, "timeliness": 2, "quality": 1}
# ... after a visit with a faked step.
FAKED_UNREACHABLE, FAKED_PROBLEM = 0.15, 0.45
FAKED_STARS = {5: 2, 4: 3, 3: 3}
FAKED_PROBLEMS = {"quality": 4, "non_standard": 3, "overcharging": 2}
PROBLEM_NOTES = {
    "attitude": "客户反映师傅态度不好",
    "timeliness": "客户反映师傅迟到很久",
    "quality": "客户反映安装后仍有问题，要求再上门",
    "non_standard": "客户反映师傅没有按规范施工",
    "overcharging": "客户反映师傅额外收费",
}
# The supervisor stand-in rules a complaint once it has waited this long.
RULING_PATIENCE = timedelta(hours=4)
UPHOLD_FAKED, UPHOLD_HONEST = 0.85, 0.6
UPHELD_REASON = "核实属实，投诉成立"
DISMISSED_REASON = "核实后与事实不符，投诉不成立"


class FollowupDesk(Protocol):
    """Where the stand-ins call and rule: rows and results as the API's JSON (only the fields
    used here: a worklist row's followup_id, version, order_id; a complaint's id, version,
    order_id, raised_at). `record_outcome` and `rule` answer the HTTP status."""

    name: str

    async def followups(self) -> list[dict[str, Any]]: ...

    async def record_outcome(self, row: dict[str, Any], body: dict[str, Any]) -> int: ...

    async def complaints(self) -> list[dict[str, Any]]: ...

    async def rule(self, complaint: dict[str, Any], uphold: bool, reason: str) -> int: ...


def customer_answer(rng: random.Random, faked: bool) -> dict[str, Any]:
    """What the customer says on the phone, as the outcome's body (without `version`)."""
    unreachable, problem = ((FAKED_UNREACHABLE, FAKED_PROBLEM) if faked
                            else (HONEST_UNREACHABLE, HONEST_PROBLEM))
    draw = rng.random()
    if draw < unreachable:
        return {"outcome": "unreachable"}
    if draw < unreachable + problem:
        weights = FAKED_PROBLEMS if faked else HONEST_PROBLEMS
        kind = rng.choices(list(weights), list(weights.values()))[0]
        return {"outcome": "problem", "complaint_type": kind, "note": PROBLEM_NOTES[kind]}
    stars = FAKED_STARS if faked else HONEST_STARS
    return {"outcome": "satisfied", "rating": rng.choices(list(stars), list(stars.values()))[0]}


def ruling(rng: random.Random, faked: bool) -> bool:
    """Uphold (True) or dismiss a complaint, by what really happened on the order."""
    return rng.random() < (UPHOLD_FAKED if faked else UPHOLD_HONEST)


@dataclass
class FollowupStandIns:
    """The agent's calls and the supervisor's rulings, drawn from `rng` against `truth`."""

    rng: random.Random
    truth: Truth
    calls_per_turn: int = CALLS_PER_TURN
    ruling_patience: timedelta = RULING_PATIENCE

    async def call(self, desk: FollowupDesk, report: StepReport) -> int:
        """One agent's turn at the due calls (the worklist's first few); calls made."""
        made = 0
        for row in (await desk.followups())[:self.calls_per_turn]:
            body = customer_answer(self.rng, row["order_id"] in self.truth.faked)
            status = await desk.record_outcome(row, {**body, "version": row["version"]})
            made += 1
            _count(report, status, "followup_" + body["outcome"])
            log.info("%s called on order %s: %s (%s)", desk.name, row.get("order_no", ""),
                     body["outcome"], status)
        return made

    async def rule(self, desk: FollowupDesk, report: StepReport, now: datetime) -> int:
        """The supervisor's turn: open complaints older than the patience ruled; how many."""
        ruled = 0
        for complaint in await desk.complaints():
            if now - _at(complaint["raised_at"]) < self.ruling_patience:
                continue
            uphold = ruling(self.rng, complaint["order_id"] in self.truth.faked)
            status = await desk.rule(complaint, uphold,
                                     UPHELD_REASON if uphold else DISMISSED_REASON)
            ruled += 1
            _count(report, status, "complaint_" + ("upheld" if uphold else "dismissed"))
        return ruled


def _count(report: StepReport, status: int, action: str) -> None:
    if status == 200:
        report.actions[action] += 1
    elif status == 409:
        report.conflicts += 1
    else:
        report.rejected += 1


def _at(raw: Any) -> datetime:
    at = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    return at if at.tzinfo else at.replace(tzinfo=UTC)
