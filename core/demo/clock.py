"""Demo time: the business runs on China time, visits are booked in two-hour windows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone, tzinfo

APPOINTMENT_HOURS = (9, 10, 11, 13, 14, 15, 16, 18)  # lunch break at 12
APPOINTMENT_LENGTH = timedelta(hours=2)
# People (agents, technicians, finance) work from 08:00 to 21:00; the intake centre never sleeps.
WORKDAY_START, WORKDAY_END = 8, 21
# Customers order from 08:00 to 22:00; at night only this share of the daytime rate arrives.
SHOPPING_START, SHOPPING_END, NIGHT_SHARE = 8, 22, 0.15


def _shanghai() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database installed: China has had no DST since 1991
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI = _shanghai()


def awake(at: datetime, rng_minutes: float) -> datetime:
    """`at`, or when it falls at night, the next morning plus `rng_minutes` (people sleep)."""
    local = at.astimezone(SHANGHAI)
    if WORKDAY_START <= local.hour < WORKDAY_END:
        return at
    morning = local.replace(hour=WORKDAY_START, minute=0, second=0, microsecond=0)
    if local.hour >= WORKDAY_END:
        morning += timedelta(days=1)
    return (morning + timedelta(minutes=rng_minutes)).astimezone(at.tzinfo)


def slots_after(after: datetime, days: int = 4) -> list[datetime]:
    """Starts of the appointment windows from `after` on, over the next few days (UTC-aware)."""
    local = after.astimezone(SHANGHAI)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = []
    for day in range(days + 1):
        for hour in APPOINTMENT_HOURS:
            start = (midnight + timedelta(days=day)).replace(hour=hour)
            if start >= local:
                starts.append(start)
    return starts


def orders_come(at: datetime, rng: random.Random) -> bool:
    """Whether an arrival drawn at `at` is kept: all by day, NIGHT_SHARE of them at night
    (the demo's backlog and the headless simulation's day share this pattern)."""
    hour = at.astimezone(SHANGHAI).hour
    return SHOPPING_START <= hour < SHOPPING_END or rng.random() < NIGHT_SHARE
