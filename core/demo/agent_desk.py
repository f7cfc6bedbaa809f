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
from typing import Any

import httpx

from core.clock import WALL_CLOCK, Clock
from core.demo import wording
from core.demo.acting import Performer, StepReport
from core.demo.api import ApiError, ApiSession

logger = logging.getLogger("core.demo.simulator")
# Its own user, not the demo's `agent`: the timeline must tell the stand-in from a person.
AGENT = "sim-agent"
# How long an order waits in the needs-person list before the stand-in takes it.
DISPATCH_PATIENCE = timedelta(minutes=4)
# Past this many patiences with nobody to send, the agent calls the customer and cancels.
GIVE_UP_AFTER = 3
NEAR_KM = 30.0
TAKE_SHARE = 0.3  # of the orders past their patience, this share is worked each round


class StandInAgent:
    """Works GET /v1/dispatch/needs-person through POST /v1/dispatch/assign, as `sim-agent`."""

    def __init__(self, rng: random.Random, performer: Performer, *, password: str = "demo",
                 patience: timedelta = DISPATCH_PATIENCE, clock: Clock = WALL_CLOCK) -> None:
        self._rng, self._performer, self._password = rng, performer, password
        self._clock = clock
        self.patience = patience
        self._session: ApiSession | None = None
        # (order id, version) no candidate could take: not asked again until the order changes.
        self._stuck: set[tuple[int, int]] = set()
        # When the stand-in first saw each order: a backlog escalated hours before the demo
        # started still waits its patience, so the list is never emptied at once.
        self._first_seen: dict[int, datetime] = {}

    def forget_session(self) -> None:
        self._session = None

    async def round(self, client: httpx.AsyncClient, report: StepReport,
                    now: datetime | None = None) -> None:
        if self._session is None:
            session = ApiSession(client, AGENT, self._password)
            await session.login()
            self._session = session
        agent, now = self._session, now or self._clock.now()
        rows = await agent.get("/v1/dispatch/needs-person")
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
                    await self._performer.perform(agent, order, "cancel", report,
                                                  wording.MANUAL_CANCEL)
                continue
            if self._rng.random() < TAKE_SHARE:
                await self._place(agent, row, report)

    async def _place(self, agent: ApiSession, row: dict[str, Any], report: StepReport) -> None:
        order = row["order"]
        why = row.get("reason") or row.get("code") or wording.ESCALATED
        result = await self._assign(agent, order, None, wording.MANUAL_ASSIGN.format(why=why))
        if result["ok"]:
            report.actions["manual_assign"] += 1
            return
        if result["status"] == 409:
            report.conflicts += 1
            return
        # Nobody meets every rule: a person may still send the nearest, knowing what it breaks.
        nearest = await self._nearest(agent, order["id"])
        if nearest is not None:
            result = await self._assign(agent, order, nearest,
                                        wording.MANUAL_ASSIGN_BREAKING.format(why=why))
            if result["ok"]:
                report.actions["manual_assign"] += 1
                return
        self._stuck.add((order["id"], order["version"]))
        logger.info("%s: nobody to send for %s yet (%s)", agent.username, order["order_no"],
                    result.get("detail", ""))

    async def _assign(self, agent: ApiSession, order: dict[str, Any], technician_id: int | None,
                      reason: str) -> dict[str, Any]:
        results = await agent.post("/v1/dispatch/assign", {
            "assignments": [{"order_id": order["id"], "version": order["version"],
                             "technician_id": technician_id}],
            "reason": reason, "pinned": True,
        })
        result: dict[str, Any] = results[0]
        logger.info("%s assigns %s by hand: %s", agent.username, order["order_no"],
                    result.get("detail", ""))
        return result

    async def _nearest(self, agent: ApiSession, order_id: int) -> int | None:
        try:
            candidates = await agent.get(f"/v1/orders/{order_id}/candidates")
        except ApiError as exc:
            logger.info("no candidates for order %s: %s", order_id, exc)
            return None
        near = [c for c in candidates
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
