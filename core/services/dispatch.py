"""The dispatch round as a use case: read a snapshot, plan, apply, close stale offers.

`handle_run_round(RunRound(), Transactions(engine, clock))` runs one round at the clock's time;
`run_round(engine, clock)` is the same for callers without a command at hand (the server's
background loop, the headless simulation, tests). Neither needs HTTP or asyncio. The round
reads its snapshot outside any write transaction, plans with core.dispatch.engine (pure) and
writes its decisions per chunk of orders (core.services.dispatch_apply).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK, Clock
from core.dispatch.engine import plan
from core.services.dispatch_apply import CENTRE, RoundReport, apply_plan
from core.storage.dispatch.rounds import any_stale_offers, only_dispatcher
from core.storage.dispatch.snapshot import load
from core.storage.grab.pool import WITHDRAWN, close_offer, stale_offers
from core.storage.uow import UnitOfWork

__all__ = ["CENTRE", "RoundReport", "RunRound", "Transactions", "close_stale_offers",
           "handle_run_round", "run_round"]


@dataclass(frozen=True)
class RunRound:
    """Run one dispatch round now: the time is the clock's (read once, at the round's start)."""


@dataclass(frozen=True)
class Transactions:
    """Where a round's units of work come from: a round reads once, then writes in chunks, one
    unit of work each, all on the same clock and waking the same feed."""

    engine: Engine
    clock: Clock = WALL_CLOCK
    on_commit: Callable[[], None] | None = None

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.engine, on_commit=self.on_commit, clock=self.clock)

    def reading(self) -> Session:
        """A plain read session: the snapshot takes no write lock (SQLite)."""
        return Session(self.engine)


def close_stale_offers(uows: Transactions, now: datetime) -> int:
    """Withdraw open offers whose order left the pool (assigned by hand, escalated, ...)."""
    if not any_stale_offers(uows.engine):
        return 0  # the usual case: no write transaction at all
    with uows() as uow:
        closed = sum(close_offer(uow.session, o.id, WITHDRAWN, now)
                     for o in stale_offers(uow.session))
        uow.commit()
    return closed


def handle_run_round(cmd: RunRound, uows: Transactions) -> RoundReport:
    """Read, plan and apply one round; returns what it did (nothing, when another process's
    dispatcher holds the round)."""
    with only_dispatcher(uows.engine) as mine:
        if not mine:
            return RoundReport()
        started = time.perf_counter()
        now = uows.clock.now()
        with uows.reading() as session:
            loaded = load(session, now)
        result = plan(loaded.snapshot)
        report = RoundReport(orders=len(loaded.snapshot.orders), waiting=result.waiting)
        if result.decisions:
            apply_plan(uows, loaded, result.decisions, now, report)
        report.offers_closed += close_stale_offers(uows, now)
        report.seconds = time.perf_counter() - started
        return report


def run_round(engine: Engine, clock: Clock = WALL_CLOCK,
              on_commit: Callable[[], None] | None = None) -> RoundReport:
    """One round at `clock`'s time against `engine`; `on_commit` runs after each commit that
    wrote events (the server wakes its change feed with it)."""
    return handle_run_round(RunRound(), Transactions(engine, clock, on_commit))
