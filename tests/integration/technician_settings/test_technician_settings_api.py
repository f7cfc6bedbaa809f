"""A technician's dispatch settings over HTTP on SQLite and PostgreSQL: change with a reason,
the change log, who may change them, stale versions, bad values, and that dispatch follows.

The world is conftest's tiny dataset: three new orders in 朝阳 (110105) needing "aircon";
t1 (aircon, 110105, capacity 4), t2 (general, 110108), t3 (aircon, Shanghai).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor
from core.services.dispatch import run_round
from core.storage.tables import OrderRecord, TechnicianRecord
from core.storage.uow import UnitOfWork

SEEDED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
T0 = SEEDED + timedelta(hours=1)
AGENT = Actor("agent", Role.AGENT)


def _tech(api: TestClient, auth: Login, key_name: str = "Wang Jian") -> dict[str, Any]:
    found = [t for t in api.get("/v1/technicians", headers=auth("agent")).json()
             if t["name"] == key_name]
    assert found, key_name
    return found[0]


def _patch(api: TestClient, auth: Login, tech_id: int, version: int, as_: str = "supervisor",
           reason: str = "师傅腰伤，减少派单", **changes: Any) -> Response:
    return api.patch(f"/v1/technicians/{tech_id}",
                     json={**changes, "version": version, "reason": reason},
                     headers=auth(as_))


def _classify(engine: Engine, order_id: int) -> None:
    """Audit, place and classify a new order: ready for the dispatcher."""
    for action, args in (("audit", {}), ("place", {"county_adcode": "110105"}),
                         ("classify", {"service_type": "install"})):
        with UnitOfWork(engine) as uow:
            found = uow.orders.get(order_id)
            assert found is not None
            found.perform(action, AGENT, T0, "test", **args)
            uow.orders.save(found)
            uow.commit()


def _first_order(engine: Engine) -> int:
    with Session(engine) as session:
        found = session.scalar(select(OrderRecord.id).order_by(OrderRecord.id))
    assert found is not None
    return found


def test_a_supervisor_changes_settings_and_the_log_says_who_why_before_after(
        api: TestClient, auth: Login) -> None:
    tech = _tech(api, auth)
    assert tech["version"] == 1

    response = _patch(api, auth, tech["id"], 1, daily_capacity=2,
                      skills=[" aircon ", "washer"], qualifications=["高空作业证"])

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["version"] == 2 and changed["daily_capacity"] == 2
    assert changed["skills"] == ["aircon", "washer"]
    assert changed["qualifications"] == ["高空作业证"] and changed["active"] is True
    assert _tech(api, auth)["daily_capacity"] == 2
    log = api.get(f"/v1/technicians/{tech['id']}/log", headers=auth("agent"))
    assert log.status_code == 200, log.text
    [entry] = log.json()
    assert (entry["actor"], entry["reason"]) == ("supervisor", "师傅腰伤，减少派单")
    assert entry["before"]["daily_capacity"] == 4 and entry["after"]["daily_capacity"] == 2
    assert entry["before"]["skills"] == ["aircon", "general"]
    assert entry["after"]["qualifications"] == ["高空作业证"]


def test_an_admin_deactivates_and_each_change_is_logged_newest_first(
        api: TestClient, auth: Login) -> None:
    tech = _tech(api, auth)
    assert _patch(api, auth, tech["id"], 1, as_="admin", active=False,
                  reason="离职").status_code == 200
    assert _patch(api, auth, tech["id"], 2, as_="admin", active=True,
                  reason="返岗").status_code == 200

    log = api.get(f"/v1/technicians/{tech['id']}/log", headers=auth("supervisor")).json()
    assert [e["reason"] for e in log] == ["返岗", "离职"]
    assert log[1]["after"]["active"] is False and _tech(api, auth)["version"] == 3


def test_saving_the_same_values_changes_nothing(api: TestClient, auth: Login) -> None:
    tech = _tech(api, auth)
    response = _patch(api, auth, tech["id"], 1, daily_capacity=4)
    assert response.status_code == 200 and response.json()["version"] == 1
    assert api.get(f"/v1/technicians/{tech['id']}/log", headers=auth("agent")).json() == []


@pytest.mark.parametrize("role", ["agent", "finance", "tech1"])
def test_only_supervisors_and_admins_change_settings(api: TestClient, auth: Login,
                                                     role: str) -> None:
    tech = _tech(api, auth)
    response = _patch(api, auth, tech["id"], 1, as_=role, daily_capacity=0)
    assert response.status_code == 403, response.text
    assert _tech(api, auth)["daily_capacity"] == 4


def test_a_stale_version_is_refused_with_the_current_one(api: TestClient, auth: Login) -> None:
    tech = _tech(api, auth)
    assert _patch(api, auth, tech["id"], 1, daily_capacity=3).status_code == 200

    response = _patch(api, auth, tech["id"], 1, daily_capacity=8)

    assert response.status_code == 409, response.text
    assert response.json()["current_version"] == 2
    assert _tech(api, auth)["daily_capacity"] == 3


@pytest.mark.parametrize(("changes", "field"), [
    ({"daily_capacity": 201}, "daily_capacity"),
    ({"daily_capacity": -1}, "daily_capacity"),
    ({"daily_capacity": 2.5}, "daily_capacity"),
    ({"skills": ["aircon", " "]}, "skills"),
    ({"skills": ["aircon", "aircon "]}, "skills"),
    ({"qualifications": [f"证{n}" for n in range(31)]}, "qualifications"),
    ({"reason": "  "}, "reason"),
    ({"version": 0}, "version"),
])
def test_bad_values_are_refused_naming_the_field(api: TestClient, auth: Login,
                                                 changes: dict[str, Any], field: str) -> None:
    tech = _tech(api, auth)
    body = {"version": 1, "reason": "调整", **changes}
    response = api.patch(f"/v1/technicians/{tech['id']}", json=body, headers=auth("supervisor"))
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"] or field in str(response.json()["errors"])
    assert _tech(api, auth)["version"] == 1


def test_an_unknown_technician_is_not_found(api: TestClient, auth: Login) -> None:
    assert _patch(api, auth, 9999, 1, daily_capacity=1).status_code == 404
    assert api.get("/v1/technicians/9999/log", headers=auth("agent")).status_code == 404


def test_candidates_and_the_next_round_follow_a_capacity_of_zero(
        api: TestClient, auth: Login, world: Engine) -> None:
    tech = _tech(api, auth)
    order_id = _first_order(world)
    _classify(world, order_id)
    assert _patch(api, auth, tech["id"], 1, daily_capacity=0).status_code == 200

    candidates = api.get(f"/v1/orders/{order_id}/candidates", headers=auth("agent")).json()
    [wang] = [c for c in candidates if c["technician"]["id"] == tech["id"]]
    assert not wang["has_capacity"] and not wang["eligible"]
    assert any(b.startswith("今日已满") for b in wang["breaks"])

    report = run_round(world, SimulatedClock(T0))
    assert report.assigned == 0
    with Session(world) as session:
        placed = session.get(OrderRecord, order_id)
        assert placed is not None and placed.technician_id is None
        assert placed.state != OrderState.ASSIGNED.value


def test_the_next_round_assigns_again_once_capacity_is_back(
        api: TestClient, auth: Login, world: Engine) -> None:
    tech = _tech(api, auth)
    assert _patch(api, auth, tech["id"], 1, daily_capacity=0).status_code == 200
    assert _patch(api, auth, tech["id"], 2, daily_capacity=1, reason="恢复").status_code == 200
    order_id = _first_order(world)
    _classify(world, order_id)

    assert run_round(world, SimulatedClock(T0)).assigned == 1
    with Session(world) as session:
        assert session.get(OrderRecord, order_id).technician_id == tech["id"]  # type: ignore[union-attr]
        assert session.get(TechnicianRecord, tech["id"]).version == 3  # type: ignore[union-attr]
