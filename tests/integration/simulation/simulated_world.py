"""The simulated world the simulation's tests share (conftest.py's `simulated`): two days on
SQLite through the real backend, half the technicians cheating, a one-day review period; its
database, the stand-ins' truth and tally and the summary kept.

One run of the suite simulates it once, whichever worker asks first (`shared_world`): a worker
asking later reads its database (the tests only read) and its pickled record; one asking while
it is being simulated simulates its own rather than wait idle."""

from __future__ import annotations

import asyncio
import fcntl
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.demo.acting import StepReport
from core.demo.field import Truth
from core.services.fieldwork.review_policy import handle_change_review_policy
from core.simulation.day import Plan
from core.simulation.run import START, run_days
from core.simulation.world import open_world
from core.storage.db import make_engine
from core.storage.uow import UnitOfWork

# Two days: orders served on the first day end their one-day review period on the second.
WORLD_PLAN = Plan(days=2, orders_per_day=20, seed=3, fraud_share=0.5)


@dataclass(frozen=True)
class Record:
    """What the run leaves besides its database: picklable, for the other workers."""

    truth: Truth  # which orders the stand-ins faked a step of, and which they served honestly
    tally: StepReport  # the actions they took, by name
    summary: dict[str, Any]
    slept: list[float]  # every sleep asked for during the run (asyncio's or time's)
    photo_bytes: int  # what the technicians' photos weighed
    photo_root: str  # where they were made (removed at the end)


@dataclass(frozen=True)
class Simulated(Record):
    engine: Engine


DATABASE = "days.db"
RECORD = "record.pickle"


def shared_world(folder: Path, own: Path) -> Simulated:
    """The world simulated in `folder` (shared by the run's workers) if one is there, else
    simulated there now; while another worker is simulating it, this one simulates its own in
    `own` instead of waiting idle (the same world: the plan and its seed are fixed)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the file closes
        except BlockingIOError:
            return simulate_world(own)
        if (folder / RECORD).exists():
            record: Record = pickle.loads((folder / RECORD).read_bytes())
            return Simulated(**vars(record), engine=make_engine(f"sqlite:///{folder / DATABASE}"))
        world = simulate_world(folder)
        record = Record(world.truth, world.tally, world.summary, world.slept, world.photo_bytes,
                        world.photo_root)
        (folder / RECORD).write_bytes(pickle.dumps(record))
        return world


def simulate_world(folder: Path) -> Simulated:
    """The shared run: a one-day review period with 60 % of the orders called (not each new
    technician's first orders, nor every flagged one), so the rest wait out their period;
    every sleep recorded instead of slept."""
    engine = open_world(f"sqlite:///{folder / DATABASE}", WORLD_PLAN.seed, START)
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
    return Simulated(day.phones.truth, day.tally, summary, slept, day.photo_bytes,
                     str(day.photo_root), engine)
