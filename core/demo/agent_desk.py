"""The agents' stand-in for orders that need a person (manual dispatch).

A live demo should show orders waiting for an agent, with why, so the stand-in leaves each one
alone for a few minutes (its patience) and only then assigns it, the way a person would: the
best eligible candidate first; when no one meets every rule, the nearest candidate on purpose
(the backend records the rule broken); when no one is near, after a long wait, it cancels.
So the list shows real waiting work but never piles up forever.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from core.clock import WALL_CLOCK, Clock
from core.demo import wording
from core.demo.acting import Performer, StepReport
from core.demo.api import ApiError, ApiSession
from core.demo.followup_calls import FollowupStandIns
from core.text import bilingual

logger = logging.getLogger("core.demo.simulator")
# Its own user, not the demo's `agent`: the timeline must tell the stand-in from a person.
AGENT = "sim-agent"
# How long an order waits in the needs-person list before the stand-in takes it.
DISPATCH_PATIENCE = timedelta(minutes=4)
# Past this many patiences with nobody to send, the agent calls the customer and cancels.
GIVE_UP_AFTER = 3
NEAR_KM = 30.0
TAKE_SHARE = 0.3  # of the orders past their patience, this share is worked each round


class Desk(Protocol):
    """Where the stand-in works: the HTTP API as a console would (the demo, `ApiDesk`) or the
    service layer's handlers (the headless simulation). Rows and results are the API's JSON."""

    name: str

    async def needs_person(self) -> list[dict[str, Any]]: ...

    async def assign(self, order: dict[str, Any], technician_id: int | None,
                     reason: str) -> dict[str, Any]: ...

    async def candidates(self, order_id: int) -> list[dict[str, Any]] | None: ...

    async def cancel(self, order: dict[str, Any], reason: str, report: StepReport) -> None: ...


class ApiDesk:
    """The desk over HTTP, logged in as one user (GET /v1/dispatch/needs-person, POST
    /v1/dispatch/assign, GET /v1/orders/{id}/candidates, the order's `cancel` action)."""

    def __init__(self, session: ApiSession, performer: Performer) -> None:
        self._session, self._performer = session, performer
        self.name = session.username

    async def needs_person(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await self._session.get("/v1/dispatch/needs-person")
        return rows

    async def assign(self, order: dict[str, Any], technician_id: int | None,
                     reason: str) -> dict[str, Any]:
        results = await self._session.post("/v1/dispatch/assign", {
            "assignments": [{"order_id": order["id"], "version": order["version"],
                             "technician_id": technician_id}],
            "reason": reason, "pinned": True,
        })
        result: dict[str, Any] = results[0]
        return result

    async def candidates(self, order_id: int) -> list[dict[str, Any]] | None:
        try:
            found: list[dict[str, Any]] = await self._session.get(
                f"/v1/orders/{order_id}/candidates")
        except ApiError as exc:
            logger.info("no candidates for order %s: %s", order_id, exc)
            return None
        return found

    async def cancel(self, order: dict[str, Any], reason: str, report: StepReport) -> None:
        await self._performer.perform(self._session, order, "cancel", report, reason)

    # -- the follow-up worklist and complaints (core.demo.followup_calls.FollowupDesk):
    # GET /v1/followups, POST /v1/followups/{id}/outcome, GET /v1/complaints and POST
    # /v1/complaints/{id}/ruling (a supervisor's login)
    async def followups(self) -> list[dict[str, Any]]:
        page = await self._session.get("/v1/followups", params={"scope": "due"})
        rows: list[dict[str, Any]] = page["rows"]
        return rows

    async def record_outcome(self, row: dict[str, Any], body: dict[str, Any]) -> int:
        return await self._status(f"/v1/followups/{row['followup_id']}/outcome", body)

    async def complaints(self) -> list[dict[str, Any]]:
        page = await self._session.get("/v1/complaints", params={"status": "open"})
        rows: list[dict[str, Any]] = page["rows"]
        return rows

    async def rule(self, complaint: dict[str, Any], uphold: bool, reason: str) -> int:
        return await self._status(f"/v1/complaints/{complaint['id']}/ruling", {
            "uphold": uphold, "version": complaint["version"], "reason": reason})

    async def _status(self, path: str, body: dict[str, Any]) -> int:
        try:
            await self._session.post(path, body)
        except ApiError as exc:
            logger.info("%s: %s", self.name, exc)
            return exc.status
        return 200


class StandInAgent:
    """Works the needs-person list through assignment, as `sim-agent`, at a `Desk`."""

    def __init__(self, rng: random.Random, performer: Performer, *, password: str = "demo",
                 patience: timedelta = DISPATCH_PATIENCE, clock: Clock = WALL_CLOCK,
                 followups: FollowupStandIns | None = None) -> None:
        self._rng, self._performer, self._password = rng, performer, password
        # With `followups`, each turn over HTTP also makes a few follow-up calls.
        self.followups = followups
        self._clock = clock
        self.patience = patience
        self._desk: ApiDesk | None = None
        # (order id, version) no candidate could take: not asked again until the order changes.
        self._stuck: set[tuple[int, int]] = set()
        # When the stand-in first saw each order: a backlog escalated hours before the demo
        # started still waits its patience, so the list is never emptied at once.
        self._first_seen: dict[int, datetime] = {}

    def forget_session(self) -> None:
        self._desk = None

    async def round(self, client: httpx.AsyncClient, report: StepReport,
                    now: datetime | None = None) -> None:
        """One turn over HTTP (logging in the first time)."""
        if self._desk is None:
            session = ApiSession(client, AGENT, self._password)
            await session.login()
            self._desk = ApiDesk(session, self._performer)
        await self.work(self._desk, report, now or self._clock.now())
        if self.followups is not None:
            await self.followups.call(self._desk, report)

    async def work(self, desk: Desk, report: StepReport, now: datetime) -> None:
        """One turn at `desk`: each order past its patience is taken by a share of chance;
        one nobody could take is cancelled after GIVE_UP_AFTER patiences."""
        rows = await desk.needs_person()
        listed = {row["order"]["id"] for row in rows}
        self._first_seen = {k: v for k, v in self._first_seen.items() if k in listed}
        for row in rows:
            seen = self._first_seen.setdefault(row["order"]["id"], now)
            waited = now - max(_since(row), seen)
            if waited < self.patience:
                continue  # left for a person watching the demo
            order = row["order"]
            key = (order["id"], order["version"])
            if key in self._stuck:
                if waited >= self.patience * GIVE_UP_AFTER:
                    await desk.cancel(order, wording.MANUAL_CANCEL, report)
                continue
            if self._rng.random() < TAKE_SHARE:
                await self._place(desk, row, report)

    async def _place(self, desk: Desk, row: dict[str, Any], report: StepReport) -> None:
        order = row["order"]
        # He types the backend's reason in Chinese, as he reads it (his words show as typed).
        said = str(row.get("reason") or "")
        parts = bilingual(said)
        why = (parts[0] if parts else said) or row.get("code") or wording.ESCALATED
        result = await self._assign(desk, order, None, wording.MANUAL_ASSIGN.format(why=why))
        if result["ok"]:
            report.actions["manual_assign"] += 1
            return
        if result["status"] == 409:
            report.conflicts += 1
            return
        # Nobody meets every rule: a person may still send the nearest, knowing what it breaks.
        nearest = await self._nearest(desk, order["id"])
        if nearest is not None:
            result = await self._assign(desk, order, nearest,
                                        wording.MANUAL_ASSIGN_BREAKING.format(why=why))
            if result["ok"]:
                report.actions["manual_assign"] += 1
                return
        self._stuck.add((order["id"], order["version"]))
        logger.info("%s: nobody to send for %s yet (%s)", desk.name, order["order_no"],
                    result.get("detail", ""))

    @staticmethod
    async def _assign(desk: Desk, order: dict[str, Any], technician_id: int | None,
                      reason: str) -> dict[str, Any]:
        result = await desk.assign(order, technician_id, reason)
        logger.info("%s assigns %s by hand: %s", desk.name, order["order_no"],
                    result.get("detail", ""))
        return result

    @staticmethod
    async def _nearest(desk: Desk, order_id: int) -> int | None:
        candidates = await desk.candidates(order_id)
        near = [c for c in candidates or ()
                if c.get("distance_km") is not None and c["distance_km"] <= NEAR_KM]
        if not near:
            return None
        best = min(near, key=lambda c: c["distance_km"])
        technician_id: int = best["technician"]["id"]
        return technician_id


def _since(row: dict[str, Any]) -> datetime:
    raw = row.get("since") or row["order"].get("state_changed_at") or row["order"]["created_at"]
    at = datetime.fromisoformat(raw)
    return at if at.tzinfo else at.replace(tzinfo=UTC)
