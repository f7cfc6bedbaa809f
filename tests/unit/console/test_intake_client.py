"""LastmileClient's intake calls against httpx.MockTransport: paths, queries, bodies, answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from console.client import LastmileClient
from console.errors import ApiError
from core.contracts.intake import ReviewDecision

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


class Recorder:
    """Answers each request with the body queued for its path; remembers the requests."""

    def __init__(self, answers: dict[str, Any], status: int = 200) -> None:
        self.answers = answers
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = self.answers.get(request.url.path, {"title": "Not found", "status": 404})
        status = self.status if request.url.path in self.answers else 404
        return httpx.Response(status, json=body)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def client_for(recorder: Recorder) -> LastmileClient:
    client = LastmileClient("http://lastmile.test", transport=httpx.MockTransport(recorder))
    client.token = "tok"
    return client


def message(message_id: int = 7, status: str = "dead") -> dict[str, Any]:
    return {"id": message_id, "platform": "taobao", "channel": "webhook",
            "platform_order_id": "T-7", "received_at": T0.isoformat(), "status": status,
            "field": "receiver_address", "reason": "地址为空", "content_type": "application/json",
            "payload": "{}", "order_ids": [], "retried_as": None, "resolved_by": "",
            "resolved_at": None, "resolution": ""}


RECEIPT = {"platform": "erp", "received": 1, "outcomes": [
    {"index": 0, "platform_order_id": "E-1", "outcome": "created", "order_ids": [5]}]}
PREVIEW = {"platform": "erp", "filename": "a.csv", "ok_count": 0, "problem_count": 1,
           "rows": [{"index": 0, "platform_order_id": "E-1", "ok": False,
                     "field": "receiver_phone", "problem": "缺少电话"}]}


async def test_import_sends_the_raw_file_with_its_type_and_name() -> None:
    recorder = Recorder({"/v1/intake/erp/import": PREVIEW})
    client = client_for(recorder)
    body = "单号,电话\nE-1,\n".encode("gb18030")

    preview = await client.preview_import("erp", body, "text/csv", "十一月.csv")

    sent = recorder.last
    assert sent.method == "POST"
    assert sent.content == body
    assert sent.headers["content-type"] == "text/csv"
    assert sent.headers["authorization"] == "Bearer tok"
    assert dict(sent.url.params) == {"filename": "十一月.csv", "dry_run": "true"}
    assert preview.rows[0].field == "receiver_phone"

    recorder.answers["/v1/intake/erp/import"] = RECEIPT
    receipt = await client.import_file("erp", body, "text/csv", "十一月.csv")
    assert recorder.last.url.params["dry_run"] == "false"
    assert receipt.outcomes[0].order_ids == [5]


async def test_problem_list_queries_and_message_actions() -> None:
    recorder = Recorder({
        "/v1/intake/messages": {"rows": [message()], "next_cursor": "7"},
        "/v1/intake/messages/7": message(),
        "/v1/intake/messages/7/retry": RECEIPT,
        "/v1/intake/messages/7/discard": message(status="discarded"),
    })
    client = client_for(recorder)

    page = await client.intake_messages(status="dead", limit=50)
    assert dict(recorder.last.url.params) == {"status": "dead", "limit": "50"}
    assert page.next_cursor == "7" and page.rows[0].reason == "地址为空"
    assert (await client.intake_message(7)).id == 7

    await client.retry_message(7, '{"fixed": true}')
    assert json.loads(recorder.last.content) == {"payload": '{"fixed": true}'}
    await client.retry_message(7)
    assert json.loads(recorder.last.content) == {"payload": None}

    discarded = await client.discard_message(7, "测试推送")
    assert json.loads(recorder.last.content) == {"reason": "测试推送"}
    assert discarded.status == "discarded"


async def test_review_queue_and_decisions() -> None:
    row = {"id": 3, "order_no": "LM3", "platform": "tmall", "customer_name": "张三",
           "county_adcode": None, "county_name": "", "city": "", "service_type": None,
           "state": "new", "technician_id": None, "technician_name": "", "lng": None,
           "lat": None, "version": 2, "created_at": T0.isoformat(),
           "state_changed_at": T0.isoformat()}
    detail = {**row, "state": "cancelled", "version": 3, "platform_order_id": "TB3",
              "customer_phone": "13800138000", "address": "x", "province": "", "skills": [],
              "items": [], "amount_fen": 1, "dispatch_mode": None, "appointment_start": None,
              "appointment_end": None, "parent_id": None, "frozen_from": None,
              "allowed_actions": [], "timeline": []}
    recorder = Recorder({
        "/v1/intake/reviews": {"total": 1, "rows": [{
            "order": row, "customer_phone": "13800138000", "address": "x", "amount_fen": 1,
            "score": 45, "flags": [{"code": "token_price", "reason": "低价", "score": 45}],
            "platform_order_id": "TB3"}]},
        "/v1/intake/reviews/3": detail,
    })
    client = client_for(recorder)

    page = await client.reviews()
    assert page.rows[0].flags[0].reason == "低价"
    result = await client.decide_review(3, ReviewDecision(approve=False, version=2,
                                                          reason="刷单"))
    assert json.loads(recorder.last.content) == {"approve": False, "version": 2,
                                                 "reason": "刷单"}
    assert result.state == "cancelled"


async def test_arrivals_gaps_and_platforms() -> None:
    recorder = Recorder({
        "/v1/intake/arrivals": {"since": T0.isoformat(), "platforms": []},
        "/v1/intake/coverage-gaps": [{"county_adcode": "652201", "county_name": "哈密市",
                                      "city": "哈密", "orders": 3,
                                      "last_at": T0.isoformat()}],
        "/v1/intake/platforms": [{"name": "jd", "label": "京东",
                                  "content_types": ["application/json"]}],
    })
    client = client_for(recorder)

    await client.arrivals()
    assert "since" not in recorder.last.url.params  # the server's default: today, Beijing
    await client.arrivals(T0)
    assert recorder.last.url.params["since"] == "2026-11-25T08:00:00+00:00"
    assert (await client.coverage_gaps())[0].orders == 3
    assert [p.label for p in await client.intake_platforms()] == ["京东"]


async def test_an_order_without_origin_is_none_and_other_errors_raise() -> None:
    client = client_for(Recorder({}))
    assert await client.order_origin(5) is None
    failing = client_for(Recorder({"/v1/orders/5/origin": {"title": "Not allowed",
                                                          "status": 403}}, status=403))
    with pytest.raises(ApiError) as caught:
        await failing.order_origin(5)
    assert caught.value.status == 403
