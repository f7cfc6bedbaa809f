"""Technician risk: one score per technician from the flags on the orders he worked.

Each kind of flag weighs some points (`WEIGHTS`): a check-in far from the address, a locked
code or a recycled photo says more than an inaccurate fix or one wrong code; an upheld
complaint weighs most. A kind counts once per order (five wrong codes on one order are one
`code_failed` order; the lock that follows is its own kind), so a reason reads "far check-in on
3 orders". A kind this table does not name yet weighs `default_weight`: every kind counts.

The points are divided by the orders he worked in the window (at least `min_orders`, so two
orders cannot make anyone look like a cheat or a saint) and scaled so that a far check-in on
every order scores 100 (`full_points` per order); the score stops at 100. A busy honest
technician with a few poor fixes stays low however many orders he works; a cheat with few
orders scores high. Bands: low below `watch_from`, watch below `high_from`, then high.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.fieldwork.flags import FlagKind

DEFAULT_DAYS = 30
MAX_DAYS = 365

# Points per order carrying the kind.
WEIGHTS: Mapping[str, int] = {
    FlagKind.NO_CALL_APPOINTMENT.value: 3,  # booked without a real call
    FlagKind.CHECKIN_OUTSIDE.value: 4,  # said he was there, was not
    FlagKind.CHECKIN_SKIPPED.value: 2,  # no position: permission off, or hiding it
    FlagKind.CHECKIN_STALE.value: 1,  # an old fix: a phone's habit as often as a trick
    FlagKind.CHECKIN_INACCURATE.value: 1,  # a poor fix in a street canyon
    FlagKind.CODE_FAILED.value: 1,  # a customer misreads a code now and then
    FlagKind.CODE_LOCKED.value: 4,  # guessing until locked
    FlagKind.PHOTO_NO_EXIF.value: 1,  # a screenshot or an edited picture
    FlagKind.PHOTO_ELSEWHERE.value: 3,  # taken away from the address or the visit
    FlagKind.PHOTO_REUSED.value: 5,  # the same picture on another order
    FlagKind.COMPLAINT.value: 6,  # the customer's own word, upheld
    FlagKind.CANNOT_COMPLETE.value: 1,  # a rate, not a fault: many of them is the signal
    FlagKind.SERIAL_REUSED.value: 4,  # one appliance twice, or a serial copied from another order
}


class Band(StrEnum):
    LOW = "low"
    WATCH = "watch"
    HIGH = "high"


@dataclass(frozen=True)
class RiskPolicy:
    weights: Mapping[str, int] = field(default_factory=lambda: dict(WEIGHTS))
    default_weight: int = 2
    full_points: int = 4  # points per order that score 100 (a far check-in on each)
    min_orders: int = 5
    watch_from: float = 15.0
    high_from: float = 40.0

    def weight(self, kind: str) -> int:
        return self.weights.get(kind, self.default_weight)

    def band(self, score: float) -> Band:
        if score >= self.high_from:
            return Band.HIGH
        if score >= self.watch_from:
            return Band.WATCH
        return Band.LOW


POLICY = RiskPolicy()


@dataclass(frozen=True)
class KindCount:
    """A kind of flag on a technician's orders in the window: on how many orders, how many
    flags in all."""

    kind: str
    orders: int
    flags: int


@dataclass(frozen=True)
class Reason:
    """What one kind added to the score."""

    kind: str
    orders: int
    flags: int
    points: int


@dataclass(frozen=True)
class Risk:
    score: float  # 0-100, one decimal
    band: Band
    points: int
    orders: int  # worked in the window (the divisor before `min_orders`)
    flagged_orders: int
    reasons: tuple[Reason, ...]  # most points first


def window(now: datetime, days: int = DEFAULT_DAYS) -> tuple[datetime, datetime]:
    """The window ending now; ValueError outside 1..MAX_DAYS days."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must lie within 1..{MAX_DAYS}")
    return now - timedelta(days=days), now


def assess(counts: Iterable[KindCount], orders: int, flagged_orders: int = 0,
           policy: RiskPolicy = POLICY) -> Risk:
    """The technician's risk from his flags' counts and the orders he worked."""
    reasons = sorted((Reason(c.kind, c.orders, c.flags, policy.weight(c.kind) * c.orders)
                      for c in counts if c.orders > 0),
                     key=lambda r: (-r.points, -r.orders, r.kind))
    points = sum(r.points for r in reasons)
    worked = max(orders, flagged_orders, max((r.orders for r in reasons), default=0))
    divisor = policy.full_points * max(worked, policy.min_orders, 1)
    score = min(100.0, round(100.0 * points / divisor, 1))
    return Risk(score, policy.band(score), points, worked, flagged_orders, tuple(reasons))



def riskiest_first(risk: Risk, technician_id: int) -> tuple[float, int, int]:
    """Sort key: the highest score first, then the most points, then the lower id."""
    return (-risk.score, -risk.points, technician_id)
