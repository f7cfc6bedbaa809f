"""The SLA part of the simulation's summary, read from what the backend recorded: the on-time
rate per step (the finished runs' outcomes), and the warnings and breaches on the orders'
timelines (the deadline scan's `sla_alert` events), by level and by step."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.services.sla.deadlines import LEVEL_WORDS
from core.sla.limit_types import Level, Step
from core.storage.sla.deadlines import SLA_EVENT
from core.storage.sla.outcomes import on_time_per_step
from core.storage.tables import OrderEventRecord

LEVELS = tuple(LEVEL_WORDS[level] for level in Level)  # notice, warning, breach


def alert_summary(engine: Engine) -> dict[str, Any]:
    """Each alert the scan recorded, counted once: by level (notice 预警, warning 警告, breach
    严重) and by step and level; every step and level is named, zeros included."""
    with Session(engine) as session:
        recorded = session.scalars(select(OrderEventRecord.data)
                                   .where(OrderEventRecord.kind == SLA_EVENT)).all()
    counts: Counter[tuple[str, str]] = Counter(
        (str(data["step"]), LEVEL_WORDS[Level(data["level"])]) for data in recorded if data)
    return {
        "by_level": {word: sum(n for (_, w), n in counts.items() if w == word)
                     for word in LEVELS},
        "by_step": {step.value: {word: counts[step.value, word] for word in LEVELS}
                    for step in Step},
    }


def on_time_summary(engine: Engine, since: datetime, until: datetime) -> dict[str, Any]:
    """Per step, the runs that finished in [since, until), those within their deadline and
    the rate (None: none finished)."""
    with Session(engine) as session:
        counts = on_time_per_step(session, since, until)
    out = {}
    for step in Step:
        finished, on_time = counts.get(step.value, (0, 0))
        out[step.value] = {"finished": finished, "on_time": on_time,
                           "rate": round(on_time / finished, 4) if finished else None}
    return out
