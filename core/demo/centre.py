"""How the intake centre's stand-in works orders by hand: intake steps, reviews, the
verification queue.

One set of rules for the live demo (core.demo.simulator, over HTTP) and the headless
simulation (core.simulation, on a simulated clock).
"""

from __future__ import annotations

import random
from datetime import timedelta

from core.demo import wording
from core.demo.crew import Move

# The intake steps the centre takes by hand for orders the backend's intake left; classified
# orders are the backend dispatcher's from there.
INTAKE_STATES = ("new", "audited", "placed")
# After the visit: the backend verifies a completion with complete evidence itself (and its
# review period begins); the centre works the verification review queue for the rest (approve
# or reject through the review's decision, never the action route). Review periods end by the
# backend's own round or a satisfied follow-up call (core.demo.followup_calls), never by hand.
# A flagged order in the verification review queue is rejected (frozen) this often.
REJECT_FLAGGED_SHARE = 0.5
# Agents get this long to work the audit review queue before the stand-in steps in.
REVIEW_PATIENCE = timedelta(minutes=3)
# Pacing: now and then an order waits a round at an intake step; the verification queue's
# decisions take a few rounds.
PAUSE_SHARE, DESK_SHARE = 0.15, 0.35


def intake_move(state: str, county_adcode: str | None, service_type: str | None) -> Move | None:
    """The next intake step for an order in `state` (None past intake)."""
    if state == "new":
        return Move("audit", wording.AUDITED)
    if state == "audited":
        return Move("place", wording.PLACED, {"county_adcode": county_adcode})
    if state == "placed":
        return Move("classify", wording.CLASSIFIED,
                    {"service_type": service_type or "install"})
    return None


def pauses(rng: random.Random) -> bool:
    """Whether the order waits for the next round before its next intake step."""
    return rng.random() < PAUSE_SHARE


def review_choice(rng: random.Random, waited: timedelta, score: int,
                  patience: timedelta = REVIEW_PATIENCE) -> bool | None:
    """Approve (True), reject (False), or leave it for now (None) an order in review."""
    if waited < patience or rng.random() > 0.5:
        return None
    return score < 60 or rng.random() < 0.3


def review_reason(approve: bool) -> str:
    return wording.REVIEW_APPROVED if approve else wording.REVIEW_REJECTED


def verification_choice(verdict: str, rng: random.Random) -> bool | None:
    """Approve (True), reject (False) or leave for now (None) a served order the backend left
    in the verification review queue, by its verdict: a flagged one is often rejected."""
    if rng.random() >= DESK_SHARE:
        return None
    return not (verdict == "flagged" and rng.random() < REJECT_FLAGGED_SHARE)


def verification_reason(approve: bool) -> str:
    return wording.VERIFICATION_APPROVED if approve else wording.VERIFICATION_REJECTED
