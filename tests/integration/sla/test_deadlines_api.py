"""SLA deadlines over HTTP (SQLite and PostgreSQL): the open warnings and breaches by time left
with filters, one order's deadlines, and the refusals (no token, wrong role, bad filters,
unknown order)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from api_tokens import Login
from deadline_support import OPEN_DISPATCH, perform, scan, t
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.server.app import create_app


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(t(10, 20))


@pytest.fixture
def sla_api(world: Engine, clock: SimulatedClock) -> Iterator[TestClient]:
    """Orders 1 and 2 in dispatch since 10:00 and 10:05; the scan ran at 10:20 and 10:25."""
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 2, t(10, 5), OPEN_DISPATCH)
    scan(world, clock)
    clock.jump_to(t(10, 25))
    scan(world, clock)
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


def test_open_alerts_come_sorted_by_time_left_with_the_highest_level_per_step(
        sla_api: TestClient, auth: Login) -> None:
    response = sla_api.get("/v1/sla/alerts", headers=auth("supervisor"))

    assert response.status_code == 200, response.text
    found = response.json()
    assert [(a["order_id"], a["step"], a["level"]) for a in found] == [
        (1, "accept", "警告"), (2, "accept", "预警")]
    assert [a["time_left"] for a in found] == ["PT5M", "PT10M"]
    assert found[0]["step_name"] == "接单 (accept)"
    assert [a["platform_due"] for a in found] == ["2026-03-02T08:00:00Z",
                                                  "2026-03-02T08:05:00Z"]


@pytest.mark.parametrize(("query", "orders"), [
    ({"region": "110105"}, [1, 2]), ({"region": "110000"}, [1, 2]),
    ({"region": "310000"}, []), ({"step": "accept"}, [1, 2]), ({"step": "verify"}, []),
    ({"level": "warning"}, [1]), ({"level": "预警"}, [2]), ({"level": "severe"}, [])])
def test_alerts_filter_by_region_step_and_level(sla_api: TestClient, auth: Login,
                                               query: dict[str, str], orders: list[int]) -> None:
    response = sla_api.get("/v1/sla/alerts", params=query, headers=auth("agent"))

    assert response.status_code == 200, response.text
    assert [a["order_id"] for a in response.json()] == orders


def test_a_breach_shows_the_time_over(sla_api: TestClient, auth: Login, world: Engine,
                                      clock: SimulatedClock) -> None:
    clock.jump_to(t(10, 31))
    scan(world, clock)

    found = sla_api.get("/v1/sla/alerts", params={"level": "severe"},
                        headers=auth("agent")).json()

    assert [(a["order_id"], a["time_left"]) for a in found] == [(1, "-PT1M")]


def test_an_orders_deadlines_show_each_level_and_whether_it_was_told(
        sla_api: TestClient, auth: Login) -> None:
    response = sla_api.get("/v1/orders/1/deadlines", headers=auth("agent"))

    assert response.status_code == 200, response.text
    found = {d["level"]: d for d in response.json()}
    assert set(found) == {"预警", "警告", "严重"}
    assert found["预警"]["recorded_at"] is not None and found["严重"]["recorded_at"] is None
    assert {d["time_left"] for d in found.values()} == {"PT5M"}
    assert {d["due"] for d in found.values()} == {"2026-03-02T02:30:00Z"}
    # the platform's own limit beside ours: 6 hours to send the technician's details
    assert {d["platform_due"] for d in found.values()} == {"2026-03-02T08:00:00Z"}


@pytest.mark.parametrize(("path", "role"), [
    ("/v1/sla/alerts", "tech1"), ("/v1/sla/alerts", "finance"),
    ("/v1/orders/1/deadlines", "tech1"), ("/v1/orders/1/deadlines", "finance")])
def test_roles_without_the_board_are_refused(sla_api: TestClient, auth: Login, path: str,
                                             role: str) -> None:
    assert sla_api.get(path, headers=auth(role)).status_code == 403


@pytest.mark.parametrize("path", ["/v1/sla/alerts", "/v1/orders/1/deadlines"])
def test_no_token_is_refused(sla_api: TestClient, path: str) -> None:
    assert sla_api.get(path).status_code == 401


@pytest.mark.parametrize(("query", "field"), [
    ({"region": "999999"}, "region"), ({"region": "north"}, "region"),
    ({"step": "lunch"}, "step"), ({"level": "red"}, "level"), ({"limit": "0"}, "limit"),
    ({"limit": "1001"}, "limit"), ({"region": "1101050"}, "region")])
def test_bad_filters_are_refused_naming_the_field(sla_api: TestClient, auth: Login,
                                                  query: dict[str, str], field: str) -> None:
    response = sla_api.get("/v1/sla/alerts", params=query, headers=auth("supervisor"))

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["query", field]


def test_an_unknown_order_is_not_found(sla_api: TestClient, auth: Login) -> None:
    assert sla_api.get("/v1/orders/999999/deadlines", headers=auth("agent")).status_code == 404
    assert sla_api.get("/v1/orders/0/deadlines", headers=auth("agent")).status_code == 422


def test_the_alert_is_on_the_orders_timeline(sla_api: TestClient, auth: Login) -> None:
    found = sla_api.get("/v1/orders/1", headers=auth("agent"))

    assert found.status_code == 200, found.text
    alerts = [e for e in found.json()["timeline"] if e["kind"] == "sla_alert"]
    assert [(e["data"]["level"], e["data"]["left"]) for e in alerts] == [
        ("预警", "0:15:00"), ("警告", "0:07:30")]
    assert timedelta(microseconds=alerts[1]["data"]["left_us"]) == timedelta(seconds=450)
