"""Signed webhooks must be fresh: the signed time each adapter reads, judged in one window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.intake.adapters import get_adapter
from core.intake.freshness import WINDOW, beijing_time, staleness, unix_seconds
from core.intake.model import SignedRequest

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 16:00 in Beijing


def request(query: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> SignedRequest:
    return SignedRequest(query or {}, headers or {}, b"{}")


def test_a_platform_time_is_read_as_beijing_time() -> None:
    assert beijing_time("2026-11-25 16:00:00") == NOW
    assert beijing_time("2026-11-25 16:00:00.000+0800") == NOW  # JD's router example
    assert beijing_time(str(int(NOW.timestamp() * 1000))) == NOW  # epoch milliseconds


def test_our_own_time_is_unix_seconds() -> None:
    assert unix_seconds(str(int(NOW.timestamp()))) == NOW
    assert unix_seconds("") is None and unix_seconds(None) is None


@pytest.mark.parametrize("text", ["yesterday", "2026-13-40 99:00:00", "9" * 30])
def test_an_unreadable_time_is_a_reason(text: str) -> None:
    for read in (beijing_time, unix_seconds):
        reason = read(text)
        assert isinstance(reason, str) and "unreadable signed time" in reason


@pytest.mark.parametrize(("shift", "fresh"), [
    (timedelta(0), True), (WINDOW, True), (-WINDOW, True),
    (WINDOW + timedelta(seconds=1), False), (-WINDOW - timedelta(seconds=1), False),
])
def test_only_requests_signed_within_the_window_are_fresh(shift: timedelta, fresh: bool) -> None:
    assert (staleness(NOW + shift, NOW) is None) is fresh


def test_no_signed_time_is_not_fresh() -> None:
    reason = staleness(None, NOW)

    assert reason is not None and "no signed time" in reason
    assert staleness("签名时间无法识别 (unreadable signed time 'x')", NOW) is not None


@pytest.mark.parametrize(("platform", "signed", "unsigned"), [
    ("tmall", request({"timestamp": "2026-11-25 16:00:00"}), None),
    ("taobao", request({"timestamp": "2026-11-25 16:00:00"}), None),
    ("jd", request({"timestamp": "2026-11-25 16:00:00"}), None),
    # Suning signs the AppRequestTime header; a query timestamp is signed by nobody.
    ("suning", request(headers={"apprequesttime": "2026-11-25 16:00:00"}),
     request({"timestamp": "2026-11-25 16:00:00"})),
    ("erp", request(headers={"x-lastmile-timestamp": str(int(NOW.timestamp()))}),
     request({"timestamp": "2026-11-25 16:00:00"}, {"x-lastmile-sent-at": "1"})),
    ("own", request(headers={"x-lastmile-timestamp": str(int(NOW.timestamp()))}),
     request({"timestamp": "2026-11-25 16:00:00"})),
])
def test_each_adapter_reads_its_signed_time_and_no_other(
    platform: str, signed: SignedRequest, unsigned: SignedRequest | None
) -> None:
    adapter = get_adapter(platform)

    assert adapter.signed_time(signed) == NOW
    if unsigned is not None:
        assert adapter.signed_time(unsigned) is None
