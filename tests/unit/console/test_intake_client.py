"""LastmileClient's intake calls against httpx.MockTransport: paths, queries, bodies, answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from console.client import LastmileClient
from console.errors import ApiError
from core.contracts.intake import BlacklistEntryIn, ClientPolicyUpdate, ReviewDecision

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


POLICY = {"code": "midea", "name": "美的", "shops": ["美的官方旗舰店"], "audit_mode": "auto_pass",
          "coverage_mode": "covered_only", "merge_window_minutes": 30, "review_threshold": 40,
          "version": 3, "updated_by": "张主管", "updated_at": T0.isoformat()}


def entry(entry_id: int = 4, active: bool = True) -> dict[str, Any]:
    return {"id": entry_id, "phone": "13900000000", "address": "", "reason": "刷单",
            "created_by": "张主管", "created_at": T0.isoformat(), "active": active,
            "removed_by": "", "removed_at": None, "removed_reason": ""}


async def test_client_policies_are_listed_and_changed_with_the_version_seen() -> None:
    recorder = Recorder({
        "/v1/intake/clients": [POLICY],
        "/v1/intake/clients/midea": {**POLICY, "audit_mode": "manual", "version": 4},
    })
    client = client_for(recorder)

    [policy] = await client.client_policies()
    assert recorder.last.method == "GET"
    assert (policy.code, policy.version, policy.coverage_mode) == ("midea", 3, "covered_only")

    update = ClientPolicyUpdate(version=3, reason="大促刷单多", audit_mode="manual",
                                coverage_mode="covered_only", merge_window_minutes=30,
                                review_threshold=40)
    saved = await client.update_client_policy("midea", update)
    sent = recorder.last
    assert (sent.method, sent.url.path) == ("PUT", "/v1/intake/clients/midea")
    assert json.loads(sent.content) == {
        "version": 3, "reason": "大促刷单多", "audit_mode": "manual",
        "coverage_mode": "covered_only", "merge_window_minutes": 30, "review_threshold": 40}
    assert saved.version == 4 and saved.audit_mode == "manual"


async def test_a_stale_policy_change_raises_409() -> None:
    recorder = Recorder({"/v1/intake/clients/midea": {"title": "Stale version", "status": 409,
                                                      "current_version": 5}}, status=409)
    client = client_for(recorder)
    update = ClientPolicyUpdate(version=3, reason="x", audit_mode="manual",
                                coverage_mode="accept_all", merge_window_minutes=0,
                                review_threshold=1)
    with pytest.raises(ApiError) as caught:
        await client.update_client_policy("midea", update)
    assert caught.value.status == 409


async def test_blacklist_queries_additions_and_removals() -> None:
    recorder = Recorder({
        "/v1/intake/blacklist": [entry()],
        "/v1/intake/blacklist/4/remove": {**entry(active=False), "removed_by": "李主管",
                                          "removed_reason": "误判"},
    })
    client = client_for(recorder)

    [listed] = await client.blacklist()
    assert dict(recorder.last.url.params) == {"active": "true"}
    assert listed.phone == "13900000000"
    await client.blacklist("all")
    assert dict(recorder.last.url.params) == {"active": "all"}

    recorder.status = 201
    recorder.answers["/v1/intake/blacklist"] = entry()
    added = await client.add_blacklist_entry(BlacklistEntryIn(address="某小区 3 号楼",
                                                              reason="刷单"))
    sent = recorder.last
    assert (sent.method, sent.url.path) == ("POST", "/v1/intake/blacklist")
    assert json.loads(sent.content) == {"phone": "", "address": "某小区 3 号楼", "reason": "刷单"}
    assert added.id == 4

    recorder.status = 200
    removed = await client.remove_blacklist_entry(4, "误判")
    assert recorder.last.url.path == "/v1/intake/blacklist/4/remove"
    assert json.loads(recorder.last.content) == {"reason": "误判"}
    assert not removed.active and removed.removed_reason == "误判"


async def test_the_settings_log() -> None:
    recorder = Recorder({"/v1/intake/settings-log": [{
        "id": 1, "at": T0.isoformat(), "actor": "张主管", "subject": "client:midea",
        "reason": "大促", "before": {"audit_mode": "auto_pass"},
        "after": {"audit_mode": "manual"}}]})
    client = client_for(recorder)
    [change] = await client.settings_log(limit=20)
    assert dict(recorder.last.url.params) == {"limit": "20"}
    assert change.subject == "client:midea" and change.after == {"audit_mode": "manual"}
