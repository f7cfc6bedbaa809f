"""Tmall service-centre work cards (天猫服务工单): what the platform asks a service provider to do.

Reads (field names as the TOP documentation gives them):
- `tmall.servicecenter.workcard.query` responses,
  `{"tmall_servicecenter_workcard_query_response":
  {"result": {"result_data": {"data_list": [...]}}}}`
  with WorkcardDto objects (buyer, master_trade_order, service_trade_order, service_definition,
  gmt_create / gmt_modify / gmt_cancel, status_code),
  https://open.taobao.com/api.htm?docId=42632&docType=2 (mirror: jaq-doc.alibaba.com apiId=42632)
- TMC messages, alone or as a `taobao.tmc.messages.consume` page: `tmall_fuwu_WorkcardInfo`
  (content `{"result": <JSON string of the card, camelCase fields>}`, docId=659) and
  `tmall_fuwu_WorkcardStatusUpdate` (content `{"workcard_id", "action": create | complete | cancel |
  consign, ...}`, docId=660), https://open.taobao.com/tmc.htm?docId=659&docType=9
- a bare work card, or a JSON list of any of these.

The customer's signing for the goods (签收), which starts the first-contact clock, is read from
`gmt_sign` (`gmtSign` in messages): not in the published card fields we could read, so named
after the card's documented gmt_create / gmt_modify / gmt_cancel; absent, nothing is recorded.

A `tmall_fuwu_WorkcardUrge` message (not in the published topics we could read; modelled on the
status message: `workcard_id`, `urge_id`, `content`, `urge_time`) is an urge (催单): URGE.

The work card id is the platform order id. Intent: cancelled cards (gmt_cancel, a cancel action,
task status 12 撤销 / 19 终止) are CANCEL; a pushed WorkcardInfo card modified more than a minute
after it was created is the platform re-sending a changed card: UPDATE. A queried card is NEW
(the query selects by creation time, so a poller meets each card once, when it is new).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.intake.adapters import _payload, _top
from core.intake.adapters._fields import (
    MAX_ADDRESS,
    MAX_NAME,
    fen,
    integer,
    join,
    obj,
    phone,
    timestamp,
)
from core.intake.errors import PayloadIgnored, PayloadRejected
from core.intake.freshness import SignedTime
from core.intake.model import Intent, PlatformLine, PlatformOrder, RawRecord, SignedRequest

WORKCARD_QUERY = "tmall_servicecenter_workcard_query_response"
TOPIC_INFO = "tmall_fuwu_WorkcardInfo"
TOPIC_STATUS = "tmall_fuwu_WorkcardStatusUpdate"
# A buyer's or the platform's urge (催单) on a card. Not in the published topics we could read:
# modelled on the status message (workcard_id, a message id, its words and time).
TOPIC_URGE = "tmall_fuwu_WorkcardUrge"
# tmall.servicecenter.workcard.status.update lists the task states; 12 撤销 and 19 终止 end a card.
CANCELLED_TASK_STATES = frozenset({"12", "19"})
# The card's status_code values are not published (the service order's are create / effect /
# closed / finish); gmt_cancel (取消时间) is the documented sign, these words the likely codes.
CANCELLED_CODES = frozenset({"cancel", "canceled", "cancelled", "closed", "12", "19"})
# Cards are touched while the platform creates them (reservation, worker); a change later than
# this is the buyer or the platform changing a known card.
UPDATE_AFTER = timedelta(minutes=1)
REGION_HINT_MAX = 8  # "福建 厦门 思明 莲前 ...": the leading words are abbreviated region names


class TmallAdapter:
    """Tmall service work cards and their TMC messages."""

    name = "tmall"
    label = "天猫服务工单"
    content_types: tuple[str, ...] = ("application/json",)
    signed_headers: tuple[str, ...] = ()  # TOP signs the query and the body

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        return _top.cut_records(payload, _cut, _key)

    def parse(self, record: RawRecord) -> PlatformOrder:
        data = obj(record.data, "")
        if "topic" in data:
            return _message(data)
        return _card(data)

    def verify(self, request: SignedRequest, secret: str) -> bool:
        return _top.verify(request, secret)

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return _top.signed_time(request)

    def payload(self, request: SignedRequest) -> bytes:
        return request.body


def _cut(value: Any, path: str) -> list[tuple[str, Any]]:
    """The records inside one top-level value, each with its path in the payload."""
    if not isinstance(value, dict):
        raise PayloadRejected(path, "数据格式无法识别 (expected a work card, a TMC message or a "
                                    f"TOP response, got {type(value).__name__})")
    if WORKCARD_QUERY in value:
        where = join(path, WORKCARD_QUERY)
        response = obj(value[WORKCARD_QUERY], where)
        result = _payload.node(response, "result", where)
        where = join(where, "result")
        if result.get("success") in (False, "false"):
            codes = " ".join(str(result.get(key, ""))[:80] for key in ("msg_code", "msg_info"))
            raise PayloadRejected(join(where, "msg_code"),
                                  f"平台查询失败 (the query failed: {codes})")
        data = _payload.child(result, "result_data", where, required=False)
        if data is None:
            return []
        where, cards = _payload.located(data, "data_list", join(where, "result_data"),
                                        inner="workcard_d_t_o", required=False,
                                        limit=_payload.MAX_RECORDS)
        return [(f"{where}[{index}]", card) for index, card in enumerate(cards)]
    if _top.TMC_CONSUME in value:
        messages = _top.tmc_messages(value)
        where = join(path, f"{_top.TMC_CONSUME}.messages.tmc_message")
        return [(f"{where}[{index}]", message) for index, message in enumerate(messages)]
    if "topic" in value or "id" in value or "buyer" in value:
        return [(path, value)]
    raise PayloadRejected(path, "数据格式无法识别 (expected a work card, a TMC message or a "
                                "TOP response)")


def _key(value: Any) -> str:
    if isinstance(value, dict):
        card_id = value.get("id")
        if isinstance(card_id, int | str) and not isinstance(card_id, bool):
            return str(card_id)[:64]
    return ""


def _message(message: dict[str, Any]) -> PlatformOrder:
    topic = _payload.text(message, "topic")
    content = _top.message_content(message)
    if topic == TOPIC_INFO:
        return _info(_payload.node(content, "result", "content"), "content.result")
    if topic == TOPIC_STATUS:
        return _status(content, "content")
    if topic == TOPIC_URGE:
        return _urge(content, "content")
    raise PayloadRejected("topic", f"不是工单消息 ('{topic[:60]}' is not a work card message "
                                   f"({TOPIC_INFO}, {TOPIC_STATUS}, {TOPIC_URGE}))")


def _urge(content: dict[str, Any], path: str) -> PlatformOrder:
    """A `tmall_fuwu_WorkcardUrge`: the card urged, the urge's own id, its words."""
    return PlatformOrder(
        platform="tmall",
        platform_order_id=_payload.text(content, "workcard_id", path),
        intent=Intent.URGE,
        customer_name="", customer_phone="", address="",
        note=_payload.text(content, "content", path, required=False, max_length=500) or "催单",
        urge_ref=_payload.text(content, "urge_id", path, max_length=64),
        status="urge",
    )


def _info(card: dict[str, Any], path: str) -> PlatformOrder:
    """A `tmall_fuwu_WorkcardInfo` card (camelCase fields, as the message samples show)."""
    address = _payload.text(card, "buyerAddress", path, max_length=MAX_ADDRESS)
    province, city, district, town = _regions(address)
    attributes = _payload.child(card, "attributes", path, required=False) or {}
    sku = (_payload.text(attributes, "itemOuterId", join(path, "attributes"), required=False)
           or _payload.first_text(card, ("auctionId",), path))
    tags = _unique(_payload.text(card, "serviceName", path, required=False),
                   _payload.text(card, "serviceCode", path, required=False))
    line = PlatformLine(
        sku=sku,
        name=_payload.first_text(card, ("auctionName", "serviceName"), path),
        quantity=integer(card, "buyAmount", path, required=False, low=1, default=1),
        unit_price_fen=fen(card, "auctionPrice", path, unit="fen", required=False),
        line_id=_payload.text(card, "bizOrderId", path, required=False),
        service_tags=tags,
    )
    created = timestamp(card, "gmtCreate", path) or timestamp(card, "receiveTime", path)
    modified = timestamp(card, "gmtModify", path)
    task_state = _payload.text(card, "taskStatus", path, required=False)
    intent = Intent.CANCEL if task_state in CANCELLED_TASK_STATES else _changed(created, modified)
    return PlatformOrder(
        platform="tmall",
        platform_order_id=_payload.text(card, "id", path),
        intent=intent,
        customer_name=_payload.text(card, "buyerName", path, max_length=MAX_NAME),
        customer_phone=phone(_payload.text(card, "buyerMobile", path, max_length=32),
                             join(path, "buyerMobile")),
        address=address, province=province, city=city, district=district, town=town,
        lines=(line,),
        paid_fen=_optional_fen(card, "actualTotalFee", path),
        ordered_at=created, modified_at=modified,
        shop=_payload.first_text(card, ("shopName", "sellerNick"), path, required=False),
        service_tags=tags,
        note=_payload.text(card, "taskMemo", path, required=False),
        status=task_state,
        purchase_id=_payload.text(card, "parentBizOrderId", path, required=False, max_length=64),
        goods_signed_at=timestamp(card, "gmtSign", path),
    )


def _status(content: dict[str, Any], path: str) -> PlatformOrder:
    """A `tmall_fuwu_WorkcardStatusUpdate`: only a cancel means something for intake."""
    action = _payload.text(content, "action", path, required=False).lower()
    state = _payload.text(content, "status", path, required=False)
    cancelled = action == "cancel" or (not action and state in CANCELLED_TASK_STATES)
    if not cancelled:
        raise PayloadIgnored(join(path, "action"), "该状态通知无需处理，只处理取消 "
                                                   f"('{action or state}' has no work card to "
                                                   "convert; only a cancel is applied)")
    comment = _payload.first_text(content, ("comment", "comments"), path, required=False)
    return PlatformOrder(
        platform="tmall",
        platform_order_id=_payload.text(content, "workcard_id", path),
        intent=Intent.CANCEL,
        customer_name="", customer_phone="", address="",
        modified_at=timestamp(content, "update_date", path),
        note="" if comment == "null" else comment,  # the platform sends the word null
        status=action or state,
    )


def _card(card: dict[str, Any]) -> PlatformOrder:
    """A WorkcardDto of `tmall.servicecenter.workcard.query`."""
    buyer = _payload.node(card, "buyer")
    master = _payload.child(card, "master_trade_order", required=False)
    service = _payload.child(card, "service_trade_order", required=False)
    definition = _payload.child(card, "service_definition", required=False) or {}
    tags = _unique(_payload.text(definition, "service_code", "service_definition",
                                 required=False),
                   _payload.text(service, "auction_title", "service_trade_order",
                                 required=False) if service else "")
    if master is not None:
        line = _trade_line(master, "master_trade_order", tags)
    elif service is not None:
        line = _trade_line(service, "service_trade_order", tags)
    else:
        raise PayloadRejected("master_trade_order",
                              "缺少订单信息 (missing (and no service_trade_order))")
    created = timestamp(card, "gmt_create")
    modified = timestamp(card, "gmt_modify")
    state = _payload.text(card, "status_code", required=False)
    cancelled = card.get("gmt_cancel") not in (None, "") or state.lower() in CANCELLED_CODES
    expect = _payload.text(card, "buyer_expect_date", required=False)
    shop_source = service or master or {}
    return PlatformOrder(
        platform="tmall",
        platform_order_id=_payload.text(card, "id"),
        intent=Intent.CANCEL if cancelled else Intent.NEW,
        customer_name=_payload.first_text(buyer, ("buyer_name", "buyer_nick"), "buyer",
                                          max_length=MAX_NAME),
        customer_phone=phone(_payload.first_text(buyer, ("mobile", "phone"), "buyer",
                                                 max_length=32), "buyer.mobile"),
        address=_payload.first_text(buyer, ("address_detail", "full_address", "address"),
                                    "buyer", max_length=MAX_ADDRESS),
        province=_payload.text(buyer, "address_province", "buyer", required=False),
        city=_payload.text(buyer, "address_city", "buyer", required=False),
        district=_payload.text(buyer, "address_district", "buyer", required=False),
        town=_payload.text(buyer, "address_town", "buyer", required=False),
        lines=(line,),
        ordered_at=created, modified_at=modified,
        shop=_payload.first_text(shop_source, ("shop_name", "seller_nick"), "service_trade_order",
                                 required=False),
        service_tags=tags,
        note=f"买家期望服务时间 {expect}" if expect else "",
        status=state,
        purchase_id=(_payload.text(card, "parent_biz_order_id", required=False, max_length=64)
                     or _payload.text(master or {}, "parent_order_id", "master_trade_order",
                                      required=False, max_length=64)),
        goods_signed_at=timestamp(card, "gmt_sign"),
    )


def _trade_line(order: dict[str, Any], path: str, tags: tuple[str, ...]) -> PlatformLine:
    return PlatformLine(
        sku=_payload.first_text(order, ("outer_id_sku", "outer_id_p", "auction_id", "sku_id"),
                                path),
        name=_payload.first_text(order, ("auction_title", "sku_desc"), path),
        quantity=integer(order, "buy_amount", path, required=False, low=1, default=1),
        unit_price_fen=fen(order, "price", path, unit="fen", required=False),  # 单位为分
        line_id=_payload.text(order, "order_id", path, required=False),
        service_tags=tags,
    )


def _changed(created: datetime | None, modified: datetime | None) -> Intent:
    if created is not None and modified is not None and modified - created > UPDATE_AFTER:
        return Intent.UPDATE
    return Intent.NEW


def _regions(address: str) -> tuple[str, str, str, str]:
    """Province, city, district (and town) hints from a space-separated message address."""
    parts = address.split()
    if len(parts) < 4 or any(len(part) > REGION_HINT_MAX for part in parts[:3]):
        return "", "", "", ""
    town = parts[3] if len(parts) >= 5 and len(parts[3]) <= REGION_HINT_MAX else ""
    return parts[0], parts[1], parts[2], town


def _optional_fen(parent: dict[str, Any], key: str, path: str) -> int | None:
    if parent.get(key) in (None, ""):
        return None
    return fen(parent, key, path, unit="fen", high=_payload.MAX_TOTAL_FEN)


def _unique(*values: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


ADAPTER = TmallAdapter()
