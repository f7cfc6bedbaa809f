"""The demo technicians: each logs in with their own account and works their own orders."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from core.clock import WALL_CLOCK, Clock
from core.demo import wording
from core.demo.acting import Performer, StepReport
from core.demo.api import ApiError, ApiSession, LoginFailed
from core.demo.booking import ApiLine, book_visit
from core.demo.clock import APPOINTMENT_HOURS, SHANGHAI
from core.demo.evidence import Evidence, Job, finish_visit
from core.demo.field import CHECK_IN, Phones
from core.demo.finishing import ApiBench
from core.fieldwork.appointments import RescheduleReason
from core.orders.lifecycle import CannotCompleteCode, RefusalCode
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms

logger = logging.getLogger("core.demo.simulator")
# At the door, now and then the visit cannot be done (nobody home, parts missing, ...).
CANNOT_COMPLETE_SHARE = 0.02
CANNOT_COMPLETE_WEIGHTS = {
    CannotCompleteCode.CUSTOMER_ABSENT.value: 35, CannotCompleteCode.PARTS_MISSING.value: 25,
    CannotCompleteCode.SITE_NOT_READY.value: 15, CannotCompleteCode.CUSTOMER_DECLINES.value: 10,
    CannotCompleteCode.NEEDS_OTHER_TRADE.value: 10, CannotCompleteCode.OTHER.value: 5,
}
# How a technician answers an assignment: some refuse (with a code), a few let it time out.
IGNORE_SHARE, REFUSE_SHARE = 0.06, 0.1
REFUSAL_WEIGHTS = {
    RefusalCode.NO_TIME.value: 40, RefusalCode.TOO_FAR.value: 25,
    RefusalCode.PRICE_TOO_LOW.value: 10, RefusalCode.CUSTOMER_UNREACHABLE.value: 10,
    RefusalCode.LACKS_SKILL.value: 8, RefusalCode.OTHER.value: 7,
}

__all__ = ["SHANGHAI", "Crew", "Move"]


@dataclass(frozen=True)
class Move:
    """What a person does next to an order: a lifecycle action, its reason and fields."""

    action: str
    reason: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


class Crew:
    """Technician sessions by technician id, and how a technician moves an order along."""

    def __init__(self, rng: random.Random, performer: Performer, password: str = "demo",
                 clock: Clock = WALL_CLOCK, phones: Phones | None = None,
                 axb: SimulatedAxb | None = None, sms: SimulatedSms | None = None,
                 seed: int = 0) -> None:
        self._rng, self._performer, self._password = rng, performer, password
        self._clock = clock
        self.phones = phones if phones is not None else Phones(0)
        self._axb = axb  # the backend's simulated virtual-number provider, to call through
        self._sms = sms  # the backend's simulated SMS provider: the customers' phones
        self.evidence = Evidence(self.phones, seed)  # photos, serials, codes at the end
        self._located: dict[int, bool] = {}  # order -> his phone gave a position at check-in
        self._finished: set[int] = set()
        self._sessions: dict[int, ApiSession] = {}
        self._strangers: set[int] = set()  # technicians without a demo login
        self._listed: dict[int, dict[str, Any]] = {}  # GET /v1/technicians by id
        self._answers: dict[tuple[int, int], str] = {}  # (order, technician) -> the answer

    def forget_sessions(self) -> None:
        """Drop the logins, whose HTTP client is gone; the next round logs in again."""
        self._sessions.clear()

    async def work(
        self, client: httpx.AsyncClient, centre: ApiSession, technician_ids: Sequence[int],
        report: StepReport,
    ) -> None:
        for technician_id in technician_ids:
            session = await self._session(client, centre, technician_id)
            if session is None:
                continue
            for row in await session.get("/v1/technicians/me/orders"):
                await self._next_step(session, row, report)

    async def _next_step(self, tech: ApiSession, order: dict[str, Any], report: StepReport) -> None:
        now = self._clock.now()
        move = self.next_move(order["id"], tech.technician_id or 0, order["state"], now)
        if move is not None and move.action == "check_in":
            door = self.phones.at_the_door(tech.technician_id or 0, order.get("lng"),
                                           order.get("lat"), now)
            if await self._performer.check_in(tech, order, door.position, report):
                self.phones.truth.record(order["id"], door.faked, CHECK_IN)
                self._located[order["id"]] = door.position is not None
        elif move is not None and move.action == "appoint":
            line = ApiLine(tech, order, self._performer, report, self._axb)
            await book_visit(line, self.phones, order["id"], order["version"],
                             tech.technician_id or 0, (move.fields["start"], move.fields["end"]),
                             move.reason, move.fields.get("reason_code"), now)
        elif move is not None and move.action == "complete":
            await self._finish(tech, order, report, now)
            await self._performer.complete(tech, order, report)
        elif move is not None and move.action == "cannot_complete":
            await self._performer.cannot_complete(tech, order, move.fields["code"],
                                                  move.reason, report)
        elif move is not None:
            await self._performer.perform(tech, order, move.action, report, move.reason,
                                          **move.fields)

    async def _finish(self, tech: ApiSession, order: dict[str, Any], report: StepReport,
                      now: datetime) -> None:
        """Before he completes (once per visit): photos, serials and the customer's code."""
        if order["id"] in self._finished:
            return
        self._finished.add(order["id"])
        checked_in = order.get("state_changed_at")
        job = Job(order["id"], tech.technician_id or 0, order.get("lat"), order.get("lng"),
                  datetime.fromisoformat(checked_in) if checked_in else None, now,
                  self._located.get(order["id"], True))
        try:
            await finish_visit(ApiBench(tech, report, self._sms), self.evidence, job)
        except ApiError as exc:
            logger.warning("%s: the end of the visit on %s failed: %s", tech.username,
                           order["id"], exc)

    def next_move(self, order_id: int, technician_id: int, state: str,
                  now: datetime) -> Move | None:
        """What the technician does to their order this round, if anything (the demo's and
        the headless simulation's one rule). An `appoint` is the window he has in mind: he
        books it, or the free one nearest to it, after calling the customer
        (core.demo.booking)."""
        rng = self._rng
        # Randomised pacing: each round only some orders move, so every state stays populated.
        if state == "assigned":
            return self.answer(order_id, technician_id)
        if state == "accepted" and rng.random() < 0.6:
            start, end = self.appointment_window(now)
            return Move("appoint", wording.APPOINTED, {"start": start, "end": end})
        if state == "appointed" and rng.random() < 0.45:
            if rng.random() < 0.05:
                start, end = self.appointment_window(now)
                return Move("appoint", wording.REAPPOINTED, {
                    "start": start, "end": end,
                    "reason_code": RescheduleReason.CUSTOMER_REQUEST.value})
            return Move("check_in", wording.CHECKED_IN)
        if state == "checked_in" and rng.random() < 0.5:
            if rng.random() < CANNOT_COMPLETE_SHARE:
                code = rng.choices(list(CANNOT_COMPLETE_WEIGHTS),
                                   weights=list(CANNOT_COMPLETE_WEIGHTS.values()))[0]
                return Move("cannot_complete", wording.CANNOT_COMPLETE[code], {"code": code})
            return Move("complete", wording.COMPLETED)
        return None

    def answer_for(self, order_id: int, technician_id: int) -> str:
        """accept, refuse or ignore: decided once per assignment, so an ignored one times out."""
        key = (order_id, technician_id)
        if key not in self._answers:
            draw = self._rng.random()
            self._answers[key] = ("ignore" if draw < IGNORE_SHARE
                                  else "refuse" if draw < IGNORE_SHARE + REFUSE_SHARE
                                  else "accept")
        return self._answers[key]

    def answer(self, order_id: int, technician_id: int) -> Move | None:
        """The answer to an assignment this round: accept, refuse with a code, or nothing yet."""
        answer = self.answer_for(order_id, technician_id)
        # Nobody answers at once: most within a few rounds, the ignored ones never.
        if answer == "ignore" or self._rng.random() >= 0.7:
            return None
        if answer == "accept":
            return Move("accept", wording.ACCEPTED)
        code = self._rng.choices(list(REFUSAL_WEIGHTS), weights=list(REFUSAL_WEIGHTS.values()))[0]
        return Move("refuse", self._rng.choice(wording.REFUSALS[code]), {"code": code})

    def appointment_window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """Two hours, later today when there is time left, otherwise in the next few days."""
        now = (now or self._clock.now()).astimezone(SHANGHAI)
        day = now.replace(minute=0, second=0, microsecond=0)
        # Always four draws, whatever the hour, so a seed replays the same run at any time.
        today, hour, days, later = (self._rng.random() for _ in range(4))
        first = max(9, now.hour + 1)
        if today < 0.4 and now.hour < 16:
            start = day.replace(hour=first + int(hour * (19 - first)))
        else:
            start = (day + timedelta(days=1 + int(days * 3))).replace(
                hour=APPOINTMENT_HOURS[int(later * len(APPOINTMENT_HOURS))]
            )
        return start, start + timedelta(hours=2)

    async def roster(self, centre: ApiSession, *, refresh: bool = False) -> list[int]:
        """Ids of the active technicians with a demo login (listed once, or again on refresh)."""
        if refresh or not self._listed:
            self._listed = {t["id"]: t for t in await centre.get("/v1/technicians")}
        return sorted(i for i, t in self._listed.items()
                      if t.get("username") and t.get("active", True) and i not in self._strangers)

    def logged_in(self, technician_id: int) -> bool:
        return technician_id in self._sessions

    async def session(
        self, client: httpx.AsyncClient, centre: ApiSession, technician_id: int
    ) -> ApiSession | None:
        """The technician's own login (logged in once), or None when they have none."""
        return await self._session(client, centre, technician_id)

    async def _session(
        self, client: httpx.AsyncClient, centre: ApiSession, technician_id: int
    ) -> ApiSession | None:
        if technician_id in self._sessions or technician_id in self._strangers:
            return self._sessions.get(technician_id)
        if technician_id not in self._listed:
            self._listed = {t["id"]: t for t in await centre.get("/v1/technicians")}
        username = (self._listed.get(technician_id) or {}).get("username")
        if not username:
            logger.warning("technician %s has no login; their orders are left alone",
                           technician_id)
            self._strangers.add(technician_id)
            return None
        session = ApiSession(client, username, self._password)
        try:
            await session.login()
        except LoginFailed as exc:
            logger.warning("%s", exc)
            self._strangers.add(technician_id)
            return None
        self._sessions[technician_id] = session
        return session
