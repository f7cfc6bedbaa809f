"""Who sees a customer's phone and address (core.orders.privacy): one rule for every route."""

from __future__ import annotations

import pytest

from core.orders.lifecycle import OrderState, Role
from core.orders.privacy import (
    ContactView,
    contact_view,
    mask_phone,
    shown_address,
    shown_phone,
    street_only,
)

S = OrderState


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.SYSTEM])
def test_desk_roles_that_call_and_send_people_see_the_full_contact(role: Role) -> None:
    assert contact_view(role, state=S.CLOSED) is ContactView.FULL


def test_finance_sees_the_contact_masked_even_on_open_orders() -> None:
    assert contact_view(Role.FINANCE, state=S.ASSIGNED) is ContactView.MASKED


@pytest.mark.parametrize("state,own,view", [
    (S.ASSIGNED, True, ContactView.FULL),
    (S.APPOINTED, True, ContactView.FULL),
    (S.CHECKED_IN, True, ContactView.FULL),
    # His visit is done: the order is history for him.
    (S.SERVED, True, ContactView.MASKED),
    (S.CLOSED, True, ContactView.MASKED),
    (S.CANCELLED, True, ContactView.MASKED),
    # Not his (a grab offer, or an order taken back from him).
    (S.ASSIGNED, False, ContactView.MASKED),
    (S.DISPATCHING, False, ContactView.MASKED),
])
def test_a_technician_sees_the_contact_only_while_his_visit_lies_ahead(
    state: OrderState, own: bool, view: ContactView
) -> None:
    assert contact_view(Role.TECHNICIAN, assigned_to_caller=own, state=state) is view


@pytest.mark.parametrize("phone,masked", [
    ("13812345678", "138****5678"),
    ("+86 138-1234-5678", "861****5678"),
    ("010-6512345", "010****2345"),
    ("12345", "****45"),
    ("", ""),
])
def test_phones_keep_the_prefix_and_last_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("address,street", [
    ("北京市朝阳区建国路88号SOHO现代城A座1203", "北京市朝阳区建国路"),
    ("朝阳区幸福小区五号楼三单元301", "朝阳区幸福小区"),
    ("上海市黄浦区南京东路100弄5号", "上海市黄浦区南京东路"),
    ("望京西园三区２２２号楼", "望京西园三区"),
    ("12 Chaoyang Road, flat 3", "Chaoyang Road flat"),
])
def test_addresses_stop_at_the_street(address: str, street: str) -> None:
    assert street_only(address) == street


def test_an_address_without_a_street_falls_back_to_the_county() -> None:
    assert street_only("", "朝阳区") == "朝阳区"


def test_the_full_view_shows_the_values_as_stored() -> None:
    assert shown_phone(ContactView.FULL, "13812345678") == "13812345678"
    assert shown_address(ContactView.FULL, "建国路88号") == "建国路88号"
    assert shown_phone(ContactView.MASKED, "13812345678") == "138****5678"
    assert shown_address(ContactView.MASKED, "建国路88号") == "建国路"
