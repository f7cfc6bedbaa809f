"""`lastmile simulate`: build the world, run the days, print one JSON line."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from core.clock import SimulatedClock
from core.demo.clock import SHANGHAI
from core.simulation.backend import Backend
from core.simulation.day import Day, Plan
from core.simulation.report import summarise
from core.simulation.world import open_world

log = logging.getLogger(__name__)
# A Monday, midnight China time: every run of a seed starts at the same instant.
START = datetime(2026, 3, 2, tzinfo=SHANGHAI)
WALL_FIELDS = ("wall_seconds", "orders_per_second")


def simulate(plan: Plan, *, database_url: str | None = None,
             policy: Mapping[str, Any] | None = None, start: datetime = START) -> dict[str, Any]:
    """Run `plan` on a fresh database (a temporary SQLite file unless `database_url`); the
    summary. Same plan, same summary, except WALL_FIELDS."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lastmile-sim-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'simulation.db'}"
        clock = SimulatedClock(start)
        engine = open_world(url, plan.seed, start, policy)
        try:
            day = Day(Backend(engine, clock), plan, start)
            asyncio.run(_run(day))
            summary = summarise(engine)
        finally:
            engine.dispose()
    wall = time.perf_counter() - started
    return {
        "seed": plan.seed,
        "simulated_days": plan.days,
        "orders_per_day": plan.orders_per_day,
        "dispatch_seconds": plan.dispatch_seconds,
        "database": url.split(":", 1)[0].split("+", 1)[0],
        "policy": dict(policy) if policy is not None else None,
        "arrivals": dict(sorted(day.arrivals.items())),
        **summary,
        "actions": dict(sorted(day.tally.actions.items())),
        "conflicts": day.tally.conflicts,
        "rejected": day.tally.rejected,
        "claims_lost": day.tally.claims_lost,
        "dispatch_rounds": day.rounds,
        "wall_seconds": round(wall, 2),
        "orders_per_second": round(summary["orders"] / wall, 1) if wall else None,
    }


async def _run(day: Day) -> None:
    try:
        await day.run()
    finally:
        await day.backend.aclose()
