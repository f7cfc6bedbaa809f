"""How money, times and durations look on screen (Chinese desk conventions)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

# Orders are stored in UTC and always shown in Beijing time, wherever the desk sits.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def money(fen: int) -> str:
    """Integer fen as yuan with thousands separators: 129900 -> "¥1,299.00"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def local_time(at: datetime | None, *, seconds: bool = False) -> str:
    """A timezone-aware instant in Asia/Shanghai; naive values are taken as UTC."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    pattern = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return at.astimezone(SHANGHAI).strftime(pattern)


def duration(seconds: float) -> str:
    """A waiting time as a dispatcher says it: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    s = max(0, int(seconds))
    translate = QCoreApplication.translate
    if s < 60:
        return translate("Duration", "{0} s").format(s)
    minutes = s // 60
    if minutes < 60:
        return translate("Duration", "{0} min").format(minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes == 0:
            return translate("Duration", "{0} h").format(hours)
        return translate("Duration", "{0} h {1} min").format(hours, minutes)
    days, hours = divmod(hours, 24)
    return translate("Duration", "{0} d {1} h").format(days, hours)
