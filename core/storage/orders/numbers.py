"""Readable, unique order numbers: "LM" + yyyymmdd (Asia/Shanghai) + a daily sequence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.storage.tables import OrderNumberCounter

# Staff read the date on the number, so it is the local business day, not the UTC one.
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def next_order_numbers(session: Session, at: datetime, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers for the day of `at` in the caller's transaction."""
    day = at.astimezone(BUSINESS_TZ).strftime("%Y%m%d")
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(OrderNumberCounter).values(day=day, last=0).on_conflict_do_nothing()
    )
    # The UPDATE locks the counter row until commit, so concurrent creators queue here.
    last = session.scalar(
        update(OrderNumberCounter)
        .where(OrderNumberCounter.day == day)
        .values(last=OrderNumberCounter.last + count)
        .returning(OrderNumberCounter.last)
    )
    assert last is not None
    return [f"LM{day}{n:06d}" for n in range(last - count + 1, last + 1)]
