"""One simulated demo world (SQLite, through HTTP only) that the simulator's tests read.

test_simulator and test_simulator_evidence check the same rounds from two sides (what the desk
sees, and the evidence each visit sent), so one run serves both modules in a process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.clock import WALL_CLOCK
from core.demo.dataset import DemoDataset, build
from core.demo.field import BOOKING, Truth
from core.demo.seed import seed_demo
from core.demo.simulator import Simulator
from core.server.app import create_app
from core.services.dispatch import run_round
from core.services.fieldwork.axb_bindings import AxbRound, handle_axb_round
from core.storage.db import make_engine, migrate
from core.storage.uow import UnitOfWork

BASE = "http://lastmile.test"
SEEDED, ROUNDS = 12, 12
# Of the technicians: both kinds of booking in a few rounds. At 0.3 (11 of 49 cheating) none of
# the nine bookings of 12 rounds went to a cheat in three runs on 2026-12-07.
FRAUD_SHARE = 0.5


@asynccontextmanager
async def backend(
    folder: Path, dataset: DemoDataset, seeded_at: datetime | None = None
) -> AsyncIterator[httpx.ASGITransport]:
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    migrate(engine)
    seed_demo(engine, dataset, now=seeded_at)
    app = create_app(engine)
    try:
        async with app.router.lifespan_context(app):
            yield httpx.ASGITransport(app=app)
    finally:
        engine.dispose()


async def logged_in(transport: httpx.AsyncBaseTransport, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=transport, base_url=BASE)
    login = await client.post("/v1/auth/login", json={"username": username, "password": "demo"})
    login.raise_for_status()
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return client


@dataclass(frozen=True)
class World:
    """The backend's view after some simulated rounds, read through the API as a supervisor."""

    dataset: DemoDataset
    orders: list[dict[str, Any]]  # OrderDetail JSON, timeline included
    messages: list[dict[str, Any]]  # what the intake centre stored of each platform webhook
    username_of: dict[int, str]  # technician id -> demo username
    seeded_at: datetime  # the seeded backlog's past ends here; the simulator acts after
    bookings: dict[int, list[dict[str, Any]]]  # order id -> GET .../appointments
    calls: dict[int, dict[str, Any]]  # order id -> GET .../calls
    truth: Truth  # what the simulator really did (which steps were faked)
    completed: list[int]  # orders the simulator completed (after the seed)
    photos: dict[int, Any]  # completed order id -> GET .../photos
    serials: dict[int, Any]  # completed order id -> GET .../serials
    codes: dict[int, Any]  # completed order id -> GET .../verification-code

    @property
    def faked_bookings(self) -> set[int]:
        """Orders a fraudster booked without a real call."""
        return self.truth.faked_steps.get(BOOKING, set())

    def simulated(self) -> list[dict[str, Any]]:
        """Timeline entries the simulator made (after the seed)."""
        return [e for o in self.orders for e in o["timeline"]
                if datetime.fromisoformat(e["at"]) > self.seeded_at]


async def _simulate(folder: Path) -> World:
    dataset = build(seed=7, orders=SEEDED)
    seeded_at = WALL_CLOCK.now()
    async with backend(folder, dataset, seeded_at) as transport:
        app = transport.app
        engine, axb = app.state.engine, app.state.axb  # type: ignore[attr-defined]
        # The serving code hands the simulator the app's own simulated providers: technicians
        # call through its AXB (signed pushes reach POST /v1/axb/call-records) and customers
        # read their completion codes from its SMS.
        async with Simulator(BASE, transport=transport, order_seed=99, axb=axb,
                             sms=app.state.sms,  # type: ignore[attr-defined]
                             fraud_share=FRAUD_SHARE) as sim:
            for _ in range(ROUNDS):
                await sim.step()
                # The backend's dispatcher and outbox round (virtual numbers bound), as
                # `lastmile serve` runs them between the rounds.
                await asyncio.to_thread(run_round, engine, WALL_CLOCK)
                await asyncio.to_thread(handle_axb_round, AxbRound(axb), UnitOfWork(engine))
            truth = sim.truth
        desk = await logged_in(transport, "supervisor")
        rows = (await desk.get("/v1/orders", params={"limit": 1000})).json()["rows"]
        orders = [(await desk.get(f"/v1/orders/{r['id']}")).json() for r in rows]
        messages = (await desk.get("/v1/intake/messages", params={"limit": 500})).json()["rows"]
        techs = (await desk.get("/v1/technicians")).json()
        bookings = {o["id"]: (await desk.get(f"/v1/orders/{o['id']}/appointments")).json()
                    for o in orders}
        calls = {o["id"]: (await desk.get(f"/v1/orders/{o['id']}/calls")).json()
                 for o in orders}
        completed = [o["id"] for o in orders if any(
            e["kind"] == "complete" and datetime.fromisoformat(e["at"]) > seeded_at
            for e in o["timeline"])]
        photos = {o: (await desk.get(f"/v1/orders/{o}/photos")).json() for o in completed}
        serials = {o: (await desk.get(f"/v1/orders/{o}/serials")).json() for o in completed}
        codes = {o: (await desk.get(f"/v1/orders/{o}/verification-code")).json()
                 for o in completed}
        await desk.aclose()
    # Desk roles see each technician's login: it names the account fieldwork is recorded under.
    username_of = {t["id"]: t["username"] for t in techs}
    return World(dataset, orders, messages, username_of, seeded_at, bookings, calls, truth,
                 completed, photos, serials, codes)


_SIMULATED: list[World] = []


def simulated_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The world, simulated once per process (its tests only read it)."""
    if not _SIMULATED:
        _SIMULATED.append(asyncio.run(_simulate(tmp_path_factory.mktemp("simulated"))))
    return _SIMULATED[0]
