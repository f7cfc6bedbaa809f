"""Cannot complete: a reason that needs another visit by the same technician sends the order
back to him (ACCEPTED, the appointment cleared); any other sends it to a person at dispatch
(DISPATCHING in MANUAL mode, the technician cleared, the note saying why)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.orders import OrderState
from core.orders.commands import CannotComplete, command_for
from core.orders.errors import Forbidden, IllegalTransition, InvalidCommand, MissingReason
from core.orders.lifecycle import REVISIT_CODES, CannotCompleteCode, DispatchMode, Role
from core.orders.model import Actor
from core.text import split_words
from tests.unit.orders.test_lifecycle import ADMIN, T0, TECH, order_in

LATER = T0 + timedelta(hours=3)
OTHER_TECH = Actor("tech_hz_02", Role.TECHNICIAN, technician_id=8)
REVISIT = sorted(REVISIT_CODES)
DESK = sorted(set(CannotCompleteCode) - REVISIT_CODES)


@pytest.mark.parametrize("code", REVISIT)
@pytest.mark.parametrize("state", [OrderState.ACCEPTED, OrderState.APPOINTED,
                                   OrderState.CHECKED_IN])
def test_a_revisit_reason_goes_back_to_him_to_book_again(code: CannotCompleteCode,
                                                         state: OrderState) -> None:
    order = order_in(state)
    event = order.apply(CannotComplete(code), TECH, LATER, "客户临时出门")
    assert order.state is OrderState.ACCEPTED and order.technician_id == 7
    assert order.appointment_start is None and order.appointment_end is None
    assert event.from_state is state and event.to_state is OrderState.ACCEPTED
    assert event.data == {"code": code.value, "technician_id": 7}
    assert "to_state" not in event.data
    assert "appoint" in order.allowed(Role.TECHNICIAN)


@pytest.mark.parametrize("code", DESK)
def test_other_reasons_go_to_a_person_at_dispatch(code: CannotCompleteCode) -> None:
    order = order_in(OrderState.CHECKED_IN)
    event = order.apply(CannotComplete(code, note="需要电工先改线路"), TECH, LATER,
                        "无法完工：需要电工先改线路 (cannot complete)")
    assert order.state is OrderState.DISPATCHING
    assert order.technician_id is None and order.dispatch_mode is DispatchMode.MANUAL
    assert order.appointment_start is None and order.dispatch_since == LATER
    assert order.dispatch_note.startswith("师傅无法完工：")
    # His words quoted after both parts, never the event's bilingual reason nested inside it.
    system, words = split_words(order.dispatch_note) or ("", "")
    assert words == "需要电工先改线路" and "(cannot complete)" not in system
    assert system.split(" (", 1)[1].startswith("technician could not complete: ")
    assert event.data["previous_technician_id"] == 7 and event.data["mode"] == "manual"
    assert event.to_state is OrderState.DISPATCHING


def test_needs_a_reason_and_a_known_code() -> None:
    order = order_in(OrderState.CHECKED_IN)
    with pytest.raises(MissingReason):
        order.apply(CannotComplete("customer_absent"), TECH, LATER, " ")
    with pytest.raises(InvalidCommand):
        order.apply(CannotComplete("tired"), TECH, LATER, "不想去")
    with pytest.raises(InvalidCommand):
        command_for("cannot_complete", {})
    assert order.state is OrderState.CHECKED_IN and order.technician_id == 7


def test_only_his_own_order_and_only_before_the_work_is_done() -> None:
    order = order_in(OrderState.CHECKED_IN)
    with pytest.raises(Forbidden):
        order.apply(CannotComplete("other"), OTHER_TECH, LATER, "不是我的单")
    served = order_in(OrderState.SERVED)
    with pytest.raises(IllegalTransition):
        served.apply(CannotComplete("other"), TECH, LATER, "已经完工了")
    assert served.state is OrderState.SERVED


def test_the_desk_may_report_it_for_him() -> None:
    order = order_in(OrderState.APPOINTED)
    order.apply(CannotComplete("customer_declines"), ADMIN, LATER, "客户电话里说不装了")
    assert order.state is OrderState.DISPATCHING


def test_complete_records_the_backends_check_only_when_made() -> None:
    order = order_in(OrderState.CHECKED_IN)
    event = order.perform("complete", TECH, LATER, "")
    assert event.data == {}
    order = order_in(OrderState.CHECKED_IN)
    event = order.perform("complete", TECH, LATER, "", verification="incomplete",
                          verification_text="证据不全 (evidence incomplete)")
    assert event.data == {"verification": "incomplete",
                          "verification_text": "证据不全 (evidence incomplete)"}
