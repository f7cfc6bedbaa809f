"""The demo technicians' phones at the door, honest or not (the demo's and the simulation's).

An honest technician checks in where the order is: his phone reports WGS-84 (the true place,
whose GCJ-02 is the order's address point) with a drift of some metres, now and then a poor fix
in a street canyon, a fix a little old, or no position at all (permission off). A fraudster
(a share of the crew, chosen per technician and seed) often checks in from elsewhere — home,
the last job — or sends no position. What each technician did is the simulation's own truth,
against which the flags are counted (`Truth`).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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


@dataclass(frozen=True)
class Doorstep:
    """A check-in as the phone sends it, and whether the technician was really there."""

    position: Fix | None
    faked: bool


@dataclass
class Truth:
    """Per order checked in: by a fraudster faking it, or honestly."""

    faked: set[int] = field(default_factory=set)
    honest: set[int] = field(default_factory=set)

    def record(self, order_id: int, faked: bool) -> None:
        (self.faked if faked else self.honest).add(order_id)
        (self.honest if faked else self.faked).discard(order_id)


class Phones:
    """Which technicians cheat (a `fraud_share` of them) and what their phones report."""

    def __init__(self, seed: int, fraud_share: float = 0.0) -> None:
        self._seed, self.fraud_share = seed, fraud_share
        self._rng = random.Random(seed * 131 + 17)
        self._fraudsters: dict[int, bool] = {}
        self.truth = Truth()
        self.outcomes: Counter[str] = Counter()

    def is_fraudster(self, technician_id: int) -> bool:
        """Decided once per technician, the same for a seed whatever order things happen in."""
        if technician_id not in self._fraudsters:
            draw = random.Random(f"{self._seed}:{technician_id}").random()
            self._fraudsters[technician_id] = draw < self.fraud_share
        return self._fraudsters[technician_id]

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
