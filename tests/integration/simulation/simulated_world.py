"""The simulated world the simulation's tests share (conftest.py's `simulated`): two days on
SQLite through the real backend, half the technicians cheating, a one-day review period; its
database, day and summary kept."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.services.fieldwork.review_policy import handle_change_review_policy
from core.simulation.day import Day, Plan
from core.simulation.run import START, run_days
from core.simulation.world import open_world
from core.storage.uow import UnitOfWork

# Two days: orders served on the first day end their one-day review period on the second.
WORLD_PLAN = Plan(days=2, orders_per_day=20, seed=3, fraud_share=0.5)


@dataclass(frozen=True)
class Simulated:
    day: Day
    engine: Engine
    summary: dict[str, Any]
    slept: list[float]  # every sleep asked for during the run (asyncio's or time's)


def simulate_world(folder: Path) -> Simulated:
    """The shared run: a one-day review period with 60 % of the orders called (not each new
    technician's first orders, nor every flagged one), so the rest wait out their period;
    every sleep recorded instead of slept."""
    engine = open_world(f"sqlite:///{folder / 'days.db'}", WORLD_PLAN.seed, START)
    handle_change_review_policy("default", {"review_days": 1, "sample_percent": 60,
                                            "first_orders": 0, "sample_flagged": False}, 0,
                                "短观察期测试", "admin",
                                UnitOfWork(engine, clock=SimulatedClock(START)))
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def no_async_sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        if delay > 0:
            slept.append(delay)
        return await real_sleep(0, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(asyncio, "sleep", no_async_sleep)
        patch.setattr(time, "sleep", slept.append)
        day, summary = run_days(WORLD_PLAN, engine, start=START)
    return Simulated(day, engine, summary, slept)
