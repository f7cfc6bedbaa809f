"""Performing lifecycle actions for the simulator: one try, then log and move on."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.demo.api import ApiError, ApiSession, Conflict
from core.fieldwork.position import Fix

logger = logging.getLogger("core.demo.simulator")


@dataclass
class StepReport:
    """What one round did: orders created, actions by name, conflicts and refusals met,
    and grab-pool claims lost to another technician (or to the clock)."""

    created: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    conflicts: int = 0
    rejected: int = 0
    claims_lost: int = 0


class Performer:
    """Sends actions on the version last seen; remembers what the backend refused."""

    def __init__(self) -> None:
        # (order id, version) the backend refused: retrying unchanged would only fail again.
        self._refused: set[tuple[int, int]] = set()

    async def perform(
        self, session: ApiSession, order: dict[str, Any], action: str, report: StepReport,
        reason: str = "", **fields: Any,
    ) -> dict[str, Any] | None:
        """The order's detail after the action, or None when the backend would not take it."""
        return await self._attempt(
            session, order, action, report,
            lambda: session.act(order["id"], action, order["version"], reason, **fields))

    async def check_in(self, session: ApiSession, order: dict[str, Any], position: Fix | None,
                       report: StepReport) -> dict[str, Any] | None:
        """Check in with the phone's position: the result, or None when not taken."""
        return await self._attempt(
            session, order, "check_in", report,
            lambda: session.check_in(order["id"], order["version"], position))

    async def complete(self, session: ApiSession, order: dict[str, Any],
                       report: StepReport) -> dict[str, Any] | None:
        """Complete on the completion route (the backend checks the evidence and may verify
        it at once): the result, or None when not taken."""
        return await self._attempt(
            session, order, "complete", report,
            lambda: session.complete(order["id"], order["version"]))

    async def cannot_complete(self, session: ApiSession, order: dict[str, Any], code: str,
                              note: str, report: StepReport) -> dict[str, Any] | None:
        """Report that the visit cannot be done, with a reason code: the result, or None."""
        return await self._attempt(
            session, order, "cannot_complete", report,
            lambda: session.cannot_complete(order["id"], order["version"], code, note))

    async def decide_verification(self, session: ApiSession, order: dict[str, Any],
                                  approve: bool, reason: str,
                                  report: StepReport) -> dict[str, Any] | None:
        """Approve or reject a served order in the verification review queue."""
        action = "verification_" + ("approve" if approve else "reject")
        return await self._attempt(
            session, order, action, report,
            lambda: session.decide_verification(order["id"], order["version"], approve,
                                                reason))

    async def book(self, session: ApiSession, order: dict[str, Any], start: datetime,
                   end: datetime, report: StepReport, reason: str = "",
                   reason_code: str | None = None) -> dict[str, Any] | None:
        """Book (or reschedule) a window on the booking route: the result, or None when not
        taken (a 409 when the order changed or the technician is booked then)."""
        return await self._attempt(
            session, order, "appoint", report,
            lambda: session.book(order["id"], order["version"], start, end, reason,
                                 reason_code))

    async def _attempt(
        self, session: ApiSession, order: dict[str, Any], action: str, report: StepReport,
        send: Callable[[], Awaitable[dict[str, Any]]],
    ) -> dict[str, Any] | None:
        """One try of `send` on the version seen; conflicts and refusals are counted."""
        key = (order["id"], order["version"])
        name = order.get("order_no", order["id"])
        if key in self._refused:
            return None
        try:
            detail = await send()
        except Conflict as exc:
            report.conflicts += 1
            logger.info("%s %s on %s: changed meanwhile (now version %s), moving on",
                        session.username, action, name, exc.problem.get("current_version"))
            with contextlib.suppress(ApiError):
                # Reload, as a person would; the next round works from the fresh list.
                await session.get(f"/v1/orders/{order['id']}")
            return None
        except ApiError as exc:
            report.rejected += 1
            self._refused.add(key)
            logger.warning("%s %s on %s refused: %s", session.username, action, name, exc)
            return None
        report.actions[action] += 1
        logger.info("%s: %s %s -> %s", session.username, action, name, detail.get("state"))
        return detail
