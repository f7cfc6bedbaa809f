"""`lastmile simulate`: build the world, run the days, print one JSON line."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.demo.clock import SHANGHAI
from core.simulation.backend import Backend
from core.simulation.day import Day, Plan
from core.simulation.report import followup_summary, fraud_summary, summarise
from core.simulation.sla_report import alert_summary, on_time_summary
from core.simulation.urges import urge_counts
from core.simulation.world import WorldError, open_world, read_policy

log = logging.getLogger(__name__)
# A Monday, midnight China time: every run of a seed starts at the same instant.
START = datetime(2026, 3, 2, tzinfo=SHANGHAI)
WALL_FIELDS = ("wall_seconds", "day_seconds", "orders_per_second", "seconds_by_event")


def simulate(plan: Plan, *, database_url: str | None = None,
             policy: Mapping[str, Any] | None = None, start: datetime = START) -> dict[str, Any]:
    """Run `plan` on a fresh database (a temporary SQLite file unless `database_url`); the
    summary. Same plan, same summary, except WALL_FIELDS."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lastmile-sim-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'simulation.db'}"
        engine = open_world(url, plan.seed, start, policy, scratch=database_url is None)
        try:
            _, summary = run_days(plan, engine, start=start, policy=policy,
                                  photo_root=Path(folder) / "photos", started=started)
        finally:
            engine.dispose()
    return summary


def run_days(plan: Plan, engine: Engine, *, start: datetime = START,
             policy: Mapping[str, Any] | None = None, photo_root: Path | None = None,
             started: float | None = None) -> tuple[Day, dict[str, Any]]:
    """Run `plan`'s days on a world `open_world` built at `start` (its database kept for the
    caller); the day and its summary. `started`: when the run began (perf_counter), for
    wall_seconds."""
    started = time.perf_counter() if started is None else started
    day = Day(Backend(engine, SimulatedClock(start)), plan, start, photo_root=photo_root)
    day_started = time.perf_counter()
    asyncio.run(day.run())
    day_seconds = time.perf_counter() - day_started
    summary = summarise(engine)
    summary["followups"] = followup_summary(engine)
    summary["sla"] = {"on_time": on_time_summary(engine, start, day.end),
                      "alerts": alert_summary(engine), "urges": urge_counts(engine)}
    if plan.fraud_share > 0:
        summary["fraud"] = fraud_summary(engine, day.phones.truth)
    wall = time.perf_counter() - started
    return day, {
        "seed": plan.seed,
        "simulated_days": plan.days,
        "orders_per_day": plan.orders_per_day,
        "dispatch_seconds": plan.dispatch_seconds,
        "database": engine.dialect.name,
        "policy": dict(policy) if policy is not None else None,
        "arrivals": dict(sorted(day.arrivals.items())),
        **summary,
        "actions": dict(sorted(day.tally.actions.items())),
        # What came of the bookings technicians set out to make (booked, unreached: a contact
        # attempt instead, waiting: no virtual number yet, no_window, not_taken).
        "bookings": dict(sorted(day.bookings.items())),
        # The completion photos uploaded and their files' bytes (originals and thumbnails,
        # in the run's temporary folder, removed with it).
        "photos": {"uploaded": day.tally.actions.get("photo", 0), "bytes": day.photo_bytes},
        "conflicts": day.tally.conflicts,
        "rejected": day.tally.rejected,
        "claims_lost": day.tally.claims_lost,
        "dispatch_rounds": day.dispatch.rounds,
        "wall_seconds": round(wall, 2),
        "day_seconds": round(day_seconds, 2),
        # Orders simulated per wall second of the days themselves (setting up the world aside).
        "orders_per_second": round(summary["orders"] / day_seconds, 2) if day_seconds else None,
        "seconds_by_event": {k: round(v, 2) for k, v in sorted(day.seconds_by_event.items())},
    }


def intake_only(plan: Plan, *, database_url: str | None = None,
                start: datetime = START) -> dict[str, Any]:
    """The same arrivals through intake alone (no people, no dispatch): the floor the
    simulation's throughput is measured against. Orders stored, wall seconds of the days."""
    with tempfile.TemporaryDirectory(prefix="lastmile-sim-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'intake.db'}"
        engine = open_world(url, plan.seed, start, scratch=database_url is None)
        try:
            day = Day(Backend(engine, SimulatedClock(start)), plan, start)
            day_started = time.perf_counter()
            asyncio.run(day.run(people=False))
            seconds = time.perf_counter() - day_started
            orders = summarise(engine)["orders"]
        finally:
            engine.dispose()
    return {"orders": orders, "day_seconds": round(seconds, 2),
            "orders_per_second": round(orders / seconds, 2) if seconds else None}


def main(*, days: int, orders_per_day: int, seed: int, database_url: str | None,
         policy_file: Path | None, dispatch_seconds: float, fraud_share: float = 0.0) -> int:
    """`lastmile simulate`: the summary as ONE JSON line on stdout; 2 for a bad policy file
    or a database that is not empty (said on stderr)."""
    try:
        policy = read_policy(policy_file) if policy_file is not None else None
        plan = Plan(days=days, orders_per_day=orders_per_day, seed=seed,
                    dispatch_seconds=dispatch_seconds, fraud_share=fraud_share)
        summary = simulate(plan, database_url=database_url, policy=policy)
    except WorldError as exc:
        print(f"lastmile simulate: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False, sort_keys=True), flush=True)
    return 0
