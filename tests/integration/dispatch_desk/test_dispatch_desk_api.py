"""Manual dispatch over HTTP on SQLite and PostgreSQL: the orders needing a person, ranked
candidates, bulk assignment with conflicts, two agents racing, refusals per technician."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from console.language import Language, pick
from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.storage.tables import OrderRecord

WANG, LI, ZHOU = 1, 2, 3  # tiny_dataset: Wang (aircon, Chaoyang), Li (general), Zhou (Shanghai)


class Desk:
    """The API on a seeded database of either kind, with helpers that act as a user."""

    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.client, self.engine = client, engine
        self.auth = token_login(engine)

    def get(self, path: str, as_: str = "agent", **params: Any) -> Any:
        r = self.client.get(path, headers=self.auth(as_), params=params)
        assert r.status_code == 200, r.text
        return r.json()

    def version(self, order_id: int) -> int:
        return int(self.get(f"/v1/orders/{order_id}", "admin")["version"])

    def act(self, order_id: int, action: str, as_: str = "agent", **fields: Any) -> Any:
        body = {"action": action, "version": self.version(order_id), **fields}
        r = self.client.post(f"/v1/orders/{order_id}/actions", json=body,
                             headers=self.auth(as_))
        assert r.status_code == 200, r.text
        return r.json()

    def to_manual(self, order_id: int, code: str = "vip", reason: str = "VIP 客户") -> None:
        for action in ("audit", "place", "classify"):
            self.act(order_id, action)
        self.act(order_id, "open_dispatch", mode="auto")
        self.act(order_id, "escalate", mode="manual", code=code, reason=reason)

    def assign(self, *items: dict[str, Any], as_: str = "agent", **extra: Any) -> Any:
        r = self.client.post("/v1/dispatch/assign", json={"assignments": list(items), **extra},
                             headers=self.auth(as_))
        return r


@pytest.fixture
def desk(engine: Engine, make_dataset: Callable[..., DemoDataset]) -> Iterator[Desk]:
    seed_demo(engine, make_dataset(orders=4), now=datetime.now(UTC))
    with TestClient(create_app(engine, poll_seconds=0.05)) as client:
        yield Desk(client, engine)


def test_needs_person_lists_manual_orders_with_why_most_urgent_first(desk: Desk) -> None:
    desk.to_manual(2, "vip", "VIP 客户")
    desk.to_manual(1, "no_eligible", "没有符合条件的师傅")
    for action in ("audit", "place", "classify"):
        desk.act(3, action)
    desk.act(3, "open_dispatch", mode="auto")

    rows = desk.get("/v1/dispatch/needs-person")

    assert [r["order"]["id"] for r in rows] == [1, 2]  # order 1 arrived first: due first
    first = rows[0]
    assert (first["code"], first["reason"]) == ("no_eligible", "没有符合条件的师傅")
    created = datetime.fromisoformat(first["order"]["created_at"])
    assert datetime.fromisoformat(first["sla_due"]) == created + timedelta(hours=24)
    assert datetime.fromisoformat(first["since"]) >= created


def test_candidates_carry_rank_reasons_and_flagged_breaks(desk: Desk) -> None:
    desk.to_manual(1)

    ranked = desk.get("/v1/orders/1/candidates", all_cities="true")

    assert [c["technician"]["id"] for c in ranked] == [WANG, LI, ZHOU]
    assert [c["rank"] for c in ranked] == [1, 2, 3]
    best, li, zhou = ranked
    assert best["eligible"] and best["breaks"] == []
    assert best["reasons"][0].startswith("距离 ") and "今日 0/4 单" in best["reasons"]
    assert set(best["terms"]) == {"distance", "load", "rating", "sla", "ratio"}
    assert li["breaks"] == ["缺少技能「空调」"] and not li["skills_ok"]
    assert "不在订单所在城市" in zhou["breaks"] and not zhou["region_ok"]


def test_candidates_of_other_cities_only_when_asked_for_all(desk: Desk) -> None:
    desk.to_manual(1)

    city = desk.get("/v1/orders/1/candidates")
    every = desk.get("/v1/orders/1/candidates", all_cities="true")

    assert [c["technician"]["id"] for c in city] == [WANG, LI]
    assert [c["rank"] for c in city] == [1, 2]
    assert [c["technician"]["id"] for c in every] == [WANG, LI, ZHOU]


def test_every_city_is_the_desks_only_and_asked_for_plainly(desk: Desk) -> None:
    desk.to_manual(1)
    url = "/v1/orders/1/candidates"

    tech = desk.client.get(url, params={"all_cities": "true"}, headers=desk.auth("tech1"))
    bad = desk.client.get(url, params={"all_cities": "everyone"}, headers=desk.auth("agent"))

    assert tech.status_code == 403
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "all_cities"]


def test_who_refused_this_order_is_listed_last_with_the_count(desk: Desk) -> None:
    desk.to_manual(1)
    for _ in range(2):
        desk.assign({"order_id": 1, "version": desk.version(1), "technician_id": WANG})
        desk.act(1, "refuse", as_="tech1", code="too_far", reason="太远")

    ranked = desk.get("/v1/orders/1/candidates", all_cities="true")

    # Li lacks the skill, Zhou is in Shanghai: both stand before the twice-refusing Wang.
    assert [c["technician"]["id"] for c in ranked] == [LI, ZHOU, WANG]
    wang = ranked[-1]
    assert wang["refused_this_order"] == 2 and "曾拒绝此单 2 次" in wang["breaks"]
    assert ranked[0]["refused_this_order"] == 0


def test_bulk_assign_places_each_order_and_reports_a_stale_one(desk: Desk) -> None:
    desk.to_manual(1)
    desk.to_manual(2)
    stale = desk.version(2) - 1

    r = desk.assign({"order_id": 1, "version": desk.version(1)},
                    {"order_id": 2, "version": stale, "technician_id": WANG},
                    reason="客户加急")

    assert r.status_code == 200
    one, two = r.json()
    assert (one["ok"], one["status"], one["technician_id"]) == (True, 200, WANG)
    assert one["technician_name"] == "Wang Jian"
    assert (two["ok"], two["status"], two["current_version"]) == (False, 409, desk.version(2))
    detail = desk.get("/v1/orders/1")
    assert (detail["state"], detail["technician_id"], detail["dispatch_pinned"]) == (
        "assigned", WANG, True)
    assert detail["accept_by"] is not None
    last = detail["timeline"][-1]
    # The ranking's reasons in both languages, the dispatcher's words as typed.
    assert last["reason"].startswith("人工派单：距离") and "(assigned by hand: " in last["reason"]
    assert pick(last["reason"], Language.EN).endswith(': "客户加急"')
    assert last["data"]["terms"] and last["data"]["pinned"] is True
    assert desk.get("/v1/orders/2")["state"] == "dispatching"


def test_a_rule_break_is_allowed_and_recorded(desk: Desk) -> None:
    desk.to_manual(1)

    r = desk.assign({"order_id": 1, "version": desk.version(1), "technician_id": LI},
                    pinned=False)

    assert r.json()[0]["ok"]
    detail = desk.get("/v1/orders/1")
    assert detail["technician_id"] == LI and not detail["dispatch_pinned"]
    assert "明知违反：缺少技能「空调」" in detail["timeline"][-1]["reason"]


def test_no_eligible_candidate_is_a_422_result(desk: Desk) -> None:
    desk.to_manual(1)
    with Session(desk.engine) as session:
        session.execute(update(OrderRecord).where(OrderRecord.id == 1)
                        .values(skills=["plumbing"]))
        session.commit()

    result = desk.assign({"order_id": 1, "version": desk.version(1)}).json()[0]

    assert (result["ok"], result["status"]) == (False, 422)
    assert "没有符合全部规则的师傅" in result["detail"]


def test_technicians_may_not_use_the_desk(desk: Desk) -> None:
    r = desk.assign({"order_id": 1, "version": 1}, as_="tech1")
    assert r.status_code == 403
    assert desk.client.get("/v1/dispatch/needs-person",
                           headers=desk.auth("tech1")).status_code == 403


def test_two_agents_assigning_the_same_order_at_once_one_wins(desk: Desk) -> None:
    desk.to_manual(1)
    version = desk.version(1)
    desk.auth("agent"), desk.auth("supervisor")
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def agent(name: str, technician: int) -> None:
        start.wait()
        results[name] = desk.assign(
            {"order_id": 1, "version": version, "technician_id": technician}, as_=name).json()[0]

    threads = [threading.Thread(target=agent, args=("agent", WANG)),
               threading.Thread(target=agent, args=("supervisor", LI))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    statuses = sorted(r["status"] for r in results.values())
    assert statuses == [200, 409]
    winner = next(r for r in results.values() if r["ok"])
    loser = next(r for r in results.values() if not r["ok"])
    assert desk.get("/v1/orders/1")["technician_id"] == winner["technician_id"]
    assert loser["current_version"] == version + 1


def test_refusals_and_timeouts_are_counted_per_technician_by_code(desk: Desk) -> None:
    for order_id in (1, 2, 3):
        desk.to_manual(order_id)
        desk.assign({"order_id": order_id, "version": desk.version(order_id),
                     "technician_id": WANG})
    desk.act(1, "refuse", as_="tech1", code="too_far", reason="太远")
    desk.act(2, "refuse", as_="tech1", code="too_far", reason="太远了")
    desk.act(3, "withdraw", code="timeout", reason="超时未接单")

    counts = desk.get("/v1/dispatch/refusals")

    assert counts == [{"technician_id": WANG, "technician_name": "Wang Jian", "refusals": 2,
                       "timeouts": 1, "by_code": {"timeout": 1, "too_far": 2}}]
    ranked = desk.get("/v1/orders/1/candidates")
    wang = next(c for c in ranked if c["technician"]["id"] == WANG)
    assert "曾拒绝此单 1 次" in wang["breaks"] and wang["refused_this_order"] == 1
    # Repeated refusals show per technician wherever the desk sees technicians.
    assert wang["technician"]["refusals_30d"] == 3
    listed = {t["id"]: t["refusals_30d"] for t in desk.get("/v1/technicians")}
    assert listed[WANG] == 3 and listed[LI] == 0
