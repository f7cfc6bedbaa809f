"""The change feed (page and SSE stream), candidates, technicians and regions."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.testclient import TestClient

Auth = Callable[[str], dict[str, str]]
Act = Callable[..., Any]


def test_the_change_page_returns_events_after_a_seq_with_the_order_row(
    client: TestClient, auth: Auth, act: Act
) -> None:
    act(2, "audit")

    r = client.get("/v1/changes", params={"after": 2}, headers=auth("agent"))

    page = r.json()
    assert [(e["seq"], e["kind"], e["order_id"]) for e in page["events"]] == [
        (3, "created", 3), (4, "audit", 2)]
    assert page["last_seq"] == 4
    assert page["events"][1]["order"]["state"] == "audited"
    assert page["events"][1]["order"]["version"] == 2


def test_an_empty_change_page_keeps_the_cursor(client: TestClient, auth: Auth) -> None:
    r = client.get("/v1/changes", params={"after": 3, "limit": 10}, headers=auth("agent"))

    assert r.json() == {"events": [], "last_seq": 3}


def _sse_events(lines: Iterator[str], wanted: int) -> list[dict[str, Any]]:
    """Parse up to `wanted` change messages (bounded: at most 200 lines are read)."""
    found: list[dict[str, Any]] = []
    current: dict[str, str] = {}
    for _, line in zip(range(200), lines, strict=False):
        if line == "":
            if current.get("event") == "change":
                found.append({"id": int(current["id"]), **json.loads(current["data"])})
                if len(found) == wanted:
                    break
            current = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            current[key] = value
    return found


def test_the_stream_replays_after_the_cursor_then_delivers_live_changes(
    client: TestClient, auth: Auth, act: Act
) -> None:
    with client.stream("GET", "/v1/changes/stream", params={"after": 2},
                       headers=auth("agent")) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        events = _sse_events(lines, wanted=1)
        assert act(1, "audit").status_code == 200

        events += _sse_events(lines, wanted=1)

    assert [(e["id"], e["kind"], e["order_id"]) for e in events] == [
        (3, "created", 3), (4, "audit", 1)]
    assert events[1]["order"]["state"] == "audited"


def test_a_stream_closed_by_its_client_unsubscribes(client: TestClient, auth: Auth) -> None:
    feed = client.app.state.feed  # type: ignore[attr-defined]
    with client.stream("GET", "/v1/changes/stream", params={"after": 0},
                       headers=auth("agent")) as stream:
        assert len(_sse_events(stream.iter_lines(), wanted=3)) == 3
        assert feed.subscriber_count == 1

    deadline = time.monotonic() + 5
    while feed.subscriber_count and time.monotonic() < deadline:
        time.sleep(0.01)  # the server notices the disconnect on its own loop
    assert feed.subscriber_count == 0


def test_the_stream_needs_a_desk_role(client: TestClient, auth: Auth) -> None:
    assert client.get("/v1/changes/stream", headers=auth("tech1")).status_code == 403
    assert client.get("/v1/changes/stream").status_code == 401


def _dispatching(act: Act, order_id: int) -> None:
    for action in ["audit", "place", "classify", "open_dispatch"]:
        assert act(order_id, action).status_code == 200


def test_candidates_rank_eligible_technicians_first_with_reasons(
    client: TestClient, auth: Auth, act: Act
) -> None:
    _dispatching(act, 1)

    r = client.get("/v1/orders/1/candidates", headers=auth("agent"),
                   params={"all_cities": "true"})

    ranked = r.json()
    assert [c["technician"]["name"] for c in ranked] == ["Wang Jian", "Li Jing", "Zhou Min"]
    best, no_skill, far = ranked
    assert best["eligible"] and best["breaks"] == [] and best["rank"] == 1
    assert best["reasons"][:3] == ["距离 1.4 公里", "今日 0/4 单", "评分 4.5"]
    assert not no_skill["eligible"] and no_skill["breaks"] == ["缺少技能「空调」"]
    assert "同城其他区县" in no_skill["reasons"]
    assert "不在订单所在城市" in far["breaks"] and far["distance_km"] > 1000
    assert best["score"] > no_skill["score"]


def test_a_technician_at_capacity_is_flagged_and_ranked_after_eligible_ones(
    client: TestClient, auth: Auth, act: Act, make_order: Callable[..., Any]
) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from core.storage.tables import TechnicianRecord

    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        session.execute(update(TechnicianRecord).where(TechnicianRecord.id == 1)
                        .values(daily_capacity=1))
        session.commit()
    _dispatching(act, 1)
    act(1, "assign", technician_id=1)
    _dispatching(act, 2)

    ranked = client.get("/v1/orders/2/candidates", headers=auth("agent")).json()
    technicians = client.get("/v1/technicians", headers=auth("agent")).json()

    full = next(c for c in ranked if c["technician"]["id"] == 1)
    assert not full["has_capacity"] and "今日已满 1/1 单" in full["breaks"]
    assert full["technician"]["load_today"] == 1
    assert [t["load_today"] for t in technicians] == [1, 0, 0]
    assert technicians[0]["service_point"] == "Beijing Chaoyang point"
    assert technicians[0]["county_name"] == "朝阳区"


def test_regions_list_children_of_a_parent(client: TestClient, auth: Auth) -> None:
    r = client.get("/v1/regions", params={"level": "county", "parent": "110100"},
                   headers=auth("agent"))

    counties = {c["adcode"]: c["name"] for c in r.json()}
    assert counties["110105"] == "朝阳区" and len(counties) == 16
    bad = client.get("/v1/regions", params={"level": "city", "parent": "000000"},
                     headers=auth("agent"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "parent"]


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert {"/v1/auth/login", "/v1/me", "/v1/health", "/v1/orders", "/v1/orders/{order_id}",
            "/v1/orders/{order_id}/actions", "/v1/orders/{order_id}/candidates",
            "/v1/technicians", "/v1/technicians/me/orders", "/v1/regions", "/v1/changes",
            "/v1/changes/stream"} <= set(paths)
    assert client.get("/docs").status_code == 200
