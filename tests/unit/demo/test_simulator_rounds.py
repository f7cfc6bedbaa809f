"""The simulator against an in-memory API: who acts, pacing, and surviving a grumpy backend."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from demo_fakes import FakeBackend

from core.demo.api import BackendUnavailable
from core.demo.crew import SHANGHAI
from core.demo.dataset import OrderFactory
from core.demo.simulator import Simulator
from core.demo.wording import CANNOT_COMPLETE
from core.orders.lifecycle import OrderState

FIELD_ACTIONS = {"accept", "refuse", "appoint", "check_in", "complete", "cannot_complete"}
CENTRE_ACTIONS = {"audit", "place", "classify", "open_dispatch", "escalate", "withdraw", "mark",
                  "verify", "start_review", "pass_review"}
# The backend's dispatcher (here the fake's) does these; the simulator never does.
DISPATCHER_ACTIONS = {"open_dispatch", "escalate", "withdraw", "assign"}


def _simulator(fake: FakeBackend, **options: Any) -> Simulator:
    return Simulator("http://demo", transport=fake.transport(), order_seed=1, axb=fake.axb,
                     **options)


async def _rounds(sim: Simulator, n: int) -> None:
    for _ in range(n):
        await sim.step()


async def test_rounds_move_orders_through_intake_to_the_field() -> None:
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        await _rounds(sim, 25)

    states = {o.state for o in fake.orders.values()}
    # Most arrivals are new orders; a few are re-sends, updates, cancels or flawed payloads.
    assert 18 <= len(fake.orders) <= 25
    assert OrderState.DISPATCHING in states  # orders in manual dispatch wait for an agent
    assert states & {OrderState.SERVED, OrderState.VERIFIED, OrderState.IN_REVIEW,
                     OrderState.SETTLEABLE}
    assert not states & {OrderState.SETTLED, OrderState.CLOSED}  # left to finance
    # Technicians check in through the check-in route, with what their phones report.
    assert fake.check_ins
    assert all(set(position) == {"lat", "lng", "accuracy_m", "fix_at"}
               for _, position in fake.check_ins if position is not None)


async def test_the_visit_ends_on_its_own_routes_and_the_desk_works_the_review_queue(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.demo.crew.CANNOT_COMPLETE_SHARE", 0.3)  # enough to see some
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        await _rounds(sim, 40)

    assert fake.side_door == []  # no complete, cannot_complete or verify on /actions
    kinds = [(e.kind, e.actor_role) for o in fake.orders.values() for e in o.pending_events]
    assert ("complete", "technician") in kinds
    assert ("cannot_complete", "technician") in kinds
    assert ("verify", "supervisor") in kinds  # the centre, through the review's decision
    assert not any(k == "start_review" and role == "supervisor" for k, role in kinds)
    for order in fake.orders.values():
        for event in order.pending_events:
            if event.kind == "cannot_complete":
                assert event.data["code"] in CANNOT_COMPLETE and event.reason


async def test_honest_technicians_call_through_the_virtual_number_before_booking() -> None:
    fake = FakeBackend()
    async with _simulator(fake, fraud_share=0.0) as sim:
        await _rounds(sim, 30)

    assert fake.bookings and all(b.called() for b in fake.bookings)
    # Each booking went to the booking route, none through the action route.
    assert fake.side_door == []
    assert {c["caller_side"] for c in fake.call_records} == {"technician"}
    assert set(sim.truth.honest) >= {b.order_id for b in fake.bookings} and not sim.truth.faked
    # Who booked is the order's technician, under his own login.
    for booking in fake.bookings:
        order = fake.orders[booking.order_id]
        assert booking.user == fake.technicians[order.technician_id or 0].username


async def test_a_fraudsters_booking_without_a_real_call_is_faked_in_the_truth() -> None:
    fake = FakeBackend()
    async with _simulator(fake, fraud_share=1.0) as sim:
        await _rounds(sim, 30)

    uncalled = {b.order_id for b in fake.bookings if not b.called()}
    assert uncalled  # no call at all, or a hang-up after a few seconds
    assert uncalled <= sim.truth.faked
    assert not uncalled & sim.truth.honest


async def test_technician_steps_are_taken_by_the_assigned_technician() -> None:
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        await _rounds(sim, 25)

    field_events = 0
    for order in fake.orders.values():
        assigned_to = None
        for event in order.pending_events:
            if event.kind in ("assign", "claim"):
                assigned_to = fake.technicians[event.data["technician_id"]].username
            if event.kind == "claim":
                assert (event.actor, event.actor_role) == (assigned_to, "technician")
            elif event.kind in FIELD_ACTIONS:
                field_events += 1
                assert (event.actor, event.actor_role) == (assigned_to, "technician")
            elif event.kind in DISPATCHER_ACTIONS - {"assign"}:
                assert (event.actor, event.actor_role) == ("dispatcher", "system")
            elif event.kind in CENTRE_ACTIONS:
                assert (event.actor, event.actor_role) == ("centre", "supervisor")
            elif event.kind == "assign":
                # Central dispatch automatically, or an agent by hand (pinned).
                assert (event.actor, bool(event.data.get("automatic"))) in {
                    ("dispatcher", True), ("sim-agent", False)}
    assert field_events > 0


async def test_technicians_listed_without_a_login_are_left_alone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeBackend()
    fake.shows_usernames = False
    caplog.set_level(logging.WARNING, logger="core.demo")
    async with _simulator(fake) as sim:
        await _rounds(sim, 15)

    assigned = [o for o in fake.orders.values() if o.technician_id is not None]
    assert assigned and all(o.state is OrderState.ASSIGNED for o in assigned)
    # Only the stand-ins act: the centre (intake, marks) and sim-agent (manual dispatch).
    users = {user for user, _, _ in fake.calls if not user.startswith("webhook:")}
    assert users <= {"centre", "sim-agent"} and "centre" in users
    assert "has no login" in caplog.text


async def test_dispatch_is_left_to_the_backend() -> None:
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        await _rounds(sim, 40)

    taken = {action for _, action in fake.acted}
    modes = {o.dispatch_mode for o in fake.orders.values() if o.dispatch_mode is not None}
    assert not taken & DISPATCHER_ACTIONS
    assert {"auto", "grab", "manual"} <= modes  # the backend's modes, all in use
    automatic = [o for o in fake.orders.values()
                 if any(e.data.get("automatic") for e in o.pending_events)]
    assert automatic


async def test_every_action_sends_the_version_it_saw() -> None:
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        report = await sim.step()

    assert report.conflicts == 0 and report.rejected == 0
    assert sum(report.actions.values()) >= 1


async def test_a_stale_version_is_survived_and_retried_next_round() -> None:
    fake = FakeBackend()
    fake.conflict_on.add("audit")
    async with _simulator(fake) as sim:
        first = await sim.step()
        second = await sim.step()

    assert first.conflicts == 1 and first.actions["audit"] == 0
    assert second.actions["audit"] >= 1


async def test_a_refused_action_is_logged_and_not_repeated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeBackend()
    fake.reject_on.add("audit")
    caplog.set_level(logging.WARNING, logger="core.demo")
    async with _simulator(fake) as sim:
        first = await sim.step()
        await sim.step()

    audits_of_first = [c for c in fake.calls if c[1:] == ("POST", "/v1/orders/1/actions")]
    assert first.rejected == 1
    assert len(audits_of_first) == 1
    assert "audit" in caplog.text and "refused" in caplog.text


async def test_orders_arrive_as_signed_platform_webhooks_and_a_resend_creates_nothing(
) -> None:
    fake = FakeBackend()
    fake.receive(OrderFactory(1).next())  # what the simulator would send first
    async with _simulator(fake) as sim:
        report = await sim.step()

    assert [c for c in fake.calls if c[0].startswith("webhook:")]
    assert report.created == 0  # the platform sent an order the backend knew already
    assert len(fake.orders) == 1


async def test_arrivals_come_from_several_platforms() -> None:
    fake = FakeBackend()
    async with _simulator(fake) as sim:
        await _rounds(sim, 25)

    webhooks = {c[0] for c in fake.calls if c[0].startswith("webhook:")}
    assert len(webhooks) >= 3
    assert {o.platform for o in fake.orders.values()} <= {w.split(":")[1] for w in webhooks}


async def test_step_reports_a_backend_that_is_down() -> None:
    fake = FakeBackend()
    fake.down = True
    async with _simulator(fake) as sim:
        with pytest.raises(BackendUnavailable):
            await sim.step()


async def test_run_backs_off_while_the_backend_is_down_and_carries_on_after() -> None:
    fake = FakeBackend()
    fake.down = True
    stop = asyncio.Event()
    refused_connections = 0
    handle = fake.handle

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal refused_connections
        if fake.down:
            refused_connections += 1
            fake.down = refused_connections < 3
        response = handle(request)
        if fake.orders:
            stop.set()
        return response

    fake.handle = flaky  # type: ignore[method-assign]
    sim = _simulator(fake, arrival_every=(0.001, 0.002))
    sim.backoff_start_s = sim.backoff_max_s = 0.001

    await asyncio.wait_for(sim.run(stop), timeout=30)

    assert refused_connections == 3
    assert len(fake.orders) == 1


async def test_run_stops_when_the_database_has_no_demo_users(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeBackend()
    del fake.users["centre"]
    sim = _simulator(fake, arrival_every=(0.001, 0.002))

    await asyncio.wait_for(sim.run(asyncio.Event()), timeout=30)

    assert "centre" in caplog.text and "stops" in caplog.text
    assert not fake.orders


@pytest.mark.parametrize("hour", [7, 10, 15, 17, 23])
def test_appointments_are_two_hour_windows_ahead_in_china_time(hour: int) -> None:
    sim = _simulator(FakeBackend())
    now = datetime(2026, 11, 25, hour, 30, tzinfo=SHANGHAI)

    for _ in range(50):
        start, end = sim._crew.appointment_window(now)

        assert start.utcoffset() == timedelta(hours=8)
        assert end - start == timedelta(hours=2)
        assert start > now
        assert 9 <= start.hour <= 18
