"""Demo technicians in the grab pool: a few look at their offers each round and claim some.

Several technicians of a city see the same offers, and their claims go out together, so they
race as real ones do: exactly one wins, the others hear 409 (taken) or 410 (expired). That is
the pool working, logged at info, not an error.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from core.demo.acting import StepReport
from core.demo.api import ApiError, ApiSession
from core.demo.crew import Crew

logger = logging.getLogger("core.demo.simulator")
# Technicians who open the pool in a round; the others are busy or driving.
LOOKERS = 6
NEW_LOGINS = 2
CLAIM_SHARE = 0.45
# A price below the region's floor rarely tempts anyone; a price above it often does.
BELOW_FLOOR_SHARE, PRICED_SHARE = 0.1, 0.8
FAR_KM = 15.0
# Refusals that mean "someone else got there, or the offer is gone": the pool's normal course.
T = TypeVar("T")
LOST = {403: "not offered to me", 404: "not in the pool", 409: "taken", 410: "expired"}


@dataclass(frozen=True)
class Claim:
    technician: ApiSession
    offer: dict[str, Any]


class GrabHunt:
    """Each round: some technicians list their offers and claim the ones they like, at once."""

    def __init__(self, rng: random.Random, crew: Crew, *, lookers: int = LOOKERS,
                 new_logins: int = NEW_LOGINS, together: bool = True) -> None:
        self._rng, self._crew, self._lookers = rng, crew, lookers
        self._new_logins = new_logins
        # Together: the claims race as real ones do. One after another (the headless
        # simulation): the first looker wins every time, so a seed replays the same day.
        self._together = together
        self._rounds = 0

    def wants(self, offer: dict[str, Any]) -> bool:
        """Whether a technician who sees this offer goes for it."""
        share = CLAIM_SHARE
        if offer.get("below_floor"):
            share = BELOW_FLOOR_SHARE
        elif offer.get("price_fen") is not None:
            share = PRICED_SHARE
        distance = offer.get("distance_km")
        if distance is not None and distance > FAR_KM:
            share /= 2
        return self._rng.random() < share

    def lookers(self, roster: list[int]) -> list[int]:
        """The technicians who open the pool this round."""
        return self._rng.sample(roster, min(self._lookers, len(roster)))

    def pick(self, offers: list[dict[str, Any]]) -> dict[str, Any] | None:
        """One claim a round each: a technician takes the first offer that suits them."""
        return next((o for o in offers if self.wants(o)), None)

    async def round(
        self, client: httpx.AsyncClient, centre: ApiSession, report: StepReport
    ) -> None:
        # New technicians or logins show up now and then: list the staff again every 50 rounds.
        roster = await self._crew.roster(centre, refresh=self._rounds % 50 == 0)
        self._rounds += 1
        if not roster:
            return
        chosen = self.lookers(roster)
        # A first login costs the backend a password hash: a few new ones a round at most,
        # so the first rounds of a demo are not all logins.
        fresh = [t for t in chosen if not self._crew.logged_in(t)][self._new_logins:]
        chosen = [t for t in chosen if t not in fresh]
        sessions = [s for s in [await self._crew.session(client, centre, t) for t in chosen]
                    if s is not None]
        listed = await self._each([s.get("/v1/grab/offers") for s in sessions])
        claims = []
        for session, offers in zip(sessions, listed, strict=True):
            liked = self.pick(offers)
            if liked is not None:
                claims.append(Claim(session, liked))
        await self._each([self._claim(c, report) for c in claims])

    async def _each(self, calls: list[Coroutine[Any, Any, T]]) -> list[T]:
        if self._together:
            return list(await asyncio.gather(*calls))
        return [await call for call in calls]

    async def _claim(self, claim: Claim, report: StepReport) -> None:
        offer, tech = claim.offer, claim.technician
        # The version listed: a claim on an order that changed since is refused, not applied.
        params = {"version": offer["version"]} if offer.get("version") else None
        try:
            await tech.post(f"/v1/grab/offers/{offer['order_id']}/claim", {}, params=params)
        except ApiError as exc:
            if exc.status not in LOST:
                report.rejected += 1
                logger.warning("%s claim on %s refused: %s", tech.username,
                               offer.get("order_no"), exc)
                return
            report.claims_lost += 1
            logger.info("%s missed %s in the grab pool (%s): %s", tech.username,
                        offer.get("order_no"), LOST[exc.status], exc.problem.get("detail", ""))
            return
        report.actions["claim"] += 1
        logger.info("%s claimed %s from the grab pool%s", tech.username, offer.get("order_no"),
                    " (below the floor price)" if offer.get("below_floor") else "")
