"""Signed webhooks must be fresh: TOP/JD `timestamp` and Suning `appRequestTime`, Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.intake.freshness import WINDOW, signed_at, staleness
from core.intake.model import SignedRequest

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 16:00 in Beijing


def request(query: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> SignedRequest:
    return SignedRequest(query or {}, headers or {}, b"{}")


def test_a_top_timestamp_is_read_as_beijing_time() -> None:
    assert signed_at(request({"timestamp": "2026-11-25 16:00:00"})) == NOW


def test_a_suning_header_and_epoch_milliseconds_are_read_too() -> None:
    assert signed_at(request(headers={"apprequesttime": "2026-11-25 16:00:00"})) == NOW
    millis = str(int(NOW.timestamp() * 1000))
    assert signed_at(request({"timestamp": millis})) == NOW


@pytest.mark.parametrize(("shift", "fresh"), [
    (timedelta(0), True), (WINDOW, True), (-WINDOW, True),
    (WINDOW + timedelta(seconds=1), False), (-WINDOW - timedelta(seconds=1), False),
])
def test_only_requests_signed_within_the_window_are_fresh(shift: timedelta, fresh: bool) -> None:
    at = (NOW + shift).astimezone(UTC) + timedelta(hours=8)
    signed = request({"timestamp": at.strftime("%Y-%m-%d %H:%M:%S")})

    assert (staleness(signed, NOW) is None) is fresh


def test_no_signed_time_is_not_judged_and_an_unreadable_one_is_refused() -> None:
    assert staleness(request(), NOW) is None  # ERP / own shop: the body alone is signed
    reason = staleness(request({"timestamp": "yesterday"}), NOW)
    assert reason is not None and "unreadable signed time" in reason
