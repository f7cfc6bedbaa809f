"""The demo's stand-ins in the review period over HTTP: `sim-agent` works the follow-up worklist
(GET /v1/followups, POST .../outcome) with the customers' answers from the truth, the centre
rules complaints (GET /v1/complaints, POST .../ruling), and a simulator round never passes a
review by hand."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.clock import WALL_CLOCK
from core.demo.acting import Performer, StepReport
from core.demo.agent_desk import AGENT, ApiDesk
from core.demo.api import ApiSession
from core.demo.dataset import build
from core.demo.field import Truth
from core.demo.followup_calls import FollowupStandIns
from core.demo.seed import seed_demo
from core.demo.simulator import Simulator
from core.server.app import create_app
from core.storage.db import make_engine, migrate

BASE = "http://lastmile.test"


async def _run(folder: Path) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    migrate(engine)
    seed_demo(engine, build(seed=7, orders=80), now=WALL_CLOCK.now())
    app = create_app(engine)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
                agent = ApiSession(client, AGENT, "demo")
                await agent.login()
                centre = ApiSession(client, "centre", "demo")
                await centre.login()
                due = (await agent.get("/v1/followups", params={"scope": "due"}))["rows"]
                # Every order called is one whose steps were faked: problems come often.
                truth = Truth(faked={r["order_id"] for r in due})
                stand_ins = FollowupStandIns(random.Random(4), truth, calls_per_turn=len(due),
                                             ruling_patience=timedelta(0))
                report = StepReport()
                made = await stand_ins.call(ApiDesk(agent, Performer()), report)
                reviews = {r["order_id"]: await centre.get(f"/v1/orders/{r['order_id']}/review")
                           for r in due}
                ruled = await stand_ins.rule(ApiDesk(centre, Performer()), report,
                                             WALL_CLOCK.now())
                complaints = (await centre.get("/v1/complaints",
                                               params={"status": "all"}))["rows"]
                # The agent may not rule: the supervisor's route refuses him.
                refused = await ApiDesk(agent, Performer()).rule(
                    complaints[0], True, "坐席不能裁定") if complaints else None
            async with Simulator(BASE, transport=transport, order_seed=99, axb=app.state.axb,
                                 sms=app.state.sms) as sim:
                step = await sim.step()
    finally:
        engine.dispose()
    return {"due": due, "made": made, "report": report, "reviews": reviews, "ruled": ruled,
            "complaints": complaints, "refused": refused, "step": step}


@pytest.fixture(scope="module")
def called(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return asyncio.run(_run(tmp_path_factory.mktemp("followups")))


def test_the_agent_calls_every_due_customer_and_the_outcome_lands_on_the_order(
        called: dict[str, Any]) -> None:
    assert called["due"] and called["made"] == len(called["due"])
    for review in called["reviews"].values():
        [call] = review["followups"]
        assert call["recorded_by"] == AGENT
        if call["status"] == "done" and call["outcome"] == "satisfied":
            assert review["state"] == "settleable"
            assert 3 <= call["rating"] <= 5
        elif call["outcome"] == "problem":
            assert review["state"] == "frozen"
            assert review["complaints"][0]["after_sales_order_id"] is not None
        else:
            assert call["outcome"] == "unreachable" and review["state"] == "in_review"
            assert call["attempts"] == 1


def test_the_centre_rules_the_complaints_and_the_agent_may_not(called: dict[str, Any]) -> None:
    complaints = called["complaints"]
    assert complaints and called["ruled"] == len(complaints)
    assert all(c["status"] in ("upheld", "dismissed") and c["ruled_by"] == "centre"
               for c in complaints)
    assert called["refused"] == 403
    report = called["report"]
    assert (report.actions["complaint_upheld"] + report.actions["complaint_dismissed"]
            == len(complaints))


def test_a_simulator_round_passes_no_review_by_hand(called: dict[str, Any]) -> None:
    assert "pass_review" not in called["step"].actions
