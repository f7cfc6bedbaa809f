"""The demo plugged into `lastmile serve --demo [--simulate]` through the composition root.

core.server.launch knows nothing of the demo: the CLI hands it `demo_setup` (seed an empty
database, or add what an older demo database lacks) and `simulator(...)` (a companion task
that keeps demo orders arriving and the stand-ins working, on the backend's own clock).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from core.clock import Clock
from core.demo.dataset import build
from core.demo.seed import add_missing_intake, seed_demo
from core.demo.simulator import run_simulator
from core.server.intake.poller import ERP_INBOX_ENV
from core.storage.db import data_dir

log = logging.getLogger(__name__)
POLL_ENV = "LASTMILE_POLL_SECONDS"
# The demo polls its ERP inbox often, so dropped exports show up while one watches.
DEMO_POLL_SECONDS = 5

Companion = Callable[[FastAPI, str, asyncio.Event], Coroutine[Any, Any, None]]


def demo_setup(engine: Engine, clock: Clock) -> None:
    """Seed an empty database with the demo world, or add what an older demo database lacks."""
    dataset = build()
    if seed_demo(engine, dataset, now=clock.now()):
        log.info("seeded the demo database")
    elif add_missing_intake(engine, dataset, now=clock.now()):
        log.info("added the conversion centre's demo setup to an older demo database")


def demo_inbox() -> Path:
    """The ERP inbox the simulator drops exports into and the poller reads (set before the
    poller starts: LASTMILE_ERP_INBOX, default <data dir>/erp-inbox)."""
    if not os.environ.get(ERP_INBOX_ENV):
        os.environ[ERP_INBOX_ENV] = str(data_dir() / "erp-inbox")
    os.environ.setdefault(POLL_ENV, str(DEMO_POLL_SECONDS))
    inbox = Path(os.environ[ERP_INBOX_ENV])
    inbox.mkdir(parents=True, exist_ok=True)
    return inbox


def simulator(inbox: Path, speed: float | None = None) -> Companion:
    """The demo simulator as a companion of the server: HTTP against `base_url`, time from
    the app's clock; `speed` (demo --speed) divides its pauses, else LASTMILE_DEMO_SPEED does.
    The technicians call customers through the app's own virtual-number provider (create_app
    makes it: the simulated one unless a real one is given), whose signed pushes of call
    records reach the backend as a provider's would."""

    async def run(app: FastAPI, base_url: str, stop: asyncio.Event) -> None:
        options = {"speed": speed} if speed is not None else {}
        await run_simulator(base_url, stop, erp_inbox=inbox, clock=app.state.clock,
                            axb=getattr(app.state, "axb", None),
                            sms=getattr(app.state, "sms", None), **options)

    return run
