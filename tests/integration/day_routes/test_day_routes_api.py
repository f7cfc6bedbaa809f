"""GET /v1/technicians/{id}/route on SQLite and PostgreSQL: the day's appointments as a route."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK
from core.demo.seed import seed_demo
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.services.day_routes import DayRoutes
from core.storage.uow import UnitOfWork

DAY = date(2026, 3, 3)
# Technician 1 (Wang Jian) lives at 116.44, 39.93; orders 1-4 lie east of home, 5 far west.
PLACES = {1: (116.47, 39.93), 2: (116.50, 39.93), 3: (116.46, 39.94), 4: (116.45, 39.92),
          5: (116.20, 39.93)}
Auth = Callable[[str], dict[str, str]]


class Desk:
    """The API with a helper that walks orders to an appointment with technician 1."""

    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.client, self.engine = client, engine
        self.auth = token_login(engine)

    def act(self, order_id: int, action: str, as_: str = "agent", **fields: Any) -> None:
        current = self.client.get(f"/v1/orders/{order_id}", headers=self.auth("admin")).json()
        body = {"action": action, "version": current["version"], **fields}
        r = self.client.post(f"/v1/orders/{order_id}/actions", json=body, headers=self.auth(as_))
        assert r.status_code == 200, (order_id, action, r.text)

    def state(self, order_id: int) -> str:
        r = self.client.get(f"/v1/orders/{order_id}", headers=self.auth("admin"))
        return str(r.json()["state"])

    def accepted(self, order_id: int, technician: str = "tech1", technician_id: int = 1) -> None:
        self.act(order_id, "audit")
        self.act(order_id, "place", county_adcode="110105")
        self.act(order_id, "classify", service_type="install", skills=["aircon"])
        if self.state(order_id) == "classified":  # a running dispatcher may have opened it
            self.act(order_id, "open_dispatch", mode="manual")
        self.act(order_id, "assign", technician_id=technician_id)
        self.act(order_id, "accept", technician)

    def appoint(self, order_id: int, start: str, end: str, technician: str = "tech1") -> None:
        """Set the window on the order itself: the route must plan whatever the orders hold,
        also windows the booking route would refuse today (in the past, after hours, two at
        once: a day the seeded history or an import left behind)."""
        with UnitOfWork(self.engine) as uow:
            order = uow.orders.get(order_id)
            assert order is not None and order.technician_id is not None
            actor = Actor(technician, Role.TECHNICIAN, order.technician_id)
            order.apply(c.Appoint(start=datetime.fromisoformat(f"{start}+08:00"),
                                  end=datetime.fromisoformat(f"{end}+08:00")),
                        actor, WALL_CLOCK.now(), "测试")
            uow.orders.save(order)
            uow.commit()

    def route(self, technician_id: int = 1, as_: str = "agent", day: date = DAY) -> Any:
        r = self.client.get(f"/v1/technicians/{technician_id}/route",
                            params={"day": day.isoformat()}, headers=self.auth(as_))
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def desk(engine: Engine, make_dataset: Callable[..., Any],
         make_order: Callable[..., Any]) -> Iterator[Desk]:
    orders = [make_order(n, lng=lng, lat=lat) for n, (lng, lat) in PLACES.items()]
    seed_demo(engine, dataclasses.replace(make_dataset(0), orders=orders))
    with TestClient(create_app(engine, poll_seconds=0.05)) as client:
        yield Desk(client, engine)


def test_the_route_visits_the_days_appointments_in_window_order(desk: Desk) -> None:
    for n, window in [(1, "13"), (2, "09"), (3, "15")]:
        desk.accepted(n)
        desk.appoint(n, f"2026-03-03T{window}:00:00", f"2026-03-03T{int(window) + 2}:00:00")
    desk.accepted(4)  # accepted, no appointment yet: not on any day's route

    route = desk.route()

    assert [s["order_id"] for s in route["stops"]] == [2, 1, 3]
    assert route["technician_name"] == "Wang Jian" and route["day"] == "2026-03-03"
    assert (route["home_lng"], route["home_lat"]) == (116.44, 39.93)
    assert route["unplanned"] == [] and route["feasible"] is True
    first, last = route["stops"][0], route["stops"][-1]
    assert first["arrive"] <= "2026-03-03T01:00:00Z" <= first["leave"]  # 09:00 in Shanghai
    assert route["start"] < first["arrive"] and route["end"] > last["leave"]
    assert [s["late"] for s in route["stops"]] == [False, False, False]
    assert 8 < route["distance_km"] < 20
    assert route["opens"] == "2026-03-03T00:00:00Z" and route["closes"] == "2026-03-03T12:00:00Z"


def test_what_the_day_cannot_fit_is_unplanned_and_other_days_are_left_out(desk: Desk) -> None:
    desk.accepted(1)
    desk.appoint(1, "2026-03-03T10:00:00", "2026-03-03T12:00:00")
    desk.accepted(2)
    desk.appoint(2, "2026-03-03T21:00:00", "2026-03-03T22:00:00")  # after working hours
    desk.accepted(3)
    desk.appoint(3, "2026-03-04T10:00:00", "2026-03-04T12:00:00")  # tomorrow

    route = desk.route()

    assert [s["order_id"] for s in route["stops"]] == [1]
    assert route["unplanned"] == [2] and route["unplanned_order_nos"]
    assert route["feasible"] is False
    assert [s["order_id"] for s in desk.route(day=date(2026, 3, 4))["stops"]] == [3]


def test_clashing_appointments_are_flagged_late(desk: Desk) -> None:
    # The same hour at both ends of the city: one of them cannot be kept.
    desk.accepted(4)
    desk.appoint(4, "2026-03-03T09:00:00", "2026-03-03T10:00:00")
    desk.accepted(5)
    desk.appoint(5, "2026-03-03T09:00:00", "2026-03-03T10:00:00")

    route = desk.route()

    assert sorted(s["order_id"] for s in route["stops"]) == [4, 5]
    assert [s["late"] for s in route["stops"]].count(True) == 1


def test_a_new_window_re_plans_and_an_unchanged_day_comes_from_the_cache(desk: Desk) -> None:
    desk.accepted(1)
    desk.appoint(1, "2026-03-03T09:00:00", "2026-03-03T11:00:00")
    desk.accepted(2)
    desk.appoint(2, "2026-03-03T13:00:00", "2026-03-03T15:00:00")
    before = desk.route()
    routes: DayRoutes = desk.client.app.state.day_routes  # type: ignore[attr-defined]
    made = routes.plans_made

    again = desk.route()
    with Session(desk.engine) as session:
        cached = routes.day(session, 1, DAY)
        assert routes.day(session, 1, DAY) is cached

    assert again == before and routes.plans_made == made
    desk.appoint(1, "2026-03-03T16:00:00", "2026-03-03T18:00:00")  # the customer moved it

    after = desk.route()

    assert [s["order_id"] for s in before["stops"]] == [1, 2]
    assert [s["order_id"] for s in after["stops"]] == [2, 1]
    assert after["planned_at"] > before["planned_at"] and routes.plans_made == made + 1


def test_a_cancelled_order_leaves_the_route(desk: Desk) -> None:
    desk.accepted(1)
    desk.appoint(1, "2026-03-03T09:00:00", "2026-03-03T11:00:00")
    assert len(desk.route()["stops"]) == 1

    desk.act(1, "cancel", reason="客户取消")

    assert desk.route()["stops"] == []


def test_a_technician_reads_their_own_route_only(desk: Desk) -> None:
    desk.accepted(1)
    desk.appoint(1, "2026-03-03T09:00:00", "2026-03-03T11:00:00")

    own = desk.route(1, as_="tech1")
    other = desk.client.get("/v1/technicians/2/route", headers=desk.auth("tech1"))

    assert [s["order_id"] for s in own["stops"]] == [1]
    assert other.status_code == 403


def test_unknown_technician_is_404_and_anonymous_is_401(desk: Desk) -> None:
    missing = desk.client.get("/v1/technicians/999/route", headers=desk.auth("agent"))
    anonymous = desk.client.get("/v1/technicians/1/route")

    assert missing.status_code == 404 and anonymous.status_code == 401


def test_without_a_day_it_is_today_in_shanghai(desk: Desk) -> None:
    r = desk.client.get("/v1/technicians/1/route", headers=desk.auth("agent"))

    assert r.status_code == 200 and r.json()["stops"] == []
    today = WALL_CLOCK.now().astimezone(ZoneInfo("Asia/Shanghai"))
    assert r.json()["day"] == today.date().isoformat()
