"""Who sees a customer's phone and address: one rule, applied wherever orders leave the server.

Desk roles that call and send people (agent, supervisor, admin) need the full contact. Finance
needs to know which order a payment belongs to, not where the customer lives: it sees the
phone as 138****5678 and the address down to the street. A technician needs the contact while
the visit lies ahead on an order assigned to him; once it is done, or when the order is not
his, he sees the same masked form (the grab pool shows the street before a claim).
"""

from __future__ import annotations

import re
from enum import StrEnum

from core.orders.lifecycle import OrderState, Role

# The states in which the technician still has to reach the customer.
FIELD_STATES = frozenset({
    OrderState.ASSIGNED, OrderState.ACCEPTED, OrderState.APPOINTED, OrderState.CHECKED_IN,
})
_FULL_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.SYSTEM})
# Where the door begins: a digit, '#', or a Chinese-numeral house/building number.
_DOOR = re.compile(r"[0-9０-９#＃]|[零〇一二两三四五六七八九十百千]*[号弄栋幢]")
_TRAILING = " ,，、.-—(（"


class ContactView(StrEnum):
    FULL = "full"
    MASKED = "masked"


def contact_view(role: Role, *, assigned_to_caller: bool = False,
                 state: OrderState | None = None) -> ContactView:
    """How much of the customer's contact this caller sees on this order."""
    if role in _FULL_ROLES:
        return ContactView.FULL
    if role is Role.TECHNICIAN and assigned_to_caller and state in FIELD_STATES:
        return ContactView.FULL
    return ContactView.MASKED


def mask_phone(phone: str) -> str:
    """138****5678: the carrier prefix and the last four digits, enough to tell orders apart."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 8:
        return "****" + digits[-2:] if digits else ""
    return f"{digits[:3]}****{digits[-4:]}"


def street_only(address: str, county_name: str = "") -> str:
    """The address down to the street: no house, building or room number."""
    text = (address or "").strip()
    match = _DOOR.search(text)
    street = (text[: match.start()] if match else text).rstrip(_TRAILING)
    if not street:
        # Latin-style "12 Chaoyang Road, flat 3": keep the words without digits.
        words = [w for w in re.split(r"[\s,，]+", text)
                 if w and not any(c.isdigit() for c in w)]
        street = " ".join(words[:4])
    return street or county_name


def shown_phone(view: ContactView, phone: str) -> str:
    return phone if view is ContactView.FULL else mask_phone(phone)


def shown_address(view: ContactView, address: str, county_name: str = "") -> str:
    return address if view is ContactView.FULL else street_only(address, county_name)


# A point shown to a caller who may not see the door: two decimals (about 1 km), the
# neighbourhood as street_only gives the street.
MASKED_POINT_DECIMALS = 2


def shown_point(view: ContactView, lng: float | None,
                lat: float | None) -> tuple[float | None, float | None]:
    """The order's point as this caller may see it: exact, or rounded to about a kilometre."""
    if view is ContactView.FULL or lng is None or lat is None:
        return lng, lat
    return round(lng, MASKED_POINT_DECIMALS), round(lat, MASKED_POINT_DECIMALS)


def order_visible(role: Role, caller_technician_id: int | None,
                  assigned_technician_id: int | None) -> bool:
    """Technicians see only the orders assigned to them; desk roles see every order."""
    return role is not Role.TECHNICIAN or (
        assigned_technician_id is not None and assigned_technician_id == caller_technician_id)
