"""Technician risk over HTTP on SQLite and PostgreSQL: scores from flags stored with add_flags
over the orders each technician worked (check-ins and completions in order_events), the
window, the drill-down, routing completions to manual review (audited, stale 409), and every
role but supervisors and admins refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_tokens import Login
from api_world import SEEDED_AT
from fastapi.testclient import TestClient
from fieldwork_support import technician_id
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.demo.dataset import DemoDataset
from core.fieldwork.flags import Flag, FlagKind
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.storage.fieldwork.flags import add_flags
from core.storage.fieldwork.risk import needs_manual_review
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

NOW = SEEDED_AT + timedelta(days=20)
DESK = Actor("admin", Role.ADMIN)
ORDERS = 14


@pytest.fixture
def world_dataset(make_dataset: Callable[..., DemoDataset]) -> DemoDataset:
    return make_dataset(orders=ORDERS)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def api(world: Engine, clock: SimulatedClock) -> Iterator[TestClient]:
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


def _work(engine: Engine, order_id: int, username: str, at: datetime,
          complete: bool = True) -> None:
    """Walk a seeded order to checked_in (and served) by the technician at `at`."""
    tech = Actor(username, Role.TECHNICIAN, technician_id(engine, username))
    start = at - timedelta(hours=1)
    steps: list[tuple[c.Command, Actor]] = [
        (c.Audit(), DESK), (c.Place(), DESK), (c.Classify(), DESK), (c.OpenDispatch(), DESK),
        (c.Assign(technician_id=tech.technician_id or 0), DESK), (c.Accept(), tech),
        (c.Appoint(start=start, end=start + timedelta(hours=2)), tech), (c.CheckIn(), tech)]
    if complete:
        steps.append((c.Complete(), tech))
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command, actor in steps:
            order.apply(command, actor, at)
        uow.orders.save(order)
        uow.commit()


def _flag(engine: Engine, order_id: int, username: str, kinds: list[FlagKind],
          at: datetime = NOW - timedelta(days=1), **detail: Any) -> None:
    with UnitOfWork(engine) as uow:
        add_flags(uow.session, order_id, technician_id(engine, username),
                  [Flag(k, dict(detail)) for k in kinds], at, username)
        uow.commit()


@pytest.fixture
def flagged(world: Engine) -> Engine:
    """tech1 worked orders 1-3, each checked in far away; tech2 worked orders 4-13, one with an
    inaccurate fix; tech2's far check-in 40 days ago lies outside the window (order 14)."""
    for order_id in (1, 2, 3):
        _work(world, order_id, "tech1", NOW - timedelta(days=2))
        _flag(world, order_id, "tech1", [FlagKind.CHECKIN_OUTSIDE], distance_m=5200,
              tolerance_m=500)
    for order_id in range(4, 14):
        _work(world, order_id, "tech2", NOW - timedelta(days=3), complete=order_id % 2 == 0)
    _flag(world, 4, "tech2", [FlagKind.CHECKIN_INACCURATE], accuracy_m=400)
    _flag(world, 14, "tech2", [FlagKind.CHECKIN_OUTSIDE], at=NOW - timedelta(days=40))
    return world


def test_the_list_ranks_the_cheat_above_the_busy_honest_technician(
        api: TestClient, auth: Login, flagged: Engine) -> None:
    answer = api.get("/v1/technicians/risk", headers=auth("supervisor"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["days"] == 30 and body["until"].startswith("2026-03-22T08:00")
    rows = body["technicians"]
    assert [r["name"] for r in rows] == ["Wang Jian", "Li Jing", "Zhou Min"]
    cheat, honest, idle = rows
    # tech1: 3 far check-ins (4 points each) over max(3 orders, 5): 100 * 12 / 20.
    assert (cheat["score"], cheat["band"], cheat["points"], cheat["orders"],
            cheat["flagged_orders"]) == (60.0, "high", 12, 3, 3)
    assert cheat["reasons"] == [{"kind": "checkin_outside", "orders": 3, "flags": 3,
                                 "points": 12,
                                 "text": "签到位置离地址过远 (checked in too far from the "
                                         "address)"}]
    # tech2: one inaccurate fix (1 point) over 10 orders: 100 * 1 / 40; the old flag is out.
    assert (honest["score"], honest["band"], honest["points"], honest["orders"]) == (
        2.5, "low", 1, 10)
    assert (idle["score"], idle["orders"], idle["reasons"]) == (0.0, 0, [])
    assert cheat["service_point"] == "Beijing Chaoyang point" and cheat["county_name"] == "朝阳区"
    assert cheat["review_completions"] is False and cheat["review_version"] == 0


def test_a_longer_window_takes_the_older_flags_in(
        api: TestClient, auth: Login, flagged: Engine) -> None:
    rows = api.get("/v1/technicians/risk?days=60", headers=auth("admin")).json()["technicians"]
    honest = next(r for r in rows if r["name"] == "Li Jing")
    # The old far check-in's order counts as worked too: (1 + 4) points over 11 orders.
    assert (honest["points"], honest["orders"], honest["score"]) == (5, 11, 11.4)


def test_the_drill_down_lists_the_flagged_orders_with_their_flags(
        api: TestClient, auth: Login, flagged: Engine) -> None:
    _flag(flagged, 2, "tech1", [FlagKind.CODE_FAILED, FlagKind.CODE_LOCKED],
          at=NOW - timedelta(hours=3), attempt=5)
    tech1 = technician_id(flagged, "tech1")
    answer = api.get(f"/v1/technicians/{tech1}/risk", headers=auth("supervisor"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["risk"]["technician_id"] == tech1
    # 12 + code_failed 1 + code_locked 4 = 17 points: 100 * 17 / 20.
    assert body["risk"]["score"] == 85.0
    orders = body["orders"]
    assert orders[0]["order_id"] == 2  # the latest flag first
    assert sorted(o["order_id"] for o in orders) == [1, 2, 3]
    second = orders[0]
    assert second["order_no"] and second["state"] == "served"
    assert [f["kind"] for f in second["flags"]] == ["checkin_outside", "code_failed",
                                                    "code_locked"]
    assert second["flags"][0]["detail"] == {"distance_m": 5200, "tolerance_m": 500}
    assert second["flags"][2]["text"].startswith("核销码错误次数过多")
    limited = api.get(f"/v1/technicians/{tech1}/risk?limit=1", headers=auth("admin")).json()
    assert [o["order_id"] for o in limited["orders"]] == [2]


def test_an_unknown_technician_is_404_and_bad_windows_422(
        api: TestClient, auth: Login, world: Engine) -> None:
    lead = auth("supervisor")
    assert api.get("/v1/technicians/999999/risk", headers=lead).status_code == 404
    for days in ("0", "366", "x"):
        answer = api.get(f"/v1/technicians/risk?days={days}", headers=lead)
        assert answer.status_code == 422, days
    assert api.put("/v1/technicians/999999/review-completions", headers=lead,
                   json={"review": True, "version": 0, "reason": "多次远距离签到"}
                   ).status_code == 404


@pytest.mark.parametrize("role", ["agent", "finance", "tech1"])
def test_only_supervisors_and_admins_see_or_change_risk(
        api: TestClient, auth: Login, flagged: Engine, role: str) -> None:
    tech1 = technician_id(flagged, "tech1")
    headers = auth(role)
    assert api.get("/v1/technicians/risk", headers=headers).status_code == 403
    assert api.get(f"/v1/technicians/{tech1}/risk", headers=headers).status_code == 403
    answer = api.put(f"/v1/technicians/{tech1}/review-completions", headers=headers,
                     json={"review": False, "version": 0, "reason": "我没有风险"})
    assert answer.status_code == 403
    assert api.get("/v1/technicians/risk").status_code == 401
    with Session(flagged) as session:
        assert not needs_manual_review(session, tech1)


def test_routing_completions_to_review_is_audited_and_versioned(
        api: TestClient, auth: Login, flagged: Engine) -> None:
    tech1 = technician_id(flagged, "tech1")
    url = f"/v1/technicians/{tech1}/review-completions"
    lead = auth("supervisor")
    no_reason = api.put(url, headers=lead, json={"review": True, "version": 0, "reason": " "})
    assert no_reason.status_code == 422
    assert api.put(url, headers=lead, json={"review": "yes", "version": 0,
                                            "reason": "x"}).status_code == 422

    first = api.put(url, headers=lead, json={"review": True, "version": 0,
                                             "reason": "三单远距离签到"})
    assert first.status_code == 200, first.text
    assert first.json() | {"updated_at": None} == {
        "technician_id": tech1, "review_completions": True, "version": 1,
        "updated_by": "supervisor", "updated_at": None}
    assert first.json()["updated_at"].startswith("2026-03-22T08:00")
    with Session(flagged) as session:
        assert needs_manual_review(session, tech1)
        assert not needs_manual_review(session, technician_id(flagged, "tech2"))
        assert not needs_manual_review(session, None)

    stale = api.put(url, headers=auth("admin"), json={"review": False, "version": 0,
                                                      "reason": "已核实"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    same = api.put(url, headers=lead, json={"review": True, "version": 1, "reason": "再次确认"})
    assert same.status_code == 200 and same.json()["version"] == 1  # nothing changed
    back = api.put(url, headers=auth("admin"), json={"review": False, "version": 1,
                                                     "reason": "已电话核实，恢复"})
    assert back.status_code == 200 and back.json()["version"] == 2

    rows = api.get("/v1/technicians/risk", headers=lead).json()["technicians"]
    cheat = next(r for r in rows if r["technician_id"] == tech1)
    assert (cheat["review_completions"], cheat["review_version"]) == (False, 2)
    with Session(flagged) as session:
        log = session.scalars(select(AuditLogRecord)
                              .where(AuditLogRecord.kind == "technician_review")
                              .order_by(AuditLogRecord.id)).all()
        assert not needs_manual_review(session, tech1)
    assert [(e.subject, e.actor, e.reason, e.before, e.after) for e in log] == [
        (str(tech1), "supervisor", "三单远距离签到", {"review_completions": False},
         {"review_completions": True}),
        (str(tech1), "admin", "已电话核实，恢复", {"review_completions": True},
         {"review_completions": False})]


def test_not_routing_a_technician_never_routed_changes_nothing(
        api: TestClient, auth: Login, flagged: Engine) -> None:
    tech2 = technician_id(flagged, "tech2")
    answer = api.put(f"/v1/technicians/{tech2}/review-completions", headers=auth("admin"),
                     json={"review": False, "version": 0, "reason": "无需复核"})
    assert answer.status_code == 200 and answer.json()["version"] == 0
    with Session(flagged) as session:
        assert session.scalars(select(AuditLogRecord).where(
            AuditLogRecord.kind == "technician_review")).all() == []
