"""Typed lifecycle commands: one per action, applied through the same checks as `perform`."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta

import pytest

from core.orders import commands as c
from core.orders.errors import Forbidden, IllegalTransition, InvalidCommand, MissingReason
from core.orders.lifecycle import ACTIONS, OrderState, Role
from core.orders.model import Actor, ServiceOrder

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMIN)


def _order() -> ServiceOrder:
    return ServiceOrder.receive(ADMIN, T0, order_no="LM1", platform="tmall",
                                platform_order_id="1", customer_name="张伟",
                                customer_phone="13800138000", address="西湖区文三路 90 号")


def _dispatching() -> ServiceOrder:
    order = _order()
    for command in (c.Audit(), c.Place(county_adcode="330106"), c.Classify(service_type="install"),
                    c.OpenDispatch(mode="manual")):
        order.apply(command, ADMIN, T0)
    return order


def test_every_action_has_exactly_one_command() -> None:
    assert set(c.COMMANDS) == set(ACTIONS)
    assert all(cls.action == name for name, cls in c.COMMANDS.items())


def test_a_command_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        c.Assign(technician_id=7).technician_id = 8  # type: ignore[misc]


def test_apply_and_perform_record_the_same_event() -> None:
    typed, named = _dispatching(), _dispatching()
    due = T0 + timedelta(minutes=30)

    one = typed.apply(c.Assign(technician_id=7, technician_name="王师傅", pinned=True,
                               accept_by=due, terms={"distance": 0.5}), ADMIN, T0, "就近")
    two = named.perform("assign", ADMIN, T0, "就近", technician_id=7, technician_name="王师傅",
                        pinned=True, accept_by=due, terms={"distance": 0.5})

    assert (one.kind, one.to_state, one.data, one.reason) == (
        two.kind, two.to_state, two.data, two.reason)
    assert one.data["terms"] == {"distance": 0.5} and typed.accept_by == due


def test_apply_keeps_the_transition_tables_word() -> None:
    order = _order()
    with pytest.raises(IllegalTransition):
        order.apply(c.Accept(), ADMIN, T0)
    with pytest.raises(MissingReason):
        order.apply(c.Cancel(), ADMIN, T0, " ")
    with pytest.raises(Forbidden):
        order.apply(c.Audit(), Actor("fin", Role.FINANCE), T0)
    assert (order.state, order.version) == (OrderState.NEW, 1)


def test_mark_tells_a_cleared_price_from_one_left_alone() -> None:
    order = _dispatching()
    order.apply(c.Mark(grab_price_fen=5_000), ADMIN, T0, "加价")
    order.apply(c.Mark(tags=["vip"]), ADMIN, T0, "VIP")
    assert (order.grab_price_fen, order.tags) == (5_000, ["vip"])
    event = order.apply(c.Mark(grab_price_fen=None), ADMIN, T0, "取消加价")
    assert order.grab_price_fen is None and event.data["previous_grab_price_fen"] == 5_000


@pytest.mark.parametrize(("action", "args", "says"), [
    ("fly", {}, "unknown action 'fly'"),
    ("assign", {"technician": 7}, "unexpected arguments: technician"),
    ("assign", {}, "assign needs: technician id"),
    ("appoint", {"start": T0}, "appoint needs: end"),
    ("refuse", {"mode": "grab"}, "拒单不能指定下一步派单方式"),
])
def test_a_command_named_by_text_is_checked_against_its_class(
        action: str, args: dict[str, object], says: str) -> None:
    with pytest.raises(InvalidCommand, match=says):
        c.command_for(action, args)


def test_refuse_drops_an_empty_choice_the_wire_sent() -> None:
    assert c.command_for("refuse", {"code": "too_far", "mode": None}) == c.Refuse("too_far")
