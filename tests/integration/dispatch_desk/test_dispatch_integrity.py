"""Dispatch integrity over HTTP: a refusal cannot choose the next mode; bulk assignment ranks
before it writes; the refusals index exists and migrates both ways."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from api_tokens import token_login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.services import assign as assign_handler
from core.services.dispatch import run_round
from core.storage.db import WRITE_OPTION, alembic_config, migrate
from core.storage.tables import OrderEventRecord, OrderRecord

WANG = 1  # tiny_dataset: Wang Jian (tech1), the only aircon technician in Beijing


class Api:
    def __init__(self, client: TestClient, engine: Engine) -> None:
        self.client, self.engine, self.auth = client, engine, token_login(engine)

    def detail(self, order_id: int) -> Any:
        r = self.client.get(f"/v1/orders/{order_id}", headers=self.auth("admin"))
        assert r.status_code == 200, r.text
        return r.json()

    def post(self, order_id: int, action: str, as_: str = "agent", **fields: Any) -> Any:
        body = {"action": action, "version": self.detail(order_id)["version"], **fields}
        return self.client.post(f"/v1/orders/{order_id}/actions", json=body,
                                headers=self.auth(as_))

    def events(self, order_id: int) -> list[OrderEventRecord]:
        with Session(self.engine) as session:
            return list(session.scalars(select(OrderEventRecord)
                                        .where(OrderEventRecord.order_id == order_id)
                                        .order_by(OrderEventRecord.seq)))


@pytest.fixture
def api(engine: Engine, make_dataset: Callable[..., DemoDataset]) -> Iterator[Api]:
    seed_demo(engine, make_dataset(), now=datetime.now(UTC))
    with TestClient(create_app(engine, poll_seconds=0.05)) as client:
        yield Api(client, engine)


def _assigned_by_the_centre(api: Api, order_id: int) -> None:
    for action, fields in (("audit", {}), ("place", {"county_adcode": "110105"}),
                           ("classify", {"service_type": "install"})):
        assert api.post(order_id, action, **fields).status_code == 200
    run_round(api.engine)
    placed = api.detail(order_id)
    assert (placed["state"], placed["technician_id"]) == ("assigned", WANG)


@pytest.mark.parametrize("fields", [{"mode": "manual"}, {"mode": "grab"},
                                    {"mode": "auto"}])
def test_a_technician_refusing_cannot_choose_where_the_order_goes(api: Api,
                                                                  fields: dict[str, str]):
    _assigned_by_the_centre(api, 1)
    before, events = api.detail(1), len(api.events(1))

    refused = api.post(1, "refuse", "tech1", reason="太远", code="too_far", **fields)

    assert refused.status_code == 422, refused.text
    assert "拒单不能指定下一步派单方式" in refused.json()["detail"]
    after = api.detail(1)
    assert (after["state"], after["version"], after["technician_id"]) == (
        "assigned", before["version"], WANG)
    assert len(api.events(1)) == events


def test_a_refusal_goes_where_the_policy_says(api: Api):
    _assigned_by_the_centre(api, 1)
    refused = api.post(1, "refuse", "tech1", reason="太远", code="too_far")
    assert refused.status_code == 200, refused.text
    released = api.detail(1)
    # Back to the stage it was in (central dispatch); the refusal chose nothing.
    assert (released["state"], released["dispatch_mode"]) == ("dispatching", "auto")
    assert "mode" not in api.events(1)[-1].data
    # The policy's next step: Wang is excluded and nobody else near has the skill.
    report = run_round(api.engine)
    assert report.escalated == {"no_eligible": 1}
    assert api.detail(1)["dispatch_mode"] == "manual"


def test_bulk_assign_ranks_before_it_takes_the_write_lock(
        api: Api, monkeypatch: pytest.MonkeyPatch):
    """While candidates are ranked, another desk can write at once (SQLite: no write lock is
    held); what it changed meanwhile makes the assignment a 409, not a blind write."""
    for action, fields in (("audit", {}), ("place", {"county_adcode": "110105"}),
                           ("classify", {"service_type": "install"}),
                           ("open_dispatch", {"mode": "manual"})):
        assert api.post(1, action, **fields).status_code == 200
    version = api.detail(1)["version"]
    ranked = assign_handler.ranked_candidates
    writes: list[int] = []

    def rank_while_someone_writes(session: Session, order: Any, now: datetime) -> Any:
        found = ranked(session, order, now)
        marked = api.post(1, "mark", "supervisor", reason="加急", tags=["urgent"])
        writes.append(marked.status_code)
        return found

    monkeypatch.setattr(assign_handler, "ranked_candidates", rank_while_someone_writes)
    r = api.client.post("/v1/dispatch/assign", headers=api.auth("agent"), json={
        "assignments": [{"order_id": 1, "version": version}], "reason": "派给最近的"})

    assert r.status_code == 200, r.text
    assert writes == [200]  # the other desk's write went through at once
    (result,) = r.json()
    assert (result["ok"], result["status"]) == (False, 409)
    assert result["current_version"] == version + 1
    after = api.detail(1)
    assert (after["state"], after["technician_id"], after["tags"]) == (
        "dispatching", None, ["urgent"])

    monkeypatch.setattr(assign_handler, "ranked_candidates", ranked)
    again = api.client.post("/v1/dispatch/assign", headers=api.auth("agent"), json={
        "assignments": [{"order_id": 1, "version": version + 1}], "reason": "派给最近的"})
    assert again.json()[0]["status"] == 200 and api.detail(1)["technician_id"] == WANG


INDEX = "ix_order_events_kind_at"


def _indexes(engine: Engine) -> set[str]:
    return {ix["name"] for ix in inspect(engine).get_indexes("order_events")}


@pytest.mark.fresh_schema  # goes down and up the migrations
def test_refusals_by_kind_and_time_have_an_index_that_migrates_both_ways(engine: Engine):
    migrate(engine)
    assert INDEX in _indexes(engine)
    assert any(ix.name == INDEX for ix in OrderEventRecord.__table__.indexes)
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
    assert INDEX not in _indexes(engine)
    migrate(engine)
    assert INDEX in _indexes(engine)
    with Session(engine) as session:  # the table itself came through untouched
        assert session.scalar(select(OrderRecord.id).limit(1)) is None
