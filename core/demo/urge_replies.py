"""Urges (催单) answered by the stand-ins: technicians answer the urges addressed to them, some
at once, some late, some never; the supervisor stand-in answers the escalations of breaches and
the desk's reminders (orders nobody is assigned to yet).

One rule for the live demo (over HTTP, `ApiUrgeLine`, hooked into core.demo.simulator) and the
headless simulation (through the handlers, core.simulation.urges). Each urge's fate is drawn
once, when the stand-in first sees it: never answered (a share of them), or answered after a
delay from the urge's time, so the console's 催单 list shows unanswered urges beside answered
ones, and late answers.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.demo.acting import StepReport
from core.demo.api import ApiError, ApiSession, Conflict
from core.demo.followup_calls import _at  # an API time (ISO text) or a handler's datetime

log = logging.getLogger(__name__)

NEVER_SHARE = 0.15  # urges a technician never answers
SUPERVISOR_NEVER_SHARE = 0.05
ANSWER_DELAY = timedelta(minutes=20)  # answers come within this long of the urge (uniform)
FIELD_REPLIES: dict[str, tuple[str, ...]] = {
    "accept": ("收到，马上接单", "在忙上一单，十分钟内处理"),
    "first_contact": ("马上联系客户", "刚打过客户电话，未接通，稍后再打"),
    "appointment": ("已和客户约好时间", "客户还没定时间，今天内约好"),
    "on_site": ("在路上，半小时内到", "堵车，晚一点到，已告知客户"),
    "complete": ("正在安装，今天完工", "缺配件，明天补装"),
}
OTHER_REPLY = ("收到，马上处理",)
SUPERVISOR_REPLIES = ("已联系网点督促", "已安排改派", "已致电客户致歉并跟进")
DESK_REPLIES = ("已安排派单", "已联系客户说明进度")
DESK_TARGETS = ("supervisor", "desk")  # what the centre (a supervisor) answers


class UrgeLine(Protocol):
    """Where one person reads the unanswered urges addressed to him (rows as the API's JSON:
    id, version, at, step, target) and answers one (the HTTP status)."""

    name: str

    async def urges(self) -> list[dict[str, Any]]: ...

    async def reply(self, urge: dict[str, Any], text: str) -> int: ...


def reply_text(rng: random.Random, urge: dict[str, Any]) -> str:
    if urge.get("target") == "supervisor":
        return rng.choice(SUPERVISOR_REPLIES)
    if urge.get("target") == "desk":
        return rng.choice(DESK_REPLIES)
    return rng.choice(FIELD_REPLIES.get(str(urge.get("step") or ""), OTHER_REPLY))


@dataclass
class UrgeAnswers:
    """Who answers which urge when, drawn from `rng` once per urge."""

    rng: random.Random
    delay: timedelta = ANSWER_DELAY
    _when: dict[int, datetime | None] = field(default_factory=dict)

    def _draw(self, urge: dict[str, Any]) -> datetime | None:
        never = SUPERVISOR_NEVER_SHARE if urge.get("target") in DESK_TARGETS else NEVER_SHARE
        if self.rng.random() < never:
            return None
        return _at(urge["at"]) + self.delay * self.rng.random()

    async def answer(self, line: UrgeLine, report: StepReport, now: datetime) -> int:
        """Answer the urges whose time to answer has come; how many were answered."""
        answered = 0
        for urge in await line.urges():
            if urge["id"] not in self._when:
                self._when[urge["id"]] = self._draw(urge)
            when = self._when[urge["id"]]
            if when is None or now < when:
                continue
            status = await line.reply(urge, reply_text(self.rng, urge))
            if status == 200:
                answered += 1
                report.actions["urge_reply"] += 1
            elif status == 409:
                report.conflicts += 1
            else:
                report.rejected += 1
            log.info("%s answered urge %s: %s", line.name, urge["id"], status)
        return answered


class ApiUrgeLine:
    """The urges over HTTP as one user sees them (GET /v1/sla/urges?answered=false, POST
    /v1/sla/urges/{id}/reply): a technician his own, the supervisor the escalations."""

    def __init__(self, session: ApiSession, target: str | None = None) -> None:
        self._session, self._target = session, target
        self.name = session.username

    async def urges(self) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"answered": "false", "limit": 100}
        if self._target is not None:
            params["target"] = self._target
        rows: list[dict[str, Any]] = await self._session.get("/v1/sla/urges", params=params)
        return rows

    async def reply(self, urge: dict[str, Any], text: str) -> int:
        try:
            await self._session.post(f"/v1/sla/urges/{urge['id']}/reply",
                                     {"text": text, "version": urge["version"]})
        except Conflict:
            return 409
        except ApiError as exc:
            log.info("urge %s not answered: %s", urge["id"], exc)
            return 422
        return 200

