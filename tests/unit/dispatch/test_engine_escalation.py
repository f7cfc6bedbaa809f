"""Escalation in the planner: opening, tags, grab expiry, acceptance timeouts and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_engine_support import NOW, order, snapshot, tech

from core.dispatch.engine import plan
from core.dispatch.round_model import (
    AFTER_SALES,
    POLICY,
    REFUSED_TOO_OFTEN,
    TIMEOUT,
    UNCLAIMED,
    UNCOVERED,
    Assign,
    Escalate,
    Offer,
    OpenDispatch,
    Withdraw,
)
from core.orders.lifecycle import DispatchMode, OrderState, ServiceType

CLASSIFIED = OrderState.CLASSIFIED
ASSIGNED = OrderState.ASSIGNED


def kinds(p) -> list[str]:
    return [type(d).__name__ for d in p.decisions]


def test_a_classified_order_opens_in_the_first_mode_and_is_assigned_in_the_same_round():
    result = plan(snapshot([order(1, state=CLASSIFIED, mode=None)], [tech(10)]))
    assert kinds(result) == ["OpenDispatch", "Assign"]
    opened = result.decisions[0]
    assert isinstance(opened, OpenDispatch)
    assert opened.mode is DispatchMode.AUTO and opened.code == ""
    assert opened.reason == "进入中心派单（5 分钟） (into central dispatch (5 min))"


@pytest.mark.parametrize(("fields", "code", "words"), [
    ({"tags": frozenset({"urgent"})}, "urgent", "加急订单"),
    ({"tags": frozenset({"vip"})}, "vip", "VIP"),
    ({"tags": frozenset({"incident"})}, "incident", "客诉/事故"),
    ({"tags": frozenset({"fee_change"})}, "fee_change", "费用有变更"),
    ({"service_type": ServiceType.AFTER_SALES}, AFTER_SALES, "售后订单"),
    ({"county": "330206"}, UNCOVERED, "本市没有在岗师傅"),
])
def test_escalation_rules_open_an_order_as_manual(fields, code, words):
    result = plan(snapshot([order(1, state=CLASSIFIED, mode=None, **fields)], [tech(10)]))
    (opened,) = result.decisions
    assert isinstance(opened, OpenDispatch)
    assert opened.mode is DispatchMode.MANUAL and opened.code == code
    assert words in opened.reason


def test_an_uncovered_county_opens_as_manual():
    result = plan(snapshot([order(1, state=CLASSIFIED, mode=None)], [tech(10)],
                           covered={"330106": False}))
    (opened,) = result.decisions
    assert isinstance(opened, OpenDispatch) and opened.code == UNCOVERED


def test_a_tag_the_policy_does_not_escalate_is_dispatched_centrally():
    body = {"escalate": ["vip"]}
    result = plan(snapshot([order(1, state=CLASSIFIED, mode=None, tags=frozenset({"urgent"}))],
                           [tech(10)], body=body))
    assert kinds(result) == ["OpenDispatch", "Assign"]


def test_a_policy_that_starts_manual_says_so():
    body = {"stages": [{"mode": "manual", "minutes": None}]}
    (opened,) = plan(snapshot([order(1, state=CLASSIFIED, mode=None)], [tech(10)],
                              body=body)).decisions
    assert isinstance(opened, OpenDispatch)
    assert opened.mode is DispatchMode.MANUAL and opened.code == POLICY


def test_a_policy_that_starts_with_grab_offers_the_order():
    body = {"stages": [{"mode": "grab", "minutes": 30}, {"mode": "manual", "minutes": None}]}
    result = plan(snapshot([order(1, state=CLASSIFIED, mode=None)], [tech(10)], body=body))
    assert kinds(result) == ["OpenDispatch"]
    assert result.decisions[0].mode is DispatchMode.GRAB  # the storage opens its offer


@pytest.mark.parametrize("mode", [DispatchMode.AUTO, DispatchMode.GRAB])
def test_marking_an_order_urgent_while_dispatching_sends_it_to_a_person(mode):
    result = plan(snapshot([order(1, mode=mode, tags=frozenset({"urgent"}))], [tech(10)]))
    (escalated,) = result.decisions
    assert isinstance(escalated, Escalate)
    assert escalated.mode is DispatchMode.MANUAL and escalated.code == "urgent"


def test_manual_orders_are_left_to_people():
    assert plan(snapshot([order(1, mode=DispatchMode.MANUAL)], [tech(10)])).decisions == []


def test_a_grab_order_without_an_offer_gets_one_for_the_time_left():
    result = plan(snapshot([order(1, mode=DispatchMode.GRAB, since_minutes=10)], [tech(10)]))
    assert result.decisions == [Offer(1, 20)]


def test_an_open_offer_in_time_is_left_alone():
    waiting = order(1, mode=DispatchMode.GRAB, offer_open=True,
                    offer_expires=NOW + timedelta(minutes=3))
    assert plan(snapshot([waiting], [tech(10)])).decisions == []


def test_an_expired_offer_escalates_to_a_person():
    expired = order(1, mode=DispatchMode.GRAB, since_minutes=31, offer_open=True,
                    offer_expires=NOW - timedelta(minutes=1))
    (escalated,) = plan(snapshot([expired], [tech(10)])).decisions
    assert isinstance(escalated, Escalate)
    assert escalated.code == UNCLAIMED and escalated.mode is DispatchMode.MANUAL
    assert escalated.reason == ("抢单池 30 分钟无人接单，转人工派单 (nobody claimed it in the "
                                "grab pool in 30 min; to manual dispatch)")


def _late(**fields):
    return order(1, state=ASSIGNED, technician_id=10, accept_by=NOW - timedelta(seconds=1),
                 **fields)


def test_a_timeout_takes_the_order_back_and_gives_it_to_someone_else():
    result = plan(snapshot([_late()], [tech(10), tech(11, 0.05)]))
    withdraw, assign = result.decisions
    assert isinstance(withdraw, Withdraw) and isinstance(assign, Assign)
    assert withdraw.code == TIMEOUT and withdraw.mode is DispatchMode.AUTO
    assert withdraw.reason == ("师傅师傅10 30 分钟内未接单，收回重新派单 (technician 师傅10 did "
                              "not accept within 30 min; taken back to dispatch again)")
    assert assign.technician_id == 11


def test_an_assignment_still_in_time_is_left_alone():
    waiting = order(1, state=ASSIGNED, technician_id=10, accept_by=NOW + timedelta(minutes=1))
    assert plan(snapshot([waiting], [tech(10)])).decisions == []


def test_a_pinned_timeout_goes_to_a_person():
    (withdraw,) = plan(snapshot([_late(pinned=True)], [tech(10), tech(11)])).decisions
    assert isinstance(withdraw, Withdraw)
    assert withdraw.mode is DispatchMode.MANUAL and withdraw.code == TIMEOUT
    assert "由人指定" in withdraw.reason


def test_the_timeout_that_reaches_max_refusals_goes_to_a_person():
    withdraw, escalated = plan(snapshot([_late(refusals=1)], [tech(10), tech(11)])).decisions
    assert isinstance(withdraw, Withdraw) and withdraw.mode is DispatchMode.AUTO
    assert isinstance(escalated, Escalate)
    assert escalated.code == REFUSED_TOO_OFTEN and escalated.mode is DispatchMode.MANUAL
    assert escalated.reason == ("已被拒单或超时未接 2 次，转人工派单 "
                                "(refused or let lapse 2 times; to manual dispatch)")


def test_a_grab_order_timing_out_goes_back_to_the_pool():
    (withdraw,) = plan(snapshot([_late(mode=DispatchMode.GRAB)], [tech(10)])).decisions
    assert isinstance(withdraw, Withdraw) and withdraw.mode is DispatchMode.GRAB


@pytest.mark.parametrize(("refusals", "limit", "escalates"), [
    (1, 2, False), (2, 2, True), (3, 2, True), (0, 0, False), (1, 0, True),
])
def test_refused_orders_escalate_at_the_policy_limit(refusals, limit, escalates):
    refused = order(1, refusals=refusals, excluded=frozenset({10}) if refusals else frozenset())
    result = plan(snapshot([refused], [tech(10), tech(11)], body={"max_refusals": limit}))
    if escalates:
        (escalated,) = result.decisions
        assert isinstance(escalated, Escalate) and escalated.code == REFUSED_TOO_OFTEN
    else:
        (assign,) = result.decisions
        assert isinstance(assign, Assign)
        assert assign.technician_id == (11 if refusals else 10)
