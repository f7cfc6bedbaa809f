"""Facts the centre marks on some arriving orders: VIP, urgent, a grab price.

They steer dispatch (a region's policy sends urgent and VIP orders to a person; a price below
the region's floor is flagged in the grab pool), so a demo shows escalation and pricing.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import Any

from core.demo import wording
from core.demo.acting import Performer, StepReport
from core.demo.api import ApiError, ApiSession
from core.orders.lifecycle import OrderTag

logger = logging.getLogger("core.demo.simulator")
TAG_SHARE = 0.05  # VIP or urgent
PRICE_SHARE = 0.03
# The demo's default floor is 30 yuan (core.demo.policies): prices either side of it.
LOW_PRICES_FEN = (1500, 2000, 2500)
HIGH_PRICES_FEN = (5000, 8000, 12000)


@dataclass(frozen=True)
class Mark:
    tags: tuple[str, ...] = ()
    grab_price_fen: int | None = None

    @property
    def reason(self) -> str:
        if OrderTag.VIP.value in self.tags:
            return wording.MARK_VIP
        if OrderTag.URGENT.value in self.tags:
            return wording.MARK_URGENT
        assert self.grab_price_fen is not None
        return wording.MARK_GRAB_PRICE.format(yuan=self.grab_price_fen // 100)

    def fields(self) -> dict[str, Any]:
        if self.tags:
            return {"tags": list(self.tags)}
        return {"grab_price_fen": self.grab_price_fen}


def draw_mark(rng: random.Random) -> Mark | None:
    """What the centre marks on one arriving order, if anything (one draw per order)."""
    draw = rng.random()
    if draw < TAG_SHARE:
        return Mark(tags=(rng.choice((OrderTag.VIP.value, OrderTag.URGENT.value)),))
    if draw < TAG_SHARE + PRICE_SHARE:
        return Mark(grab_price_fen=rng.choice(rng.choice((LOW_PRICES_FEN, HIGH_PRICES_FEN))))
    return None


async def mark_arrival(centre: ApiSession, performer: Performer, order_id: int, mark: Mark,
                       report: StepReport) -> None:
    """Mark a just-arrived order; the backend may be moving it at the same moment, so a stale
    version is read again and tried once more."""
    for _ in range(2):
        try:
            order = await centre.get(f"/v1/orders/{order_id}")
        except ApiError as exc:
            logger.info("order %s to mark is gone: %s", order_id, exc)
            return
        if await performer.perform(centre, order, "mark", report, mark.reason,
                                   **mark.fields()) is not None:
            return
