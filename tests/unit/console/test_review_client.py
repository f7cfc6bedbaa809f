"""The verification review's calls of LastmileClient against httpx.MockTransport: paths, the
decision's body, a thumbnail's bytes with the bearer token, refusals as ApiError and a server
away as Offline."""

from __future__ import annotations

import json

import httpx
import pytest

from console.client import LastmileClient
from console.errors import ApiError, Offline
from core.contracts.fieldwork.review import VerificationDecision

JPEG = b"\xff\xd8\xff\xe0 not really a picture"
PROBLEM = {"content-type": "application/problem+json"}


async def test_the_review_calls_send_what_the_server_expects() -> None:
    seen: list[tuple[str, str, str, object, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, request.url.query.decode(), body,
                     request.headers.get("authorization", "")))
        path = request.url.path
        if path == "/v1/verification-reviews":
            return httpx.Response(200, json={"served": 0, "rows": []})
        if path == "/v1/photos/5/thumbnail":
            return httpx.Response(200, content=JPEG, headers={"content-type": "image/jpeg"})
        if path == "/v1/photos/6/thumbnail":
            return httpx.Response(404, json={"status": 404, "title": "Not Found",
                                             "detail": "照片 6 的文件缺失"}, headers=PROBLEM)
        if path == "/v1/photos/7/thumbnail":
            return httpx.Response(503, text="down")
        if body and body["version"] == 5:
            return httpx.Response(409, json={"status": 409, "title": "Conflict",
                                             "detail": "changed", "current_version": 6},
                                  headers=PROBLEM)
        return httpx.Response(200, json={"order_id": 3, "order_no": "LM3", "approved": False,
                                         "state": "frozen", "version": 8, "reason": "x"})

    client = LastmileClient("http://lastmile.test", transport=httpx.MockTransport(handler))
    client.token = "t0ken"
    queue = await client.verification_reviews(50)
    thumbnail = await client.photo_thumbnail(5)
    decided = await client.decide_verification(
        3, VerificationDecision(approve=False, version=7, reason="伪造签到"))
    with pytest.raises(ApiError) as stale:
        await client.decide_verification(
            3, VerificationDecision(approve=True, version=5, reason="核实"))
    with pytest.raises(ApiError) as missing:
        await client.photo_thumbnail(6)
    with pytest.raises(Offline):
        await client.photo_thumbnail(7)
    await client.aclose()

    assert (queue.served, thumbnail, decided.state) == (0, JPEG, "frozen")
    assert stale.value.status == 409 and stale.value.current_version == 6
    assert missing.value.status == 404 and "缺失" in missing.value.detail
    assert seen[:3] == [
        ("GET", "/v1/verification-reviews", "limit=50", None, "Bearer t0ken"),
        ("GET", "/v1/photos/5/thumbnail", "", None, "Bearer t0ken"),
        ("POST", "/v1/orders/3/verification-review", "",
         {"approve": False, "version": 7, "reason": "伪造签到"}, "Bearer t0ken")]
