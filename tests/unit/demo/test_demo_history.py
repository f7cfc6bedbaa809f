"""The demo backlog's past: a realistic spread of states, reached by legal, well-timed steps."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.language import split
from core.demo import wording
from core.demo.backlog import MIX, quotas
from core.demo.clock import APPOINTMENT_HOURS, SHANGHAI
from core.demo.dataset import DemoDataset, build
from core.demo.history import Hand, History, play
from core.geo.regions import load_regions
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, OrderEvent, ServiceOrder

S = OrderState
FIELD_ACTIONS = {"accept", "refuse", "appoint", "check_in", "complete"}
BUSY = {S.ASSIGNED, S.ACCEPTED, S.APPOINTED, S.CHECKED_IN}
# Evening, small hours and morning in China: the mix must hold whenever the demo starts.
NOWS = [
    datetime(2026, 11, 25, 13, 10, tzinfo=UTC),
    datetime(2026, 11, 25, 19, 30, tzinfo=UTC),
    datetime(2026, 11, 26, 2, 0, tzinfo=UTC),
]


def _numbering() -> Any:
    counter = itertools.count(1)
    return lambda at: f"LM{at.astimezone(SHANGHAI):%Y%m%d}{next(counter):06d}"


def _play(dataset: DemoDataset, now: datetime) -> tuple[History, list[Hand]]:
    staff = [Hand(i + 1, t) for i, t in enumerate(dataset.technicians)]
    assert dataset.history_seed is not None
    return play(dataset.orders, staff, now, dataset.history_seed, _numbering()), staff


@pytest.fixture(scope="module", params=NOWS, ids=["evening", "night", "morning"])
def played(request: pytest.FixtureRequest) -> tuple[History, list[Hand], datetime]:
    now: datetime = request.param
    history, staff = _play(build(seed=7, orders=300), now)
    return history, staff, now


def _all(history: History) -> list[ServiceOrder]:
    return history.orders + [child for _, child in history.after_sales]


def _arguments(event: OrderEvent) -> dict[str, Any]:
    data = event.data
    match event.kind:
        case "place":
            return {"county_adcode": data["county_adcode"], "county_name": data["county_name"]}
        case "classify":
            return {"service_type": data["service_type"], "skills": data["skills"]}
        case "open_dispatch":
            return {"mode": data["mode"]}
        case "escalate":
            return {"mode": data["mode"], "code": data["code"]}
        case "assign":
            return {"technician_id": data["technician_id"],
                    "technician_name": data["technician_name"]}
        case "appoint":
            return {"start": datetime.fromisoformat(data["start"]),
                    "end": datetime.fromisoformat(data["end"])}
        case "after_sales":
            return {"order_no": data["after_sales_order_no"]}
    return {}


def replay(events: list[OrderEvent], staff: list[Hand]) -> ServiceOrder:
    """Apply the recorded events to a blank order through the rules; raises if one is illegal."""
    ids = {h.profile.username: h.id for h in staff}
    created = events[0]
    order = ServiceOrder("x", "p", "x", "c", "1", "a", created.at, state=created.to_state,
                         version=created.version)
    for event in events[1:]:
        role = Role(event.actor_role)
        actor = Actor(event.actor, role, ids[event.actor] if role is Role.TECHNICIAN else None)
        order.perform(event.kind, actor, event.at, event.reason, **_arguments(event))
    return order


def test_every_major_state_is_present_in_roughly_the_planned_shares(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played
    # Orders left verified for seeding to begin their review period count as in review.
    reviewed = {index for index, _ in history.reviews}
    states = Counter(S.IN_REVIEW if i in reviewed else o.state
                     for i, o in enumerate(history.orders))
    assert all(history.orders[i].state is S.VERIFIED for i in reviewed)
    share = {s: n / len(history.orders) for s, n in states.items()}

    assert {state for state, _ in MIX} <= set(states)
    assert 0.08 <= sum(share.get(s, 0) for s in (S.NEW, S.AUDITED, S.PLACED, S.CLASSIFIED)) <= 0.25
    assert 0.10 <= share[S.DISPATCHING] <= 0.25
    assert 0.25 <= sum(share[s] for s in BUSY) <= 0.45
    assert 0.25 <= sum(share.get(s, 0) for s in (
        S.SERVED, S.VERIFIED, S.IN_REVIEW, S.SETTLEABLE, S.SETTLED, S.CLOSED)) <= 0.50


def test_every_timeline_replays_through_the_rules_to_the_stored_order(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, staff, _ = played
    for order in _all(history):
        again = replay(order.pending_events, staff)

        assert (again.state, again.version, again.technician_id, again.frozen_from) == (
            order.state, order.version, order.technician_id, order.frozen_from)
        assert (again.appointment_start, again.appointment_end) == (
            order.appointment_start, order.appointment_end)


def test_fieldwork_is_done_by_the_assigned_technician(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, staff, _ = played
    username = {h.id: h.profile.username for h in staff}
    field_steps = 0
    for order in history.orders:
        assigned = None
        for event in order.pending_events:
            if event.kind == "assign":
                assigned = username[event.data["technician_id"]]
            elif event.kind in FIELD_ACTIONS:
                field_steps += 1
                assert (event.actor, event.actor_role) == (assigned, "technician")
    assert field_steps > 200


def test_desk_steps_are_taken_by_the_roles_that_do_them(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played
    by_kind: dict[str, set[str]] = {}
    for event in (e for o in _all(history) for e in o.pending_events):
        by_kind.setdefault(event.kind, set()).add(event.actor)

    for kind in ("audit", "place", "classify"):
        assert by_kind[kind] == {"intake"}
    assert by_kind["open_dispatch"] == {"dispatcher"}
    assert by_kind["assign"] == {"dispatcher", "agent"}
    assert by_kind["verify"] | by_kind["start_review"] <= {"agent", "supervisor"}
    assert by_kind["pass_review"] == {"supervisor"}
    assert by_kind["settle"] == by_kind["close"] == {"finance"}


def test_times_increase_along_each_order_and_lie_in_the_past(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, now = played
    for order in _all(history):
        times = [e.at for e in order.pending_events]

        assert times == sorted(times) and len(set(times)) == len(times)
        assert now - timedelta(days=3) <= times[0] and times[-1] < now
        assert order.created_at == times[0] == min(times)
        assert order.state_changed_at is not None and order.state_changed_at <= now


def test_arrivals_are_denser_towards_now(played: tuple[History, list[Hand], datetime]) -> None:
    history, _, now = played
    ages = [now - o.created_at for o in history.orders]

    last_day = sum(age <= timedelta(days=1) for age in ages)
    first_day = sum(age > timedelta(days=2) for age in ages)
    assert last_day > 1.5 * first_day > 0


def test_appointments_are_two_hour_windows_in_china_time(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, now = played
    for order in history.orders:
        if order.appointment_start is None or order.appointment_end is None:
            continue
        local = order.appointment_start.astimezone(SHANGHAI)

        assert order.appointment_end - order.appointment_start == timedelta(hours=2)
        assert local.hour in APPOINTMENT_HOURS and local.minute == 0
        if order.state is S.APPOINTED:
            assert order.appointment_start > now  # booked visits still to come
        if order.state is S.CHECKED_IN:
            assert order.appointment_start < now


def test_assignments_respect_skills_city_and_capacity(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, staff, _ = played
    regions = load_regions()
    hands = {h.id: h.profile for h in staff}
    for order in history.orders:
        for event in (e for e in order.pending_events if e.kind == "assign"):
            tech = hands[event.data["technician_id"]]

            assert set(order.skills) <= set(tech.skills)
            assert regions.city_of(tech.county_adcode) == regions.city_of(order.county_adcode or "")
    load = Counter(o.technician_id for o in history.orders if o.state in BUSY)
    assert load and all(n < hands[t].daily_capacity for t, n in load.items() if t is not None)


def test_refusals_cancellations_freezes_and_after_sales_say_why_in_chinese(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played
    events = [e for o in _all(history) for e in o.pending_events]
    reasons = {kind: {e.reason for e in events if e.kind == kind}
               for kind in ("created", "refuse", "cancel", "freeze", "after_sales")}

    assert wording.RECEIVED in reasons["created"]
    assert reasons["refuse"] and reasons["refuse"] <= set(wording.REFUSE_REASONS)
    assert reasons["cancel"] == {wording.CANCELLED}
    assert reasons["freeze"] == {wording.FROZEN}
    assert reasons["after_sales"] == {wording.AFTER_SALES}
    assert all(e.reason for e in events)


def test_the_backends_own_steps_say_why_in_both_languages(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played
    system = {e.reason for o in _all(history) for e in o.pending_events
              if e.actor_role == Role.SYSTEM.value}

    assert system and all(split(reason) for reason in system), sorted(
        r for r in system if not split(r))


def test_after_sales_orders_wait_for_an_agent_and_point_at_their_original(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played

    assert len(history.after_sales) == 2
    for index, child in history.after_sales:
        original = history.orders[index]
        assert original.state in (S.SETTLED, S.CLOSED) and "aircon" in original.skills
        assert child.state is S.DISPATCHING and child.dispatch_mode == "manual"
        assert child.pending_events[0].data == {"after_sales_of": original.order_no}
        assert original.pending_events[-1].data == {"after_sales_order_no": child.order_no}


def test_the_same_seed_and_time_give_the_same_history() -> None:
    now = NOWS[0]

    first, _ = _play(build(seed=7, orders=60), now)
    second, _ = _play(build(seed=7, orders=60), now)

    assert first == second


@pytest.mark.parametrize("n", [1, 3, 12, 300])
def test_quotas_add_up_and_always_leave_a_new_order(n: int) -> None:
    counts = dict(quotas(n))

    assert sum(counts.values()) == n
    assert counts[S.NEW] >= 1


def test_in_a_small_backlog_the_newest_order_is_still_new() -> None:
    history, _ = _play(build(seed=7, orders=12), NOWS[0])

    assert history.orders[-1].state is S.NEW
    assert history.after_sales == []


def test_backlog_orders_left_to_a_person_say_why(
    played: tuple[History, list[Hand], datetime],
) -> None:
    history, _, _ = played
    manual = [o for o in history.orders
              if o.state is S.DISPATCHING and o.dispatch_mode == "manual"]

    assert manual
    for order in manual:
        escalated = [e for e in order.pending_events if e.kind == "escalate"][-1]
        assert (escalated.actor, escalated.data["mode"]) == ("dispatcher", "manual")
        assert (escalated.data["code"], escalated.reason) in wording.BACKLOG_ESCALATIONS
        assert order.dispatch_note == escalated.reason
