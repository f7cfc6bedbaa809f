"""Performing lifecycle actions for the simulator: one try, then log and move on."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.demo.api import ApiError, ApiSession, Conflict

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
        key = (order["id"], order["version"])
        name = order.get("order_no", order["id"])
        if key in self._refused:
            return None
        try:
            detail = await session.act(order["id"], action, order["version"], reason, **fields)
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
