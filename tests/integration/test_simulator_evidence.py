"""The demo's technicians end their visits with evidence over HTTP before they complete: photos
on the photo route, serials, and the code the customer read from the app's own simulated SMS
provider; honest photos pass the server's judgement."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.clock import WALL_CLOCK
from core.demo.dataset import build
from core.demo.evidence import CODE, PHOTOS
from core.demo.seed import seed_demo
from core.demo.simulator import Simulator
from core.server.app import create_app
from core.services.dispatch import run_round
from core.services.fieldwork.axb_bindings import AxbRound, handle_axb_round
from core.storage.db import make_engine, migrate
from core.storage.uow import UnitOfWork

BASE = "http://lastmile.test"
ROUNDS = 12


async def _run(folder: Path) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    migrate(engine)
    seeded_at = WALL_CLOCK.now()
    seed_demo(engine, build(seed=7, orders=12), now=seeded_at)
    app = create_app(engine)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with Simulator(BASE, transport=transport, order_seed=99, axb=app.state.axb,
                                 sms=app.state.sms, fraud_share=0.3) as sim:
                for _ in range(ROUNDS):
                    await sim.step()
                    await asyncio.to_thread(run_round, engine, WALL_CLOCK)
                    await asyncio.to_thread(handle_axb_round, AxbRound(app.state.axb),
                                            UnitOfWork(engine))
                truth = sim.truth
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as desk:
                login = await desk.post("/v1/auth/login",
                                        json={"username": "supervisor", "password": "demo"})
                desk.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
                rows = (await desk.get("/v1/orders", params={"limit": 1000})).json()["rows"]
                completed = [r["id"] for r in rows
                             for e in (await desk.get(f"/v1/orders/{r['id']}")).json()["timeline"]
                             if e["kind"] == "complete"
                             and datetime.fromisoformat(e["at"]) > seeded_at]
                photos = {o: (await desk.get(f"/v1/orders/{o}/photos")).json()
                          for o in completed}
                serials = {o: (await desk.get(f"/v1/orders/{o}/serials")).json()
                           for o in completed}
                codes = {o: (await desk.get(f"/v1/orders/{o}/verification-code")).json()
                         for o in completed}
    finally:
        engine.dispose()
    return {"completed": completed, "photos": photos, "serials": serials, "codes": codes,
            "truth": truth}


@pytest.fixture(scope="module")
def ended(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return asyncio.run(_run(tmp_path_factory.mktemp("evidence")))


def test_every_visit_completed_sent_its_photos_and_serials_first(ended: dict[str, Any]) -> None:
    assert ended["completed"]
    for order_id in ended["completed"]:
        photos, serials = ended["photos"][order_id], ended["serials"][order_id]
        assert photos["count"] >= photos["required"] > 0
        assert len(serials["serials"]) == serials["units"]


def test_photos_the_technician_really_took_pass_the_servers_judgement(
        ended: dict[str, Any]) -> None:
    faked = ended["truth"].faked_steps.get(PHOTOS, set())
    real = [p for o in ended["completed"] if o not in faked for p in ended["photos"][o]["photos"]]

    assert real
    assert all("photo_reused" not in p["judged"] and "photo_elsewhere" not in p["judged"]
               for p in real)
    assert all(p["taken_at"] is not None for p in real)


def test_honest_technicians_used_the_code_the_customer_read_from_the_sms(
        ended: dict[str, Any]) -> None:
    truth = ended["truth"]
    sent = {o: c["state"] for o, c in ended["codes"].items() if c["current"] is not None}
    honest = {o: state for o, state in sent.items() if o not in truth.faked}

    assert honest and set(honest.values()) == {"used"}
    # What a fraudster away from the door typed were guesses, counted as wrong tries.
    guessed = truth.faked_steps.get(CODE, set())
    assert all(ended["codes"][o]["current"]["attempts"] > 0 for o in guessed & set(sent))
