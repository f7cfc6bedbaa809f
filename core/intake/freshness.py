"""A signed webhook must be fresh: a captured request sent again later is refused.

TOP and JD sign a `timestamp` query parameter, Suning an `appRequestTime` header, all in Beijing
time; TOP documents a 10-minute tolerance. Platforms whose signature covers only the body (the
ERP and our own shop) carry no signed time; re-sent bodies there are caught as duplicates.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.intake.adapters._fields import SHANGHAI
from core.intake.model import SignedRequest

WINDOW = timedelta(minutes=10)
FORMAT = "%Y-%m-%d %H:%M:%S"


def signed_at(request: SignedRequest) -> datetime | str | None:
    """When the request was signed; None when it carries no signed time; a reason if unreadable."""
    raw = request.query.get("timestamp") or request.headers.get("apprequesttime")
    if raw is None:
        return None
    text = raw.strip()
    try:
        if text.isdigit():  # epoch milliseconds, as some gateways send
            return datetime.fromtimestamp(int(text) / 1000, SHANGHAI)
        return datetime.strptime(text, FORMAT).replace(tzinfo=SHANGHAI)
    except (ValueError, OverflowError, OSError):
        return f"签名时间无法识别 (unreadable signed time '{text[:40]}')"


def staleness(request: SignedRequest, now: datetime, window: timedelta = WINDOW) -> str | None:
    """Why the request is not fresh enough to take, or None when it is (or carries no time)."""
    at = signed_at(request)
    if at is None:
        return None
    if isinstance(at, str):
        return at
    if abs(now - at) > window:
        minutes = int(window.total_seconds() // 60)
        return (f"签名时间超出 {minutes} 分钟有效期，疑似重放或时钟偏差 (signed at "
                f"{at.isoformat()}, outside the {minutes}-minute window)")
    return None
