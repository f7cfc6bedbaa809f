"""The simulator against the real backend (SQLite), through HTTP only, as a technician app would."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from simulator_world import BASE, ROUNDS, SEEDED, World, backend, logged_in, simulated_world

from core.demo.dataset import build
from core.demo.simulator import Simulator

FIELD_ACTIONS = {"accept", "refuse", "appoint", "check_in", "complete"}
CENTRE_ACTIONS = {"audit", "place", "classify", "open_dispatch", "assign", "verify",
                  "start_review", "pass_review"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    # One simulated world for the read-only checks below (shared with test_simulator_evidence
    # in the same process): logins cost ~0.1-0.4 s each (argon2).
    return simulated_world(tmp_path_factory)


def test_each_round_posts_one_platform_webhook_to_the_intake_centre(world: World) -> None:
    new_orders = [o for o in world.orders
                  if datetime.fromisoformat(o["created_at"]) >= world.seeded_at]

    assert len(world.messages) == ROUNDS
    assert {m["channel"] for m in world.messages} == {"webhook"}
    assert len({m["platform"] for m in world.messages}) > 1
    # Most arrivals are new orders; re-sends, updates, cancels and flawed payloads are not.
    assert ROUNDS // 2 <= len(new_orders) <= ROUNDS * 2
    assert {o["platform"] for o in new_orders} <= {m["platform"] for m in world.messages}


def test_orders_move_past_intake_into_the_field(world: World) -> None:
    states = {o["state"] for o in world.orders}

    assert "dispatching" in states  # manual dispatch is left to the agents
    assert states & {"accepted", "appointed", "checked_in", "served", "verified", "in_review"}


def test_the_seeded_backlog_has_a_past_before_the_simulator_starts(world: World) -> None:
    seeded = [o for o in world.orders if datetime.fromisoformat(o["created_at"]) < world.seeded_at]

    assert len(seeded) == SEEDED
    assert any(len(o["timeline"]) > 5 for o in seeded)
    assert set(world.username_of.values()) == {t.username for t in world.dataset.technicians}


def test_settling_and_closing_are_left_to_finance(world: World) -> None:
    money = [e for o in world.orders for e in o["timeline"] if e["kind"] in ("settle", "close")]

    assert all(e["actor"] == "finance" for e in money)
    assert not [e for e in world.simulated() if e["kind"] in ("settle", "close")]


def test_fieldwork_is_recorded_under_the_assigned_technicians_account(world: World) -> None:
    field_entries = 0
    for order in world.orders:
        assigned = None
        for entry in order["timeline"]:
            if entry["kind"] in ("assign", "claim"):
                assigned = world.username_of[entry["data"]["technician_id"]]
            elif entry["kind"] in FIELD_ACTIONS:
                field_entries += 1
                assert (entry["actor"], entry["actor_role"]) == (assigned, "technician")
    assert field_entries > 0


def test_intake_and_desk_steps_are_the_simulators_and_dispatch_is_left_to_the_backend(
        world: World) -> None:
    entries = [e for e in world.simulated() if e["kind"] in CENTRE_ACTIONS]
    by_intake = {e["kind"] for e in entries if e["actor"] == "intake"}
    by_dispatcher = {e["kind"] for e in entries if e["actor"] == "dispatcher"}

    assert by_intake >= {"audit", "place", "classify"}
    # Dispatch is the backend's dispatcher's, under its own name: every assignment it made is
    # its automatic one with the score terms, never a simulator's stand-in.
    assigns = [e for e in entries if e["kind"] == "assign" and e["actor"] == "dispatcher"]
    assert by_dispatcher >= {"open_dispatch", "assign"}
    assert all(e["data"].get("automatic") and e["data"].get("terms") for e in assigns)
    # Nobody acts under a name a person signs in with (agent, admin): the audit trail says
    # who really acted, and the backend's own steps carry the system role (the review
    # period's start after every verification, the backend's own verification too).
    assert {(e["actor"], e["actor_role"]) for e in entries} <= {
        ("centre", "supervisor"), ("intake", "system"), ("dispatcher", "system"),
        ("sim-agent", "agent"), ("review", "system")}


def test_both_dispatch_modes_are_used(world: World) -> None:
    modes = {o["dispatch_mode"] for o in world.orders if o["dispatch_mode"]}

    assert modes == {"auto", "manual"}


def test_appointments_are_two_hour_windows_after_the_order_came_in(world: World) -> None:
    appointed = [o for o in world.orders if o["appointment_start"]]
    assert appointed
    for order in appointed:
        start = datetime.fromisoformat(order["appointment_start"])
        end = datetime.fromisoformat(order["appointment_end"])

        assert start.tzinfo is not None
        assert end - start == timedelta(hours=2)
        assert start > datetime.fromisoformat(order["created_at"])


def test_technicians_book_on_the_booking_route_after_a_call_the_provider_pushed(
        world: World) -> None:
    mine = {o: [b for b in rows if b["initiated_by"] == "technician"]
            for o, rows in world.bookings.items()}
    booked = {o for o, rows in mine.items() if rows}
    assert booked
    # Every field booking has its row (its verdict judged), none went through the action route.
    for order in world.orders:
        appoints = [e for e in order["timeline"] if e["kind"] == "appoint"
                    and datetime.fromisoformat(e["at"]) > world.seeded_at]
        assert len(appoints) <= len(mine[order["id"]])
    # An order accepted in the demo's seeded past has no virtual number: its technician has
    # nothing to dial through, so his booking cannot show a call (judged no_call all the same).
    numbered = {o for o in booked if world.calls[o]["bindings"]}
    honest = (booked - world.faked_bookings) & numbered
    assert honest and world.faked_bookings, "both kinds of booking happened"
    for order_id in honest:
        # The call went through the order's virtual number and was pushed, signed, in time.
        assert {b["call_verdict"] for b in mine[order_id]} == {"real"}, order_id
        assert [c for c in world.calls[order_id]["calls"]
                if c["caller_side"] == "technician" and c["connected"]]
    for order_id in world.faked_bookings:
        assert "no_call" in {b["call_verdict"] for b in mine[order_id]}, order_id


class _AgentGetsThereFirst(httpx.AsyncBaseTransport):
    """Lets an agent audit an order just before the simulator's own request does."""

    def __init__(self, inner: httpx.AsyncBaseTransport, agent_token: str) -> None:
        self.inner, self.agent_token, self.order_id = inner, agent_token, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        actions = request.method == "POST" and request.url.path.endswith("/actions")
        body = json.loads(request.content) if actions else {}
        if not self.order_id and body.get("action") == "audit":
            self.order_id = int(request.url.path.split("/")[3])
            first = httpx.Request(
                "POST", request.url, json={"action": "audit", "version": body["version"]},
                headers={"Authorization": f"Bearer {self.agent_token}"},
            )
            response = await self.inner.handle_async_request(first)
            await response.aread()
            assert response.status_code == 200
        return await self.inner.handle_async_request(request)


async def test_a_stale_version_is_survived_and_the_order_moves_on(tmp_path: Path) -> None:
    async with backend(tmp_path, build(seed=7, orders=3)) as transport:
        agent = await logged_in(transport, "agent")
        token = agent.headers["Authorization"].removeprefix("Bearer ")
        racing = _AgentGetsThereFirst(transport, token)
        async with Simulator(BASE, transport=racing, order_seed=5) as sim:
            first = await sim.step()
            await sim.step()
        detail = (await agent.get(f"/v1/orders/{racing.order_id}")).json()
        await agent.aclose()

    assert first.conflicts == 1
    audited = [e for e in detail["timeline"] if e["kind"] == "audit"]
    assert [e["actor"] for e in audited] == ["agent"]  # the agent's, not done twice
    # The simulator took up the order where the agent left it, from the current version.
    assert [e["actor"] for e in detail["timeline"] if e["kind"] == "place"] == ["centre"]
