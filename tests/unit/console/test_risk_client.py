"""The risk calls of LastmileClient against httpx.MockTransport: paths, the window, the body of
the manual-review switch, a stale switch as a 409 ApiError."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from console.client import LastmileClient
from console.errors import ApiError
from core.contracts.fieldwork.risk import ReviewCompletionsUpdate

NOW = datetime(2026, 3, 22, 8, 0, tzinfo=UTC).isoformat()


async def test_the_risk_calls_send_what_the_server_expects() -> None:
    seen: list[tuple[str, str, str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, request.url.query.decode(), body))
        if request.url.path == "/v1/technicians/risk":
            return httpx.Response(200, json={"days": 7, "since": NOW, "until": NOW,
                                             "technicians": []})
        if request.url.path == "/v1/technicians/4/risk":
            risk = {"technician_id": 4, "name": "王建", "service_point": "", "county_name": "",
                    "active": True, "score": 60.0, "band": "high", "points": 12, "orders": 3,
                    "flagged_orders": 3, "reasons": [], "review_completions": False,
                    "review_version": 0}
            return httpx.Response(200, json={"days": 30, "since": NOW, "until": NOW,
                                             "risk": risk, "orders": []})
        if body and body["version"] == 5:
            return httpx.Response(409, json={"status": 409, "title": "Conflict",
                                             "detail": "changed", "current_version": 6},
                                  headers={"content-type": "application/problem+json"})
        return httpx.Response(200, json={"technician_id": 4, "review_completions": True,
                                         "version": 1, "updated_by": "supervisor",
                                         "updated_at": NOW})

    client = LastmileClient("http://lastmile.test", transport=httpx.MockTransport(handler))
    listing = await client.technician_risk(7)
    detail = await client.technician_risk_detail(4)
    saved = await client.set_review_completions(
        4, ReviewCompletionsUpdate(review=True, version=0, reason="三单远距离签到"))
    with pytest.raises(ApiError) as stale:
        await client.set_review_completions(
            4, ReviewCompletionsUpdate(review=False, version=5, reason="核实"))
    await client.aclose()

    assert listing.days == 7 and detail.risk.score == 60.0 and saved.version == 1
    assert stale.value.status == 409 and stale.value.current_version == 6
    assert seen[:3] == [
        ("GET", "/v1/technicians/risk", "days=7", None),
        ("GET", "/v1/technicians/4/risk", "days=30", None),
        ("PUT", "/v1/technicians/4/review-completions", "",
         {"review": True, "version": 0, "reason": "三单远距离签到"})]
