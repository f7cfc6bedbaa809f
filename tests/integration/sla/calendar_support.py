"""What the calendar's integration tests share: the clock's time and next year's notice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def next_year() -> dict[str, Any]:
    """A 2027 notice in the shipped format (its New Year holiday only)."""
    return {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
            "issued": "2026-11-05",
            "days": [{"date": f"2027-01-0{n}", "kind": "holiday", "name": "元旦"}
                     for n in (1, 2, 3)]}
