"""A platform's later word on orders it sent: what an update changes, whether a cancel cancels,
and when a message is too late to apply. Pure rules on plain data; the intake handlers
(core.services.intake) load the orders, apply what these say and store the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.intake.adapters._fields import SHANGHAI
from core.intake.model import Placement, PlatformOrder
from core.orders.lifecycle import CANCELLABLE, OrderState
from core.text import around, both, with_words

CONTACT_FIELDS = ("customer_name", "customer_phone", "address")
# How the timeline names a changed field, in Chinese and in English.
FIELD_LABELS = {"customer_name": "姓名", "customer_phone": "电话", "address": "地址"}
FIELD_LABELS_EN = {"customer_name": "name", "customer_phone": "phone", "address": "address"}


def contact_of(source: PlatformOrder) -> dict[str, str]:
    """The contact fields the platform gave (an empty one is not given, so not a change)."""
    return {name: value for name in CONTACT_FIELDS if (value := getattr(source, name))}


def contact_changed(current: Mapping[str, Any], source: PlatformOrder) -> bool:
    """Whether the platform's contact differs from the order's (a re-sent NEW of a pull
    platform, which flags no updates, is then taken as an update)."""
    return any(current.get(name) != value for name, value in contact_of(source).items())


def wanted_fields(source: PlatformOrder, place: Placement) -> dict[str, Any]:
    """What an update asks of the order: the contact given, and the place when it is known."""
    wanted: dict[str, Any] = dict(contact_of(source))
    if place.adcode:
        wanted.update(province=place.province[:32], city=place.city[:32],
                      county_adcode=place.adcode, county_name=place.county[:64],
                      lng=place.lng, lat=place.lat)
    return wanted


def update_note(label: str, platform: str, changes: Mapping[str, Any]) -> str:
    """The timeline's line for an applied update: which contact fields changed."""
    names = "、".join(FIELD_LABELS[k] for k in changes if k in FIELD_LABELS)
    english = ", ".join(FIELD_LABELS_EN[k] for k in changes if k in FIELD_LABELS_EN)
    return both(f"{label}平台更新了订单：{names or '地址定位'}",
                f"{platform} updated the order: {english or 'the address location'}")


def signed_for(source: PlatformOrder, heard: datetime) -> datetime | None:
    """When the first-contact clock starts for the goods signed for: the platform's time, never
    later than when the platform told it (a platform clock running ahead would otherwise start
    it in the future), or None when the message says nothing of signing."""
    if source.goods_signed_at is None:
        return None
    return min(source.goods_signed_at, heard)


def signed_note(label: str, signed: datetime) -> str:
    """The timeline's line for the goods signed for."""
    return f"{label}平台：客户已签收货物 {_shown(signed)} (the customer signed for the goods)"


class CancelVerdict(StrEnum):
    ALREADY = "already"  # cancelled before: nothing to do
    CANCEL = "cancel"  # cancel the service order
    FLAG = "flag"  # keep a note for a person: it cannot be cancelled automatically


@dataclass(frozen=True)
class CancelDecision:
    verdict: CancelVerdict
    note: str = ""  # for FLAG: what the agents read on the order


def cancel_or_flag(state: OrderState, purchases: int, why: str,
                   platform_order_id: str) -> CancelDecision:
    """What a platform's cancel (or full refund) does to one service order made from it.

    A trade and its work card are one purchase: either one's cancel cancels the order. An order
    merged from several purchases keeps the others' part, for a person to check; an order past
    the states a cancel may leave is flagged, not cancelled (a technician may be on the way).
    """
    if state is OrderState.CANCELLED:
        return CancelDecision(CancelVerdict.ALREADY)
    if purchases > 1:
        return CancelDecision(CancelVerdict.FLAG, around(
            why, (f"合并单中的平台订单 {platform_order_id} ",
                  f"merged order, platform order {platform_order_id}: "),
            ("，其余部分仍有效，请人工核对", "; the rest still holds, please check it by hand")))
    if state in CANCELLABLE:
        return CancelDecision(CancelVerdict.CANCEL)
    return CancelDecision(CancelVerdict.FLAG, around(
        why, after=(f"，但服务单已到「{state.value}」，不能自动取消，请人工处理",
                    f", but the service order is {state.value} already: it cannot be "
                    "cancelled automatically, please handle it by hand")))


def cancel_reason(label: str, source: PlatformOrder) -> str:
    """The cancel's reason: the platform cancelled, quoting its note (or status) as it said it."""
    return with_words(both(f"{label}平台取消了订单", f"cancelled on {source.platform}"),
                      source.note or source.status)


def _shown(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def late_reason(sent: datetime | None, taken: datetime | None) -> str | None:
    """Why a message changed on the platform at `sent` is not applied when its platform order
    already took one changed at `taken`, or None when it is not late.

    Platforms push and re-send out of order (retries, several relays, a pull overlapping a
    push), so an update changed at 10:00 may arrive after one changed at 10:05; applying it
    would put the older address or phone back.
    """
    if sent is None or taken is None or sent >= taken:
        return None
    old, new = _shown(sent), _shown(taken)
    return (f"过时的平台消息：平台修改时间 {old} 早于已采用的 {new}，未应用 "
            f"(stale: changed on the platform at {old}, before the {new} already taken; "
            "not applied)")
