"""A signed webhook must be fresh: a captured request sent again later is refused.

Each adapter says where its platform puts the signed time (`Adapter.signed_time`) and reads it
only from a field the signature covers: TOP and JD sign a `timestamp` query parameter, Suning
an `AppRequestTime` header, all in Beijing time; the ERP and our own shop sign an
`X-Lastmile-Timestamp` header (Unix seconds) together with the body. TOP documents a 10-minute
tolerance; every platform gets that window. A request without a signed time is not fresh.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.intake.adapters._fields import SHANGHAI

WINDOW = timedelta(minutes=10)
# TOP and Suning: 'yyyy-MM-dd HH:mm:ss'; JD's router example adds milliseconds and an offset.
BEIJING_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f%z")
# When the request was signed; None when it carries no signed time; a reason when unreadable.
SignedTime = datetime | str | None


def _unreadable(text: str) -> str:
    return f"签名时间无法识别 (unreadable signed time '{text[:40]}')"


def beijing_time(raw: str | None) -> SignedTime:
    """A platform's signed time: Beijing wall time, or epoch milliseconds as some gateways send."""
    text = (raw or "").strip()
    if not text:
        return None
    if text.isdigit():
        try:
            return datetime.fromtimestamp(int(text) / 1000, SHANGHAI)
        except (ValueError, OverflowError, OSError):
            return _unreadable(text)
    for form in BEIJING_FORMATS:
        try:
            moment = datetime.strptime(text, form)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)
    return _unreadable(text)


def unix_seconds(raw: str | None) -> SignedTime:
    """Our own signed time (ERP and own shop): whole seconds since 1970-01-01 UTC."""
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        return _unreadable(text)
    try:
        return datetime.fromtimestamp(int(text), UTC)
    except (ValueError, OverflowError, OSError):
        return _unreadable(text)


def staleness(at: SignedTime, now: datetime, window: timedelta = WINDOW) -> str | None:
    """Why a request signed at `at` is not fresh enough to take, or None when it is."""
    if at is None:
        return "缺少签名时间 (the request carries no signed time)"
    if isinstance(at, str):
        return at
    if abs(now - at) > window:
        minutes = int(window.total_seconds() // 60)
        return (f"签名时间超出 {minutes} 分钟有效期，疑似重放或时钟偏差 (signed at "
                f"{at.isoformat()}, outside the {minutes}-minute window)")
    return None
