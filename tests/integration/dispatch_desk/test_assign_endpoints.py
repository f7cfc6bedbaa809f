"""Both assign routes are one handler: an order's `assign` action and the desk's bulk
assignment record the same why, terms and knowingly broken rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.text import split_words

LI = 2  # tiny_dataset: Li Jing has no aircon skill, the orders need it


class Api:
    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.client, self.auth = client, token_login(engine)

    def detail(self, order_id: int) -> Any:
        r = self.client.get(f"/v1/orders/{order_id}", headers=self.auth("admin"))
        assert r.status_code == 200, r.text
        return r.json()

    def act(self, order_id: int, action: str, **fields: Any) -> Any:
        body = {"action": action, "version": self.detail(order_id)["version"], **fields}
        return self.client.post(f"/v1/orders/{order_id}/actions", json=body,
                                headers=self.auth("agent"))

    def to_manual(self, order_id: int) -> None:
        for action, fields in (("audit", {}), ("place", {}), ("classify", {}),
                               ("open_dispatch", {"mode": "manual"})):
            assert self.act(order_id, action, **fields).status_code == 200


@pytest.fixture
def api(engine: Engine, make_dataset: Callable[..., DemoDataset]) -> Iterator[Api]:
    seed_demo(engine, make_dataset(orders=2), now=datetime.now(UTC))
    with TestClient(create_app(engine, poll_seconds=0.05)) as client:
        yield Api(client, engine)


def test_both_routes_record_the_same_rules_broken_knowingly(api: Api) -> None:
    api.to_manual(1)
    api.to_manual(2)

    single = api.act(1, "assign", technician_id=LI, reason="客户指定")
    bulk = api.client.post("/v1/dispatch/assign", headers=api.auth("agent"), json={
        "assignments": [{"order_id": 2, "version": api.detail(2)["version"],
                         "technician_id": LI}], "reason": "客户指定"})

    assert single.status_code == 200, single.text
    assert bulk.status_code == 200 and bulk.json()[0]["ok"], bulk.text
    one, two = (api.detail(n)["timeline"][-1] for n in (1, 2))
    assert one["kind"] == two["kind"] == "assign"
    # The same words and broken rules (the load and time left differ: order 1 came first).
    for entry in (one, two):
        system, said = split_words(entry["reason"]) or ("", "")
        assert said == "客户指定" and system.startswith("人工派单：距离 ")
        assert "，明知违反：缺少技能「空调」 (" in system and "rules broken knowingly: " in system
    assert set(one["data"]) == set(two["data"]) and one["data"]["terms"]
    assert one["data"]["pinned"] is two["data"]["pinned"] is True


def test_an_unknown_technician_names_the_field_on_the_single_route(api: Api) -> None:
    api.to_manual(1)

    r = api.act(1, "assign", technician_id=2_000)

    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "technician_id"]
    assert "没有在岗的师傅 2000" in r.json()["detail"]
