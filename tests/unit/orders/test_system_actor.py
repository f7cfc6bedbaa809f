"""The backend's own actors (intake, dispatcher) act with Role.SYSTEM, not as an admin: they
may take the automatic intake and dispatch steps, verify an order whose evidence is complete
and run its review period, and nothing a person decides."""

from __future__ import annotations

import pytest

from core.orders.lifecycle import ACTIONS, Role

AUTOMATIC = {"audit", "place", "classify", "open_dispatch", "escalate", "assign", "withdraw",
             "cancel", "verify", "start_review", "pass_review"}


def test_the_system_role_may_take_exactly_the_automatic_steps() -> None:
    assert {name for name, a in ACTIONS.items() if Role.SYSTEM in a.roles} == AUTOMATIC


@pytest.mark.parametrize("action", ["settle", "close", "freeze", "unfreeze",
                                    "after_sales", "accept", "claim", "pin"])
def test_what_people_decide_is_not_the_systems(action: str) -> None:
    assert Role.SYSTEM not in ACTIONS[action].roles
