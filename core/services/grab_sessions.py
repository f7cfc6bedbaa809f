"""How the grab pool's handlers reach the database under contention.

Hundreds of technicians claim one order at the same instant; one wins. So that a losing claim
costs about what a read does:
- `reading(uow)`: a short plain session beside the unit of work's write transaction (on
  SQLite a plain BEGIN: it never waits for, nor holds, the write lock);
- `claim_queue(bind)`: on SQLite this process's claim writers queue on a mutex before BEGIN
  IMMEDIATE (see its docstring); PostgreSQL queues them on row locks instead;
- `AttemptTally`: the attempts of claims refused from a read are committed many at once
  (group commit), still before each of them is answered.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from core.storage.grab.pool import add_attempts
from core.storage.uow import UnitOfWork


def bind_of(uow: UnitOfWork) -> Engine:
    """The unit of work's engine (inside `with uow`; no transaction is begun by asking)."""
    bind = uow.session.get_bind()
    assert isinstance(bind, Engine)
    return bind


def claim_queue(bind: Engine) -> AbstractContextManager[object]:
    """On SQLite, this process's claim writers queue on a mutex before BEGIN IMMEDIATE.

    SQLite hands its write lock to whichever waiter polls first, and its busy handler sleeps
    up to 100 ms between polls: hundreds of claimants polling it leave the lock idle between
    holders, starve some past the busy timeout (503), and slow the winner. Behind a mutex only
    one claimant per process polls; PostgreSQL queues claimants on the row locks instead.
    """
    return _SQLITE_CLAIMS if bind.dialect.name == "sqlite" else nullcontext()


_SQLITE_CLAIMS = threading.Lock()


class _Batch:
    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()  # offer id -> attempts
        self.done = False
        self.error: BaseException | None = None


class AttemptTally:
    """Claim attempts counted in batches: one write per offer for every attempt that arrived
    while the previous batch was being written (group commit).

    `count` returns once the caller's attempt is committed, so the monitor never shows fewer
    attempts than were answered. The first caller that finds no batch in flight writes the
    batch that holds its own attempt and everyone's that joined it; the others wait for it.
    Under a burst of losers this is a handful of commits instead of one per loser, each of
    which on SQLite would take the one write lock and a disk sync.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._filling = _Batch()
        self._in_flight = False

    def count(self, offer_id: int, write: Callable[[Counter[int]], None]) -> None:
        """One attempt on the offer, committed when this returns (or the write's error).

        `write` commits a batch; the caller who ends up writing uses its own.
        """
        with self._changed:
            batch = self._filling
            batch.counts[offer_id] += 1
            while not batch.done:
                if not self._in_flight:
                    # Nothing in flight and ours not done: ours is the filling batch. Write it.
                    self._in_flight = True
                    self._filling = _Batch()
                    break
                self._changed.wait()
            else:
                if batch.error is not None:
                    raise batch.error
                return
        try:
            write(batch.counts)
        except BaseException as exc:
            batch.error = exc
            raise
        finally:
            with self._changed:
                batch.done = True
                self._in_flight = False
                self._changed.notify_all()


def write_attempts(bind: Engine) -> Callable[[Counter[int]], None]:
    """A tally's writer on `bind`, a unit of work's engine (on SQLite its transactions take
    the write lock at BEGIN): one short transaction per offer, in id order."""

    def write(counts: Counter[int]) -> None:
        # One offer per transaction: on PostgreSQL a batch never holds one offer's row lock
        # while waiting for another's (no lock order to get wrong against other writers).
        with claim_queue(bind), Session(bind) as session:
            for offer_id, attempts in sorted(counts.items()):
                add_attempts(session, offer_id, attempts)
                session.commit()

    return write


_TALLIES: weakref.WeakKeyDictionary[Pool, AttemptTally] = weakref.WeakKeyDictionary()
_TALLIES_LOCK = threading.Lock()


def tally_for(bind: Engine) -> AttemptTally:
    """This process's tally for the database behind `bind` (one per connection pool, held
    weakly: a disposed engine's tally goes with its pool)."""
    with _TALLIES_LOCK:
        tally = _TALLIES.get(bind.pool)
        if tally is None:
            tally = _TALLIES[bind.pool] = AttemptTally()
        return tally
