"""The demo technicians' phones, honest or not (the demo's and the simulation's): on the line
before a booking and at the door.

Before he books a visit, an honest technician calls the customer through the order's virtual
number (AXB) and talks long enough to agree on a time; now and then nobody answers (the line
busy, no answer, the phone off) and he records the failed attempt and tries again later. At the
door his phone reports WGS-84 (the true place, whose GCJ-02 is the order's address point) with a
drift of some metres, now and then a poor fix in a street canyon, a fix a little old, or no
position at all (permission off). A fraudster (a share of the crew, chosen per technician and
seed) often books without a real call — none at all, or a hang-up after a few seconds — and
often checks in from elsewhere (home, the last job) or sends no position. What each technician
did is the simulation's own truth, against which the flags are counted (`Truth`): an order is
fraudulent when any of its steps was faked.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.fieldwork.appointments import ContactReason
from core.fieldwork.position import Fix, gcj02_to_wgs84

M_PER_DEG_LAT = 111_320.0
# Honest phones: drift (metres, a normal spread) and how often a fix goes wrong.
DRIFT_M = 15.0
CANYON_SHARE, CANYON_M, CANYON_ACCURACY_M = 0.04, 120.0, 150.0
OLD_FIX_SHARE = 0.01  # a fix taken before the ride (stale)
NO_POSITION_SHARE = 0.01  # location permission off
# Fraudsters: how often a check-in is faked, and how far away it is made.
FAKE_SHARE = 0.8
FAR_KM = (3.0, 25.0)
SKIP_SHARE = 0.25  # of the fakes: no position at all
# Honest calls before a booking: how long they talk (seconds), how often nobody answers and why.
TALK_S = (25, 240)
RING_S = (15, 40)  # an unanswered call rings this long before he gives up
UNREACHED_SHARE = 0.15
UNREACHED_WEIGHTS = {ContactReason.NO_ANSWER: 6, ContactReason.LINE_BUSY: 3,
                     ContactReason.PHONE_OFF: 1}
# Fraudsters: how often a booking is faked, and of the fakes how many are a hang-up (3 s)
# rather than no call at all.
FAKE_BOOKING_SHARE = 0.8
HANG_UP_SHARE, HANG_UP_S = 0.4, 3


@dataclass(frozen=True)
class Dial:
    """What the technician does on the line before he books: a call of `seconds` (None: he
    places none), answered or not, and whether the booking that follows is faked. `unreached`:
    nobody answered, the reason he records instead of booking."""

    seconds: int | None
    connected: bool
    faked: bool
    unreached: ContactReason | None = None


@dataclass(frozen=True)
class Doorstep:
    """A check-in as the phone sends it, and whether the technician was really there."""

    position: Fix | None
    faked: bool


BOOKING, CHECK_IN = "booking", "check_in"  # the steps a technician may fake


@dataclass
class Truth:
    """Per order booked or checked in: with a step faked by a fraudster, or honestly; and per
    step, the orders where it was faked (`faked_steps`)."""

    faked: set[int] = field(default_factory=set)
    honest: set[int] = field(default_factory=set)
    faked_steps: dict[str, set[int]] = field(default_factory=dict)

    def record(self, order_id: int, faked: bool, step: str) -> None:
        """One more step on the order; one faked step makes the whole order fraudulent."""
        if faked:
            self.faked.add(order_id)
            self.honest.discard(order_id)
            self.faked_steps.setdefault(step, set()).add(order_id)
        elif order_id not in self.faked:
            self.honest.add(order_id)


class Phones:
    """Which technicians cheat (a `fraud_share` of them) and what their phones report."""

    def __init__(self, seed: int, fraud_share: float = 0.0) -> None:
        self._seed, self.fraud_share = seed, fraud_share
        self._rng = random.Random(seed * 131 + 17)
        self._line = random.Random(seed * 131 + 29)  # calls: the doorstep's draws stay as they were
        self._fraudsters: dict[int, bool] = {}
        self.truth = Truth()
        self.outcomes: Counter[str] = Counter()

    def is_fraudster(self, technician_id: int) -> bool:
        """Decided once per technician, the same for a seed whatever order things happen in."""
        if technician_id not in self._fraudsters:
            draw = random.Random(f"{self._seed}:{technician_id}").random()
            self._fraudsters[technician_id] = draw < self.fraud_share
        return self._fraudsters[technician_id]

    def before_booking(self, technician_id: int) -> Dial:
        """What the technician does on the line before he books the visit."""
        rng = self._line
        if self.is_fraudster(technician_id) and rng.random() < FAKE_BOOKING_SHARE:
            if rng.random() < HANG_UP_SHARE:
                return Dial(HANG_UP_S, True, True)
            return Dial(None, False, True)
        if rng.random() < UNREACHED_SHARE:
            reason = rng.choices(list(UNREACHED_WEIGHTS), list(UNREACHED_WEIGHTS.values()))[0]
            return Dial(rng.randint(*RING_S), False, False, reason)
        return Dial(rng.randint(*TALK_S), True, False)

    def at_the_door(self, technician_id: int, lng: float | None, lat: float | None,
                    now: datetime) -> Doorstep:
        """What the technician's phone sends when he checks in on an order at (lng, lat)."""
        rng = self._rng
        if lng is None or lat is None:  # an order never placed: nowhere to be
            return Doorstep(None, False)
        true = gcj02_to_wgs84(lat, lng)
        if self.is_fraudster(technician_id) and rng.random() < FAKE_SHARE:
            if rng.random() < SKIP_SHARE:
                return Doorstep(None, True)
            away = rng.uniform(*FAR_KM) * 1000.0
            return Doorstep(self._fix(rng, true.lat, true.lng, away, rng.uniform(5, 30), now),
                            True)
        draw = rng.random()
        if draw < NO_POSITION_SHARE:
            return Doorstep(None, False)
        if draw < NO_POSITION_SHARE + OLD_FIX_SHARE:
            old = now - timedelta(minutes=rng.uniform(15, 90))
            return Doorstep(self._fix(rng, true.lat, true.lng, abs(rng.gauss(0, DRIFT_M)),
                                      rng.uniform(5, 30), old), False)
        if draw < NO_POSITION_SHARE + OLD_FIX_SHARE + CANYON_SHARE:
            return Doorstep(self._fix(rng, true.lat, true.lng, abs(rng.gauss(0, CANYON_M)),
                                      CANYON_ACCURACY_M, now), False)
        return Doorstep(self._fix(rng, true.lat, true.lng, abs(rng.gauss(0, DRIFT_M)),
                                  rng.uniform(4, 30), now), False)

    @staticmethod
    def _fix(rng: random.Random, lat: float, lng: float, off_m: float, accuracy_m: float,
             at: datetime) -> Fix:
        """A fix `off_m` metres from (lat, lng) in a random direction, taken a few seconds
        before `at`."""
        bearing = rng.uniform(0, 2 * math.pi)
        dlat = off_m * math.cos(bearing) / M_PER_DEG_LAT
        dlng = off_m * math.sin(bearing) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
        return Fix(round(lat + dlat, 7), round(lng + dlng, 7), round(accuracy_m, 1),
                   at - timedelta(seconds=rng.uniform(2, 40)))
