"""Which open orders need a person now, and why: the one rule the queue, the dispatch desk's
list (core.storage.dispatch.desk.manual_orders) and the console's marker all follow.

An order needs a person while it waits for dispatch in manual mode. Every road there ends in
manual mode: an escalation, no eligible candidate, refusals or timeouts, a region's policy for
VIP or urgent orders, or a dispatcher choosing manual; the order's dispatch note says which.
Orders dispatching automatically or in the grab pool are being placed without anyone.
"""

from __future__ import annotations

from core.orders.lifecycle import DispatchMode, OrderState

NEEDS_PERSON_STATE = OrderState.DISPATCHING
NEEDS_PERSON_MODE = DispatchMode.MANUAL


def needs_person(state: str, dispatch_mode: str | None) -> bool:
    """True for an order only a person can move on (raw wire values or the enums)."""
    return state == NEEDS_PERSON_STATE.value and dispatch_mode == NEEDS_PERSON_MODE.value
