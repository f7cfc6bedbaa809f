"""A fresh world for a simulated day: a migrated database with the demo's staff and setup.

No backlog: the day starts with no orders, so everything the summary counts happened in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from core.clock import SimulatedClock
from core.demo.dataset import build
from core.demo.policies import DEFAULT_SCOPE
from core.demo.seed import seed_demo
from core.dispatch.policy import PolicyError, parse_body
from core.services.sla.calendar import seed_shipped_years
from core.storage.db import make_engine, migrate


class WorldError(Exception):
    """The world cannot be built as asked (a database that is not empty, a bad policy)."""


def read_policy(path: Path) -> dict[str, Any]:
    """A dispatch policy body from a JSON file, checked as the API would check it."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorldError(f"cannot read the policy file {path}: {exc}") from exc
    if not isinstance(body, dict):
        raise WorldError(f"the policy file {path} must hold one JSON object")
    try:
        parse_body(body)
    except PolicyError as exc:
        raise WorldError(f"the policy in {path} is not valid: {exc}") from exc
    return body


def open_world(url: str, seed: int, start: datetime,
               policy: Mapping[str, Any] | None = None, *, scratch: bool = False) -> Engine:
    """Migrate the database at `url`, load the shipped calendar years (as `lastmile serve`
    does: business-time limits count over them) and seed the demo staff and setup (no
    orders); `policy` replaces the default scope's dispatch policy (the regions' own rules
    stay), so two runs of one seed compare policies on the same day of orders. `scratch`: a
    temporary database nobody keeps."""
    engine = make_engine(url)
    if scratch and engine.dialect.name == "sqlite":
        # A throwaway file: no fsync on every commit (the simulated day is the product, and
        # the disk of a shared machine would set its pace).
        event.listen(engine, "connect", _no_sync)
    migrate(engine)
    seed_shipped_years(engine, SimulatedClock(start))
    world = build(seed, orders=0, history=False)
    if policy is not None:
        world = replace(world, policies={**world.policies, DEFAULT_SCOPE: dict(policy)})
    if not seed_demo(engine, world, now=start):
        engine.dispose()
        raise WorldError("the database is not empty: a simulation needs a fresh one")
    return engine


def _no_sync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()
