"""The intake centre's turn (it never sleeps): reviews, intake steps by hand, the verification
queue, and complaints' rulings (core.demo.centre's rules, core.demo.followup_calls)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime

from core.demo import centre as centre_rules
from core.demo.followup_calls import FollowupStandIns
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.simulation.desks import HandlerDesk
from core.simulation.reads import OrderNow
from core.simulation.steps import Steps

CENTRE = Actor("centre", Role.SUPERVISOR)
INTAKE_BATCH = 20  # what the centre lists per turn (as the demo's rounds do)


class Centre:
    """Works on the orders as the day last read them (`orders`, `by_state`); `follow` reads
    the change feed again after its own steps."""

    def __init__(self, steps: Steps, rng: random.Random, followups: FollowupStandIns,
                 orders: Mapping[int, OrderNow], by_state: Mapping[str, Mapping[int, None]],
                 follow: Callable[[], None]) -> None:
        self.steps, self.backend, self._rng = steps, steps.backend, rng
        self.followups = followups
        self._judge = HandlerDesk(steps.backend, CENTRE)
        self._orders, self._by_state, self._follow = orders, by_state, follow

    async def take(self, now: datetime) -> None:
        in_review = self._review(now)
        if self.steps.wrote:
            self._follow()
        self._intake(in_review)
        if self._by_state.get("served"):  # what the backend did not verify itself
            self._verify()
        if self._by_state.get("frozen"):  # complaints wait for a supervisor's ruling
            if await self.followups.rule(self._judge, self.steps.tally, now):
                self.steps.wrote = True

    def _review(self, now: datetime) -> set[int]:
        """Approve or reject orders in review; the ones still in review."""
        steps, rng = self.steps, self._rng
        in_review: set[int] = set()
        if not self._by_state.get("new"):
            return in_review
        for order_id, version, score, created_at in self.backend.reviews():
            in_review.add(order_id)
            approve = centre_rules.review_choice(rng, now - created_at, score)
            if approve is None:
                continue
            steps.wrote = True
            if self.backend.review(CENTRE, order_id,
                                   version, approve, centre_rules.review_reason(approve)):
                steps.tally.actions["review_" + ("approve" if approve else "reject")] += 1
                in_review.discard(order_id)
        return in_review

    def _intake(self, in_review: set[int]) -> None:
        """The oldest orders waiting for an intake step, each taken as far as it goes."""
        waiting = sorted((o for s in centre_rules.INTAKE_STATES
                          for i in self._by_state.get(s, {}) if i not in in_review
                          for o in [self._orders[i]]), key=lambda o: (o.created_at, o.id))
        for order in waiting[:INTAKE_BATCH]:
            current: OrderNow | None = order
            while current is not None and current.state in centre_rules.INTAKE_STATES:
                move = centre_rules.intake_move(current.state, current.county_adcode,
                                                current.service_type)
                if move is None or not self.steps.act(CENTRE, current, move):
                    break
                self._follow()
                current = self._orders.get(current.id)
                if centre_rules.pauses(self._rng):
                    break

    def _verify(self) -> None:
        for order_id, version, verdict in self.backend.verification_queue(CENTRE):
            approve = centre_rules.verification_choice(verdict, self._rng)
            if approve is not None:
                self.steps.wrote = True
                outcome = self.backend.decide_verification(
                    CENTRE, order_id, version, approve,
                    centre_rules.verification_reason(approve))
                self.steps.count("verification_" + ("approve" if approve else "reject"),
                                 outcome)
