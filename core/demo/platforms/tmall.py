"""Demo Tmall service work cards as TMC pushes (`tmall_fuwu_WorkcardInfo` / `...StatusUpdate`).

One order is one message, as a push relay posts it; several are a `taobao.tmc.messages.consume`
page. A work card is for one item: the first line that is not a gift (platforms open no card for
a gift); other lines have no place on the card. A cancel or a refund is a status message with
action cancel (a refunded service is a cancelled card). An update is the card re-sent, modified
well after it was created (the adapter's rule); it carries gmtSign once the goods are signed for.
An urge (催单) is a `tmall_fuwu_WorkcardUrge` message.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.intake.adapters import _top
from core.intake.adapters.tmall import TOPIC_INFO, TOPIC_STATUS, TOPIC_URGE, UPDATE_AFTER
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

CONTENT_TYPE = "application/json;charset=utf-8"
TP_ID = 2191428291  # the service provider (服务商) the demo cards are assigned to
TASK_ACTIVE = 1  # 生效, in tmall.servicecenter.workcard.status.update's list of task states
TASK_CANCELLED = 12  # 撤销


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    messages = [_message(order) for order in orders]
    data: Any = messages[0] if len(messages) == 1 else {
        _top.TMC_CONSUME: {"messages": {"tmc_message": messages}, "request_id": "demo"}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), CONTENT_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    return _top.signed_request(body, secret, now, "md5")


def _message(order: PlatformOrder) -> dict[str, Any]:
    if order.intent in (Intent.CANCEL, Intent.REFUND):
        topic, content = TOPIC_STATUS, _cancel(order)
    elif order.intent is Intent.URGE:
        topic, content = TOPIC_URGE, _urge(order)
    else:
        topic, content = TOPIC_INFO, {"result": json.dumps(_card(order), ensure_ascii=False)}
    message: dict[str, Any] = {
        "content": json.dumps(content, ensure_ascii=False),
        "id": f"4091{zlib.crc32(f'{topic}{order.platform_order_id}'.encode()):012d}",
        "pub_app_key": _top.DEMO_APP_KEY,
        "topic": topic,
        "user_id": TP_ID,
        "user_nick": order.shop,
    }
    moment = order.modified_at or order.ordered_at
    if moment is not None:
        message["pub_time"] = _top.beijing(moment)
    return message


def _cancel(order: PlatformOrder) -> dict[str, Any]:
    content: dict[str, Any] = {"workcard_id": _number(order.platform_order_id),
                               "action": "cancel", "status": TASK_CANCELLED, "type": 1,
                               "tp_id": TP_ID, "comment": order.note or "买家取消服务"}
    if order.intent is Intent.REFUND:  # the cancel node says how many services were refunded
        content.update(refund_service_count=1, left_service_count=0)
    moment = order.modified_at or order.ordered_at
    if moment is not None:
        content["update_date"] = _top.beijing(moment)
    return content


def _urge(order: PlatformOrder) -> dict[str, Any]:
    content: dict[str, Any] = {"workcard_id": _number(order.platform_order_id),
                               "urge_id": order.urge_ref, "content": order.note or "买家催单",
                               "tp_id": TP_ID}
    if order.modified_at is not None:
        content["urge_time"] = _top.beijing(order.modified_at)
    return content


def _card(order: PlatformOrder) -> dict[str, Any]:
    card: dict[str, Any] = {
        "id": _number(order.platform_order_id),
        "buyerName": order.customer_name,
        "buyerMobile": order.customer_phone,
        "buyerAddress": _address(order),
        "taskStatus": TASK_ACTIVE,
        "taskType": 0,
        "taskMemo": order.note,
        "sellerNick": order.shop,
        "shopName": order.shop,
        "serviceCount": 1,
    }
    line = _card_line(order.lines)
    if line is not None:
        service = (line.service_tags or order.service_tags or ("",))[0]
        card.update(bizOrderId=_number(line.line_id) if line.line_id else card["id"],
                    auctionName=line.name, auctionPrice=line.unit_price_fen,
                    buyAmount=line.quantity, attributes={"itemOuterId": line.sku},
                    serviceName=service, serviceCode=service)
    elif order.service_tags:
        card.update(serviceName=order.service_tags[0], serviceCode=order.service_tags[0])
    if order.paid_fen is not None:
        card["actualTotalFee"] = order.paid_fen
    created = order.ordered_at or order.modified_at
    if created is not None:
        card["gmtCreate"] = _top.beijing(created)
        card["gmtModify"] = _top.beijing(_modified(order, created))
    if order.goods_signed_at is not None:
        card["gmtSign"] = _top.beijing(order.goods_signed_at)
    return card


def _modified(order: PlatformOrder, created: datetime) -> datetime:
    """The card's change time: an update the platform re-sends is one made after creation."""
    if order.intent is not Intent.UPDATE:
        return created
    return max(order.modified_at or created, created + UPDATE_AFTER + timedelta(seconds=1))


def _card_line(lines: Sequence[PlatformLine]) -> PlatformLine | None:
    for line in lines:
        if not line.gift:
            return line
    return lines[0] if lines else None


def _address(order: PlatformOrder) -> str:
    """The message's address: region names, then the street, separated by spaces."""
    regions = [part for part in (order.province, order.city, order.district, order.town) if part]
    return " ".join([*regions, order.address]) if regions else order.address


def _number(value: str) -> int | str:
    """TOP ids are numbers; a demo id that is not one stays text."""
    return int(value) if value.isdigit() and len(value) < 19 else value
