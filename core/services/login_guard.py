"""Sign-in throttling: failures per user and per address back off, and the argon2 checks that
run at once are capped, so password guessing neither succeeds nor starves the server.

Each check costs 64 MiB and tens of milliseconds of CPU: guessing is slowed by a lockout that
doubles with every failure past a free allowance (by user name, so a distributed guess at one
account is slowed; by address, so one machine guessing many accounts is), and past `max_checks`
simultaneous checks the next sign-in is refused at once (`Busy`; 429 with Retry-After)
instead of queueing. `core.services.sessions` runs the sign-in through it.

State is kept in this process's memory on purpose: the cap protects this process's memory and
CPU; a table would turn every guess into a database write, the load an attacker wants. With
several backend processes each keeps its own counts (README: limits). Every lockout is logged at
WARNING as `sign-in locked` with the user and address (one line per lockout, so the log counts
them) and counted in `lockouts`.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# The name operators filter on (README: limits) predates the move into the service layer.
log = logging.getLogger("core.server.login")


@dataclass(frozen=True)
class ThrottlePolicy:
    user_free_failures: int = 5
    address_free_failures: int = 20
    first_lock_s: float = 30.0
    max_lock_s: float = 15 * 60.0
    # Failures older than this are forgotten (a user who mistyped yesterday starts afresh).
    forget_after_s: float = 60 * 60.0
    # Simultaneous argon2 checks; each holds about 64 MiB.
    max_checks: int = 4
    # Keys remembered at most; the oldest go first (an attacker cannot fill memory).
    max_keys: int = 50_000


@dataclass
class _Failures:
    count: int
    last: float
    locked_until: float = 0.0


class Busy(Exception):
    """Too many sign-ins are being checked right now."""


class LoginGuard:
    """Throttle and concurrency cap for sign-in; `clock` returns seconds (monotonic)."""

    def __init__(self, policy: ThrottlePolicy | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._checks = threading.BoundedSemaphore(self.policy.max_checks)
        self.lockouts = 0

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until this user or address may try again, or None when they may now."""
        now = self._clock()
        with self._lock:
            waits = [f.locked_until - now for f in (self._get(k, now) for k in _keys(
                username, address)) if f is not None and f.locked_until > now]
        return math.ceil(max(waits)) if waits else None

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Hold one of the password-check slots; Busy when all are taken (no queueing)."""
        if not self._checks.acquire(blocking=False):
            raise Busy
        try:
            yield
        finally:
            self._checks.release()

    def failed(self, username: str, address: str) -> int | None:
        """Count a failure; the lockout in seconds when this failure starts one."""
        now = self._clock()
        locked: list[tuple[str, float]] = []
        with self._lock:
            for key in _keys(username, address):
                entry = self._get(key, now) or _Failures(0, now)
                entry.count, entry.last = entry.count + 1, now
                over = entry.count - self._free(key)
                if over > 0:
                    lock = min(self.policy.max_lock_s, self.policy.first_lock_s * 2 ** (over - 1))
                    entry.locked_until = now + lock
                    locked.append((key[0], lock))
                self._failures[key] = entry
                self._failures.move_to_end(key)
            while len(self._failures) > self.policy.max_keys:
                self._failures.popitem(last=False)
            if locked:
                self.lockouts += 1
        if not locked:
            return None
        seconds = math.ceil(max(lock for _, lock in locked))
        log.warning("sign-in locked: user=%r address=%s by=%s for %d s", username, address,
                    ",".join(kind for kind, _ in locked), seconds)
        return seconds

    def succeeded(self, username: str) -> None:
        """A right password clears the user's failures (not the address's: one known account
        must not reset a machine guessing others)."""
        with self._lock:
            self._failures.pop(("user", username), None)

    def _get(self, key: tuple[str, str], now: float) -> _Failures | None:
        entry = self._failures.get(key)
        if entry is not None and now - entry.last > self.policy.forget_after_s \
                and entry.locked_until <= now:
            del self._failures[key]
            return None
        return entry

    def _free(self, key: tuple[str, str]) -> int:
        if key[0] == "user":
            return self.policy.user_free_failures
        return self.policy.address_free_failures


def _keys(username: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
    return ("user", username), ("address", address)
