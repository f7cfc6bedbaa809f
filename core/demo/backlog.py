"""The demo's backlog: when its orders came in and how far each should have come by now."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.demo.clock import orders_come
from core.orders.lifecycle import OrderState

S = OrderState
BACKLOG = timedelta(hours=72)
NEWEST = timedelta(minutes=3)
# Percent of the backlog per final state, from the freshest work to the most finished. Orders are
# given these in order of age (with some noise), so old orders tend to be settled and new ones
# still in intake; cancelled and frozen ones sit among the orders waiting for their visit.
MIX: tuple[tuple[OrderState, int], ...] = (
    (S.NEW, 5), (S.AUDITED, 3), (S.PLACED, 3), (S.CLASSIFIED, 5),
    (S.DISPATCHING, 15),
    (S.ASSIGNED, 10), (S.ACCEPTED, 10), (S.CANCELLED, 2), (S.APPOINTED, 10), (S.FROZEN, 2),
    (S.CHECKED_IN, 5),
    (S.SERVED, 6), (S.VERIFIED, 5),
    (S.IN_REVIEW, 4), (S.SETTLEABLE, 5),
    (S.SETTLED, 4), (S.CLOSED, 6),
)
# How much an order's rank in age is blurred before it is given a state (share of the backlog).
AGE_NOISE = 0.08


@dataclass(frozen=True)
class Plan:
    """One backlog order: when it arrived and the state it should be in now."""

    created_at: datetime
    target: OrderState


def arrival_times(n: int, now: datetime, rng: random.Random) -> list[datetime]:
    """`n` past arrival times, oldest first: denser towards now, few at night (China time)."""
    times: list[datetime] = []
    while len(times) < n:
        # Arrivals per hour fall linearly from 3 now to 1 at the backlog's start (inverse CDF).
        x = (3 - math.sqrt(9 - 8 * rng.random())) / 2
        at = now - NEWEST - (BACKLOG - NEWEST) * x
        if orders_come(at, rng):
            times.append(at)
    return sorted(times)


def quotas(n: int) -> list[tuple[OrderState, int]]:
    """How many of `n` orders end in each state of MIX (largest remainders; at least one new)."""
    total = sum(w for _, w in MIX)
    exact = [(state, n * w / total) for state, w in MIX]
    counts = {state: int(share) for state, share in exact}
    by_remainder = sorted(range(len(exact)), key=lambda i: -(exact[i][1] % 1))
    for i in by_remainder[: n - sum(counts.values())]:
        counts[exact[i][0]] += 1
    if n and not counts[S.NEW]:
        # The newest arrival is always still new: the centre has not seen it yet.
        largest = max(counts, key=lambda s: counts[s])
        counts[largest] -= 1
        counts[S.NEW] += 1
    return [(state, counts[state]) for state, _ in MIX]


def plan_backlog(n: int, now: datetime, rng: random.Random) -> list[Plan]:
    """Arrival time and target state of `n` orders, oldest first."""
    times = arrival_times(n, now, rng)
    # Freshness: 0 for the newest order, about 1 for the oldest, blurred.
    fresh = [(n - 1 - i) / max(n - 1, 1) + rng.gauss(0.0, AGE_NOISE) for i in range(n)]
    if n:
        fresh[-1] = float("-inf")
    targets: list[OrderState] = [S.NEW] * n
    ranked = sorted(range(n), key=lambda i: fresh[i])
    start = 0
    for state, count in quotas(n):
        for i in ranked[start:start + count]:
            targets[i] = state
        start += count
    return [Plan(at, target) for at, target in zip(times, targets, strict=True)]
