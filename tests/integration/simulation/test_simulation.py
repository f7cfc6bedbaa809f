"""The headless simulation: simulated days on SQLite through the real backend (the shared run,
conftest.py, and two small days of their own).

One line of JSON that adds up, the same line for the same seed (but the wall-time fields), days
of simulated time without sleeping, and a policy file that changes what dispatch does.
"""

from __future__ import annotations

from typing import Any

import pytest
from simulated_world import WORLD_PLAN, Simulated
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.field import BOOKING
from core.fieldwork.flags import FlagKind
from core.simulation.day import Plan
from core.simulation.report import STEPS
from core.simulation.run import WALL_FIELDS, simulate
from core.storage.fieldwork.appointments import AppointmentRecord
from core.storage.fieldwork.flags import flags_of

# A small day run twice for the replay (its own default review policy, a few cheats). A day's
# cost is mostly its rounds, not its orders: 8 orders still bring cheats (2) and follow-up
# calls (5), at about three quarters of 15 orders' time.
REPLAYED = Plan(days=1, orders_per_day=8, seed=5, fraud_share=0.3)


def _without_wall(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in WALL_FIELDS}


@pytest.fixture(scope="module")
def day(simulated: Simulated) -> dict[str, Any]:
    """The shared run's JSON line."""
    return simulated.summary


def test_the_summary_names_what_the_issue_asks_for(day: dict[str, Any]) -> None:
    for key in ("orders_by_state", "step_seconds", "dispatch_modes", "escalations", "refusals",
                "orders_per_second", "wall_seconds", "simulated_days", "seed"):
        assert key in day, key
    assert day["seed"] == 3 and day["simulated_days"] == 2 and day["database"] == "sqlite"
    assert set(day["step_seconds"]) == {f"{a}_to_{b}" for a, b in STEPS}
    assert set(day["dispatch_modes"]) == {"auto", "grab", "manual"}


def test_the_counts_add_up(day: dict[str, Any]) -> None:
    # One webhook per arrival.
    assert sum(day["arrivals"].values()) == WORLD_PLAN.days * WORLD_PLAN.orders_per_day
    assert sum(day["orders_by_state"].values()) == day["orders"] > 0
    placed = sum(m["orders"] for m in day["dispatch_modes"].values())
    assert 0 < placed <= day["orders"]
    assert sum(m["share"] for m in day["dispatch_modes"].values()) == pytest.approx(1, abs=1e-3)
    assert day["escalations"]["total"] == sum(day["escalations"]["by_code"].values())
    assert day["refusals"]["total"] == sum(day["refusals"]["by_code"].values())
    # Every accepted order was accepted once by its technician or claimed from the pool.
    accepted = day["step_seconds"]["created_to_accepted"]["n"]
    assert accepted <= day["actions"].get("accept", 0) + day["actions"].get("claim", 0)


def test_a_day_moves_orders_all_the_way_through(day: dict[str, Any]) -> None:
    served = day["step_seconds"]["created_to_served"]
    assert served["n"] > 0
    assert 0 < served["p50"] <= served["p90"] < 24 * 3600
    for step in day["step_seconds"].values():
        if step["n"]:
            assert 0 <= step["p50"] <= step["p90"]


def test_the_same_seed_gives_the_same_day() -> None:
    first, again = simulate(REPLAYED), simulate(REPLAYED)

    assert first["orders"] > 0 and first["fraud"]["fraudulent_orders"] > 0
    assert first["followups"]["calls"] > 0  # each new technician's first orders are called
    assert _without_wall(again) == _without_wall(first)


def test_a_simulated_day_never_sleeps(simulated: Simulated) -> None:
    day = simulated.summary
    assert day["orders"] > 0
    assert simulated.slept == []
    assert day["day_seconds"] < 24 * 3600 / 100  # far faster than the day it simulates


def test_a_policy_file_changes_how_orders_are_dispatched() -> None:
    # Everything straight to a person: no central assignment, no grab pool.
    manual = {"stages": [{"mode": "manual", "minutes": None}]}
    # At this size the default policy places more orders automatically than by hand (3 to 2).
    summary = simulate(Plan(days=1, orders_per_day=8, seed=3), policy=manual)
    assert summary["policy"] == manual
    assert "fraud" not in summary  # no share, no field
    modes = summary["dispatch_modes"]
    # Regions with a policy of their own (Sichuan's pool first) keep it.
    assert modes["manual"]["orders"] > modes["auto"]["orders"]
    # The stand-in agent placed them through the desk's handlers (needs-person, assign).
    assert summary["actions"]["manual_assign"] > 0


def test_a_fraud_share_counts_faked_and_honest_orders_against_the_truth(
        day: dict[str, Any]) -> None:
    summary = day
    fraud = summary["fraud"]

    assert set(fraud) == {"fraudulent_orders", "flagged_fraudulent", "honest_orders",
                          "flagged_honest"}
    assert fraud["fraudulent_orders"] > 0 and fraud["honest_orders"] > 0
    # Every order booked is one or the other, once (a booking comes before any check-in).
    counted = fraud["fraudulent_orders"] + fraud["honest_orders"]
    assert summary["actions"]["check_in"] <= counted <= summary["actions"]["appoint"]
    assert 0 < fraud["flagged_fraudulent"] <= fraud["fraudulent_orders"]
    assert fraud["flagged_honest"] <= fraud["honest_orders"]


def test_bookings_are_made_after_a_call_and_nobody_answering_is_a_contact_attempt(
        day: dict[str, Any]) -> None:
    bookings, actions = day["bookings"], day["actions"]

    assert bookings["booked"] == actions["appoint"] > 0
    assert bookings.get("unreached", 0) == actions.get("contact_attempt", 0) > 0


def test_every_booking_without_a_real_call_is_flagged_and_no_honest_one(
        simulated: Simulated) -> None:
    truth, engine = simulated.truth, simulated.engine
    faked = truth.faked_steps.get(BOOKING, set())
    with Session(engine) as session:
        booked = set(session.scalars(select(AppointmentRecord.order_id)))
        flagged = {order for order, flags in flags_of(session, sorted(booked)).items()
                   if any(f.kind is FlagKind.NO_CALL_APPOINTMENT for f in flags)}
        verdicts = dict(session.execute(select(AppointmentRecord.order_id,
                                               AppointmentRecord.call_verdict)).all())

    assert faked and booked - faked  # both kinds happened
    assert flagged == faked
    # The honest ones were judged on the call the provider pushed, through the binding made
    # when the order was accepted.
    assert {verdicts[o] for o in booked - faked} == {"real"}
