"""Dispatch end to end, as `lastmile serve --demo --simulate` runs it: orders arrive, the
backend's dispatcher places them centrally or offers them in the grab pool, simulated
technicians accept and claim, and what cannot be placed waits for an agent with a reason.

Everything is observed through the HTTP API (the change feed and the dispatch endpoints), as a
supervisor's console would see it. The demo runs fast for the test (arrival pace, dispatcher
interval), so the wait is bounded and short.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import Backend, free_port

# Long enough for a loaded two-core machine; each sight usually comes within a minute.
FLOW_TIMEOUT = 240.0


@dataclass
class Sightings:
    """What the supervisor has seen on the change feed so far."""

    central: dict[int, int] = field(default_factory=dict)  # order -> technician, by the centre
    accepted_central: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    to_person: dict[int, dict[str, Any]] = field(default_factory=dict)  # order -> event

    def see(self, event: dict[str, Any]) -> None:
        kind, data, order_id = event["kind"], event["data"], event["order_id"]
        if kind == "assign" and event["actor"] == "dispatcher" and data.get("automatic"):
            assert data.get("terms"), event  # every central assignment says why
            self.central[order_id] = data["technician_id"]
        elif kind == "assign":
            self.central.pop(order_id, None)
        elif (kind == "accept" and event["actor_role"] == "technician"
              and self.central.get(order_id) == event["order"]["technician_id"]):
            self.accepted_central.append(event)
        elif kind == "claim" and event["actor_role"] == "technician":
            self.claims.append(event)
        elif (kind in ("escalate", "open_dispatch") and data.get("mode") == "manual"
              and event["actor"] == "dispatcher"):
            # The backend's own escalations; the simulator's desk (centre) also sends marked
            # orders to a person, under its own name.
            self.to_person[order_id] = event


@pytest.fixture
def fast_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The backend process inherits these: a quick dispatcher, quick arrivals and stand-ins,
    # and its own ERP inbox instead of the user's data folder.
    monkeypatch.setenv("LASTMILE_DISPATCH_SECONDS", "0.5")
    monkeypatch.setenv("LASTMILE_DEMO_SPEED", "10")
    monkeypatch.setenv("LASTMILE_DEMO_ARRIVAL_SECONDS", "0.1,0.3")
    monkeypatch.setenv("LASTMILE_ERP_INBOX", str(tmp_path / "erp-inbox"))
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(tmp_path / "data"))


async def _supervisor(url: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=url, timeout=15.0)
    login = await http.post("/v1/auth/login", json={"username": "supervisor", "password": "demo"})
    login.raise_for_status()
    http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return http


async def _escalated_with_reason(http: httpx.AsyncClient, seen: Sightings) -> list[Any]:
    """Needs-person rows the backend escalated (a code and a reason) that the feed showed."""
    rows = (await http.get("/v1/dispatch/needs-person")).json()
    return [r for r in rows if r["code"] and r["reason"].strip()
            and r["order"]["id"] in seen.to_person]


async def test_orders_flow_to_acceptance_the_pool_and_a_person(
    fast_demo: None, database_url: str, tmp_path: Path
) -> None:
    # The backend as `lastmile serve --demo --simulate` starts it: dispatcher and simulator.
    backend = Backend(database_url, free_port(), tmp_path / "backend.log",
                      options=("--demo", "--simulate"), dispatcher=True)
    await backend.start()
    http = await _supervisor(backend.url)
    seen, after, waiting = Sightings(), 0, []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FLOW_TIMEOUT
        while loop.time() < deadline:
            page = (await http.get("/v1/changes", params={"after": after})).json()
            for event in page["events"]:
                seen.see(event)
            after = page["last_seq"] or after
            waiting = await _escalated_with_reason(http, seen)
            if seen.accepted_central and seen.claims and waiting:
                break
            await asyncio.sleep(0.5)
        pool = (await http.get("/v1/grab/pool")).json()
    finally:
        await http.aclose()
        backend.kill()
    log = backend.log.read_text(errors="replace")[-3000:]

    # 1. central dispatch: assigned by the centre with its score terms, then accepted
    assert seen.accepted_central, f"no centrally assigned order was accepted\n{log}"
    # 2. the grab pool: a technician claimed an offer (and the pool monitor counts it)
    assert seen.claims, f"nothing was claimed from the grab pool\n{log}"
    assert pool["claimed"] >= 1
    # 3. escalation: an order waits for a person, with why, in the needs-person list
    assert waiting, f"no escalated order with a reason in needs-person\n{log}"
    row = waiting[0]
    event = seen.to_person[row["order"]["id"]]
    assert event["actor"] == "dispatcher" and event["reason"]
    assert row["order"]["dispatch_mode"] == "manual"
    assert "Traceback" not in backend.log.read_text(errors="replace")
