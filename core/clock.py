"""The one clock: every rule, handler and loop asks an injected `Clock` for the time.

Only the composition roots (the server's `create_app`, `lastmile serve/demo`, the simulation)
choose which clock runs: the wall clock (`SystemClock`), the wall clock sped up for a demo
(`ScaledClock`), or a clock that moves only when told (`SimulatedClock`), so a week of orders
can be replayed in seconds and a test can stand at any instant.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the time comes from; always timezone-aware UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ScaledClock:
    """The wall clock run `speed` times faster from the moment it was made (`demo --speed`)."""

    def __init__(self, speed: float, base: Clock | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._base = base or SystemClock()
        self._origin = self._base.now()
        self.speed = speed

    def now(self) -> datetime:
        return self._origin + (self._base.now() - self._origin) * self.speed


class SimulatedClock:
    """A clock that stands still until moved: `advance(delta)` or `jump_to(at)`.

    Thread-safe: the simulation moves it while the server's worker threads read it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock's time must carry a time zone")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time does not run backwards")
        with self._lock:
            self._now += delta
            return self._now

    def jump_to(self, at: datetime) -> datetime:
        """Move forward to `at` (a time already past leaves the clock where it is)."""
        with self._lock:
            self._now = max(self._now, at.astimezone(UTC))
            return self._now


WALL_CLOCK: Clock = SystemClock()
