"""Demo Taobao trades as `taobao.trade.fullinfo.get` returns them.

One order is one fullinfo response; several are a `taobao.trades.sold.increment.get` page. An
address change is the TMC message `taobao_trade_TradeLogisticsAddressChanged` with the trade our
relay fetched beside it (then a batch is a JSON list of such envelopes). A cancel is a trade
closed by Taobao; refunded lines carry refund_status SUCCESS (all of them when none is marked).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.intake.adapters import _top
from core.intake.adapters.taobao import ADDRESS_CHANGED, PAGE_RESPONSES, TRADE_RESPONSES
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

CONTENT_TYPE = "application/json;charset=utf-8"


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    data: Any
    if len(orders) == 1:
        data = _envelope(orders[0])
    elif any(order.intent is Intent.UPDATE for order in orders):
        data = [_envelope(order) for order in orders]
    else:
        data = {PAGE_RESPONSES[1]: {"total_results": len(orders), "has_next": False,
                                    "trades": {"trade": [_trade(order) for order in orders]}}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), CONTENT_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    return _top.signed_request(body, secret, now, "hmac-sha256")


def _envelope(order: PlatformOrder) -> dict[str, Any]:
    response = {"trade": _trade(order), "request_id": "demo"}
    if order.intent is not Intent.UPDATE:
        return {TRADE_RESPONSES[0]: response}
    notice = {"tid": _number(order.platform_order_id), "seller_nick": order.shop}
    return {"topic": ADDRESS_CHANGED, "content": json.dumps(notice, ensure_ascii=False),
            TRADE_RESPONSES[0]: response}


def _trade(order: PlatformOrder) -> dict[str, Any]:
    tid = order.platform_order_id
    refund_all = order.intent is Intent.REFUND and not any(line.refunded for line in order.lines)
    lines = [_order(line, f"{tid}{index:02d}", refund_all)
             for index, line in enumerate(order.lines, start=1)]
    paid = order.paid_fen if order.paid_fen is not None else sum(
        line.unit_price_fen * line.quantity for line in order.lines)
    trade: dict[str, Any] = {
        "tid": _number(tid),
        "tid_str": tid,
        "status": "TRADE_CLOSED_BY_TAOBAO" if order.intent is Intent.CANCEL
        else "WAIT_SELLER_SEND_GOODS",
        "type": "fixed",
        "seller_nick": order.shop,
        "receiver_name": order.customer_name,
        "receiver_mobile": order.customer_phone,
        "receiver_state": order.province,
        "receiver_city": order.city,
        "receiver_district": order.district,
        "receiver_town": order.town,
        "receiver_address": order.address,
        "payment": _top.yuan(paid),
        "buyer_memo": order.note,
        "orders": {"order": lines},
    }
    services = _services(order, lines)
    if services:
        trade["service_orders"] = {"service_order": services}
    for key, moment in (("created", order.ordered_at), ("pay_time", order.ordered_at),
                        ("modified", order.modified_at or order.ordered_at)):
        if moment is not None:
            trade[key] = _top.beijing(moment)
    return trade


def _order(line: PlatformLine, fallback_oid: str, refund_all: bool) -> dict[str, Any]:
    oid = line.line_id or fallback_oid
    return {
        "oid": _number(oid),
        "oid_str": oid,
        "outer_sku_id": line.sku,
        "outer_iid": line.sku,
        "title": line.name,
        "num": line.quantity,
        "price": _top.yuan(0 if line.gift else line.unit_price_fen),
        "payment": _top.yuan(line.unit_price_fen * line.quantity),
        "total_fee": _top.yuan(line.unit_price_fen * line.quantity),
        "is_free_gift": line.gift,
        "refund_status": "SUCCESS" if line.refunded or refund_all else "NO_REFUND",
        "status": "WAIT_SELLER_SEND_GOODS",
    }


def _services(order: PlatformOrder, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Service sub-orders: one per service word, tied to its item (item_oid) when it has one."""
    services: list[dict[str, Any]] = []
    for line, rendered in zip(order.lines, lines, strict=True):
        services.extend({"title": tag, "item_oid": rendered["oid"], "num": 1}
                        for tag in line.service_tags)
    services.extend({"title": tag, "num": 1} for tag in order.service_tags)
    return services


def _number(value: str) -> int | str:
    """TOP ids are numbers; a demo id that is not one stays text."""
    return int(value) if value.isdigit() and len(value) < 19 else value
