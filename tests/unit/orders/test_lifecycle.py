"""Every lifecycle action: legal from its source states, refused with a clear error elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.orders import IllegalTransition, OrderState, ServiceOrder
from core.orders.dispatching import NOTE_LIMIT
from core.orders.errors import Forbidden, InvalidCommand, MissingReason
from core.orders.lifecycle import ACTIONS, Role, allowed_actions
from core.orders.model import Actor, OrderItem

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
AGENT = Actor("agent", Role.AGENT)
ADMIN = Actor("admin", Role.ADMIN)
TECH = Actor("tech_hz_01", Role.TECHNICIAN, technician_id=7)

ARGS: dict[str, dict[str, Any]] = {
    "place": {"county_adcode": "330106", "county_name": "西湖区", "lng": 120.13, "lat": 30.26},
    "classify": {"service_type": "install", "skills": ["aircon"]},
    "open_dispatch": {"mode": "manual"},
    "escalate": {"mode": "grab", "code": "central_exhausted"},
    "withdraw": {"code": "timeout"},
    "mark": {"tags": ["vip"]},
    "assign": {"technician_id": 7, "technician_name": "王师傅"},
    "appoint": {"start": T0 + timedelta(days=1), "end": T0 + timedelta(days=1, hours=2)},
    "cannot_complete": {"code": "customer_absent"},
}
HAPPY_PATH = [
    "audit", "place", "classify", "open_dispatch", "assign", "accept", "appoint", "check_in",
    "complete", "verify", "start_review", "pass_review", "settle", "close",
]


def new_order() -> ServiceOrder:
    return ServiceOrder.receive(
        ADMIN, T0, order_no="LM20261125000001", platform="tmall",
        platform_order_id="3829174650123456789", customer_name="张伟",
        customer_phone="13800138000", address="浙江省杭州市西湖区文三路 90 号",
        items=[OrderItem("AC-15", "空调挂机 1.5匹", 1, 329_900)],
    )


def order_in(state: OrderState) -> ServiceOrder:
    """An order walked along the happy path (or frozen/cancelled) until it reaches `state`."""
    order = new_order()
    if state is OrderState.FROZEN:
        order.perform("freeze", ADMIN, T0, "客户要求暂停")
        return order
    if state is OrderState.CANCELLED:
        order.perform("cancel", ADMIN, T0, "客户取消")
        return order
    for action in HAPPY_PATH:
        if order.state is state:
            break
        order.perform(action, ADMIN, T0, "step", **ARGS.get(action, {}))
    assert order.state is state
    return order


def test_happy_path_reaches_closed_with_one_event_per_step() -> None:
    order = new_order()
    for action in HAPPY_PATH:
        order.perform(action, ADMIN, T0, "", **ARGS.get(action, {}))
    assert order.state is OrderState.CLOSED
    kinds = [e.kind for e in order.pending_events]
    assert kinds == ["created", *HAPPY_PATH]
    assert [e.version for e in order.pending_events] == list(range(1, len(HAPPY_PATH) + 2))
    assert order.version == len(HAPPY_PATH) + 1


LEGAL = [(a.name, s) for a in ACTIONS.values() for s in sorted(a.sources)]
ILLEGAL = [
    (a.name, s) for a in ACTIONS.values() for s in OrderState if s not in a.sources
]


@pytest.mark.parametrize(("action", "state"), LEGAL)
def test_legal_transition_records_event(action: str, state: OrderState) -> None:
    order = order_in(state)
    version = order.version
    if action == "after_sales":
        child = order.open_after_sales(ADMIN, T0, "客户报修", "LM-AS-1")
        assert child.state is OrderState.DISPATCHING and child.service_type == "after_sales"
        assert order.state is state
        return
    args = dict(ARGS.get(action, {}))
    actor = ADMIN
    if action == "assign" and order.technician_id == 7:
        args["technician_id"] = 8  # reassign to someone else
    if action == "claim":  # only a technician, only from the grab pool
        order.perform("escalate", ADMIN, T0, "改为抢单", mode="grab")
        actor, args = TECH, {"technician_id": 7}
    if action == "unpin":
        order.perform("pin", ADMIN, T0, "")
    version = order.version
    event = order.perform(action, actor, T0 + timedelta(minutes=5), "因为", **args)
    expected = ACTIONS[action].target or order.state
    assert order.state is expected
    assert event.from_state is state and event.to_state is expected
    assert (event.actor, event.reason) == (actor.name, "因为")
    assert order.version == version + 1


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_illegal_transition_raises_and_changes_nothing(action: str, state: OrderState) -> None:
    order = order_in(state)
    before = (order.state, order.version, len(order.pending_events))
    actor = TECH if action == "claim" else ADMIN  # claim is a technician's action
    with pytest.raises(IllegalTransition) as err:
        order.perform(action, actor, T0, "因为", **ARGS.get(action, {}))
    assert f"'{action}' is not allowed in state '{state}'" in str(err.value)
    assert (order.state, order.version, len(order.pending_events)) == before


@pytest.mark.parametrize("action", [a.name for a in ACTIONS.values() if a.needs_reason])
def test_actions_that_need_a_reason_refuse_without_one(action: str) -> None:
    source = sorted(ACTIONS[action].sources)[0]
    order = order_in(source)
    with pytest.raises(MissingReason):
        order.perform(action, ADMIN, T0, "  ", **ARGS.get(action, {}))


def test_unfreeze_restores_the_state_before_freezing() -> None:
    order = order_in(OrderState.ACCEPTED)
    order.perform("freeze", AGENT, T0, "客户出差")
    assert order.state is OrderState.FROZEN and order.frozen_from is OrderState.ACCEPTED
    event = order.perform("unfreeze", AGENT, T0, "客户回来了")
    assert order.state is OrderState.ACCEPTED and event.to_state is OrderState.ACCEPTED
    assert order.frozen_from is None


def test_refusal_returns_to_dispatching_and_clears_the_technician() -> None:
    order = order_in(OrderState.ASSIGNED)
    order.perform("refuse", TECH, T0, "时间冲突")
    assert order.state is OrderState.DISPATCHING and order.technician_id is None


def test_technician_may_not_act_on_someone_elses_order() -> None:
    order = order_in(OrderState.ASSIGNED)
    other = Actor("tech_hz_02", Role.TECHNICIAN, technician_id=8)
    with pytest.raises(Forbidden):
        order.perform("accept", other, T0)


@pytest.mark.parametrize(("role", "action"), [
    (Role.FINANCE, "assign"), (Role.TECHNICIAN, "cancel"), (Role.AGENT, "settle"),
    (Role.TECHNICIAN, "verify"), (Role.SUPERVISOR, "close"),
])
def test_roles_outside_an_action_are_forbidden(role: Role, action: str) -> None:
    assert action not in allowed_actions(sorted(ACTIONS[action].sources)[0], role)
    order = order_in(sorted(ACTIONS[action].sources)[0])
    with pytest.raises(Forbidden):
        order.perform(action, Actor("x", role, technician_id=7), T0, "r", **ARGS.get(action, {}))


@pytest.mark.parametrize(("action", "args", "message"), [
    ("assign", {}, "technician id"),
    ("appoint", {"start": T0, "end": T0}, "end after"),
    ("appoint", {"start": T0.replace(tzinfo=None), "end": T0.replace(tzinfo=None)}, "time zone"),
    ("classify", {"service_type": "teleport"}, "unknown service type"),
    ("open_dispatch", {"mode": "psychic"}, "unknown dispatch mode"),
    ("accept", {"bogus": 1}, "unexpected arguments"),
])
def test_bad_arguments_are_refused_clearly(action: str, args: dict[str, Any], message: str) -> None:
    order = order_in(sorted(ACTIONS[action].sources)[0])
    with pytest.raises(InvalidCommand, match=message):
        order.perform(action, ADMIN, T0, "r", **args)


def test_after_sales_order_links_to_its_parent() -> None:
    order = order_in(OrderState.CLOSED)
    order.id = 41
    child = order.open_after_sales(AGENT, T0, "空调漏水", "LM20261125000099")
    assert child.parent_id == 41 and child.order_no == "LM20261125000099"
    assert child.pending_events[0].data == {"after_sales_of": order.order_no}
    assert order.pending_events[-1].kind == "after_sales"


def test_after_sales_reason_becomes_a_one_line_bounded_dispatch_note() -> None:
    order = order_in(OrderState.CLOSED)
    reason = "空调漏水\n客户下午在家" + "。" * 600
    child = order.open_after_sales(AGENT, T0, reason, "LM20261125000099")
    assert child.dispatch_note.startswith("空调漏水 客户下午在家")
    assert "\n" not in child.dispatch_note and len(child.dispatch_note) <= NOTE_LIMIT


def test_amount_is_integer_fen() -> None:
    assert new_order().amount_fen == 329_900
