"""The webhook signature of the senders we define the format for: the brand ERP and our own shop.

    X-Lastmile-Timestamp: 1772438400    the Unix time (seconds, UTC) when the request was signed
    X-Lastmile-Signature: <hex>         HMAC-SHA256(key=secret, timestamp + "." + raw body),
                                        lower-case hex; a "sha256=" prefix is accepted

The timestamp is signed with the body, so a captured request cannot be sent again outside the
10-minute window (core.intake.freshness) by changing it; a request without it is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from core.intake.freshness import SignedTime, unix_seconds
from core.intake.model import SignedRequest

SIGNATURE_HEADER = "x-lastmile-signature"
TIMESTAMP_HEADER = "x-lastmile-timestamp"
SIGNED_HEADERS = (SIGNATURE_HEADER, TIMESTAMP_HEADER)


def signature(body: bytes, secret: str, timestamp: str) -> str:
    """HMAC-SHA256 of `timestamp.body` under the secret, lower-case hex."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def stamp(now: datetime) -> str:
    """The timestamp header's value for a request signed at `now`."""
    return str(int(now.timestamp()))


def signed_headers(body: bytes, secret: str, now: datetime) -> dict[str, str]:
    """The two headers a sender adds to a request it signs at `now`."""
    timestamp = stamp(now)
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(body, secret, timestamp)}


def verify(request: SignedRequest, secret: str) -> bool:
    """Whether the request carries a timestamp and this secret's signature over it and the body."""
    given = request.headers.get(SIGNATURE_HEADER, "").strip().lower().removeprefix("sha256=")
    timestamp = request.headers.get(TIMESTAMP_HEADER, "").strip()
    if not given or not secret or not timestamp.isascii() or not timestamp.isdigit():
        return False
    expected = signature(request.body, secret, timestamp)
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def signed_time(request: SignedRequest) -> SignedTime:
    return unix_seconds(request.headers.get(TIMESTAMP_HEADER))
