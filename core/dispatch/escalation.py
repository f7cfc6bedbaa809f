"""Escalation rules: which orders go straight to a person, and what happens when time runs out."""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil

from core.dispatch import round_reasons as words
from core.dispatch.policy import RegionPolicy, Stage
from core.dispatch.round_model import (
    AFTER_SALES,
    DISPATCH_FAILED,
    REFUSED_TOO_OFTEN,
    TIMEOUT,
    UNCLAIMED,
    UNCOVERED,
    Decision,
    Escalate,
    Offer,
    OpenDispatch,
    WaitingOrder,
    Withdraw,
)
from core.orders.lifecycle import DispatchMode, OrderState, OrderTag, ServiceType

# An offer in a stage without a time limit stays open this long (a week) before it is renewed.
OPEN_ENDED_MINUTES = 7 * 24 * 60


def person_rule(order: WaitingOrder, policy: RegionPolicy) -> tuple[str, str] | None:
    """(code, reason) when the policy wants a person for this order whatever the mode."""
    if (order.service_type is ServiceType.AFTER_SALES
            and ServiceType.AFTER_SALES.value in policy.escalate):
        return AFTER_SALES, str(words.RULE_REASONS[AFTER_SALES])
    for tag in OrderTag:  # a fixed order, so two tags always give the same code
        if tag.value in order.tags and tag.value in policy.escalate:
            return tag.value, str(words.RULE_REASONS[tag.value])
    return None


def open_rule(order: WaitingOrder, policy: RegionPolicy, covered: bool | None,
              city_has_technician: bool) -> tuple[str, str] | None:
    """(code, reason) when an order must open as manual dispatch, else None."""
    if covered is False:
        return UNCOVERED, str(words.UNCOVERED_REGION)
    if not city_has_technician:
        return UNCOVERED, str(words.NO_TECHNICIAN_IN_CITY)
    return person_rule(order, policy)


def following(policy: RegionPolicy, mode: DispatchMode) -> Stage:
    """The stage after `mode`; a person when the policy has nothing later."""
    return policy.stage_after(mode) or Stage(DispatchMode.MANUAL)


def deadline(since: datetime | None, stage: Stage | None) -> datetime | None:
    if since is None or stage is None or stage.minutes is None:
        return None
    return since + timedelta(minutes=stage.minutes)


def refused_too_often(order: WaitingOrder, policy: RegionPolicy, extra: int = 0) -> bool:
    count = order.refusals + extra
    return count > 0 and count >= policy.max_refusals


def grab_due(order: WaitingOrder, policy: RegionPolicy, now: datetime) -> list[Decision]:
    """A grab-mode order: escalate when its offer (or stage) ran out, offer it when unoffered."""
    stage = policy.stage_of(DispatchMode.GRAB)
    minutes = stage.minutes if stage else None
    ends = (order.offer_expires if order.offer_open and order.offer_expires
            else deadline(order.dispatch_since, stage))
    if ends is not None and now >= ends:
        nxt = following(policy, DispatchMode.GRAB)
        return [Escalate(order.id, nxt.mode, UNCLAIMED, words.unclaimed(minutes, nxt.mode))]
    if order.offer_open:
        return []
    left = (OPEN_ENDED_MINUTES if ends is None
            else max(1, ceil((ends - now).total_seconds() / 60)))
    return [Offer(order.id, left)]


def timed_out(order: WaitingOrder, policy: RegionPolicy, name: str) -> list[Decision]:
    """An assignment nobody accepted in time: taken back, to the same stage or to a person."""
    minutes = policy.accept_minutes
    if order.pinned:
        # A person chose this technician; a person decides what happens next.
        return [Withdraw(order.id, TIMEOUT, DispatchMode.MANUAL,
                         words.pinned_timeout(name, minutes))]
    taken_back = Withdraw(order.id, TIMEOUT, None if order.mode is None else order.mode,
                          words.timeout(name, minutes))
    if refused_too_often(order, policy, extra=1):
        return [taken_back, Escalate(order.id, DispatchMode.MANUAL, REFUSED_TOO_OFTEN,
                                     words.refused_too_often(order.refusals + 1))]
    return [taken_back]


def failed(order_id: int, state: OrderState, mode: DispatchMode | None,
           error: str) -> Decision | None:
    """The round could not apply its decisions to this order: a person takes it, told why, so
    the order is not tried (and failed) again every round. None: it is with a person already,
    or out of dispatch."""
    reason = words.dispatch_failed(error)
    if state is OrderState.CLASSIFIED:
        return OpenDispatch(order_id, DispatchMode.MANUAL, reason, DISPATCH_FAILED)
    if state is OrderState.DISPATCHING and mode is not DispatchMode.MANUAL:
        return Escalate(order_id, DispatchMode.MANUAL, DISPATCH_FAILED, reason)
    if state is OrderState.ASSIGNED:
        # The round acts on an assignment only when it lapsed: taken back, to a person.
        return Withdraw(order_id, TIMEOUT, DispatchMode.MANUAL, reason)
    return None
