"""Taobao / Tmall trades (淘宝交易) as the TOP trade APIs return them.

Reads (field names from the TOP Trade / Order domain documentation,
https://open.taobao.com/api.htm?docId=54&docType=2 taobao.trade.fullinfo.get):
- `{"trade_fullinfo_get_response": {"trade": {...}}}` (also `trade_get_response`);
- pull pages `trades_sold_get_response` / `trades_sold_increment_get_response` with
  `{"trades": {"trade": [...]}}`;
- 聚石塔 RDS push rows (`jdp_tb_trade`: tid, status, ..., `jdp_response` = the fullinfo response
  as a JSON string);
- TMC trade messages `{"topic", "content"}` (content a JSON string). TMC content only names the
  trade (tid, buyer_nick), so our relay adds the trade it fetched with taobao.trade.fullinfo.get
  beside them as `trade_fullinfo_get_response`; a close message converts without it;
- a bare trade, or a JSON list of any of these.

Intent: TRADE_CLOSED / TRADE_CLOSED_BY_TAOBAO or a close message -> CANCEL; the message
`taobao_trade_TradeLogisticsAddressChanged` -> UPDATE; a line with refund_status SUCCESS ->
REFUND (PlatformLine.refunded); else NEW (storage recognises re-sent trades). Unpaid trades
(WAIT_BUYER_PAY, ...) are refused: nobody is sent to a sale that may never be paid.
Gifts: the order's `is_free_gift`, 赠品 in its title, or a list price of 0.
"""

from __future__ import annotations

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

TRADE_RESPONSES = ("trade_fullinfo_get_response", "trade_get_response")
PAGE_RESPONSES = ("trades_sold_get_response", "trades_sold_increment_get_response")
ADDRESS_CHANGED = "taobao_trade_TradeLogisticsAddressChanged"
CLOSE_TOPICS = frozenset({"taobao_trade_TradeClose", "taobao_trade_TradeCloseAndModifyDetailOrder"})
CLOSED_STATES = frozenset({"TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO"})
# Not paid (yet): no visit is booked for these; the trade converts when it arrives paid.
UNPAID_STATES = frozenset({"TRADE_NO_CREATE_PAY", "WAIT_BUYER_PAY", "PAY_PENDING",
                           "WAIT_PRE_AUTH_CONFIRM"})
GIFT_WORD = "赠品"


class TaobaoAdapter:
    """Ordinary Taobao / Tmall trades, pulled or pushed."""

    name = "taobao"
    label = "淘宝交易"
    content_types: tuple[str, ...] = ("application/json",)
    signed_headers: tuple[str, ...] = ()  # TOP signs the query and the body

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        return _top.cut_records(payload, _cut, _key)

    def parse(self, record: RawRecord) -> PlatformOrder:
        data = obj(record.data, "")
        if "topic" in data:
            return _message(data)
        if "jdp_response" in data:
            response = _payload.node(data, "jdp_response")
            path, trade = _fetched(response, "jdp_response")
            return _trade(trade, path)
        if any(name in data for name in TRADE_RESPONSES):
            path, trade = _fetched(data, "")
            return _trade(trade, path)
        return _trade(data, "")

    def verify(self, request: SignedRequest, secret: str) -> bool:
        return _top.verify(request, secret)

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return _top.signed_time(request)

    def payload(self, request: SignedRequest) -> bytes:
        return request.body


def _cut(value: Any, path: str) -> list[tuple[str, Any]]:
    """The records inside one top-level value, each with its path in the payload."""
    if not isinstance(value, dict):
        raise PayloadRejected(path, f"数据格式无法识别 (expected a trade or a TOP response, got "
                                    f"{type(value).__name__})")
    for name in PAGE_RESPONSES:
        if name in value:
            page = obj(value[name], join(path, name))
            where, trades = _payload.located(page, "trades", join(path, name), inner="trade",
                                             required=False, limit=_payload.MAX_RECORDS)
            return [(f"{where}[{index}]", trade) for index, trade in enumerate(trades)]
    if any(key in value for key in (*TRADE_RESPONSES, "topic", "jdp_response", "tid", "tid_str")):
        return [(path, value)]
    raise PayloadRejected(path, "数据格式无法识别 (expected a trade, a TMC message or a TOP "
                                "response)")


def _key(value: Any) -> str:
    """The tid when the record shows it without decoding anything."""
    candidates = [value]
    if isinstance(value, dict):
        for name in TRADE_RESPONSES:
            response = value.get(name)
            if isinstance(response, dict):
                candidates.append(response.get("trade"))
    for candidate in candidates:
        if isinstance(candidate, dict):
            tid = candidate.get("tid_str") or candidate.get("tid")
            if isinstance(tid, int | str) and not isinstance(tid, bool):
                return str(tid)[:64]
    return ""


def _fetched(container: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    """The trade inside a fullinfo (or trade.get) response held by `container`."""
    for name in TRADE_RESPONSES:
        if name in container:
            response = obj(container[name], join(path, name))
            return join(join(path, name), "trade"), _payload.node(response, "trade",
                                                                  join(path, name))
    raise PayloadRejected(join(path, TRADE_RESPONSES[0]), "缺少该字段 (missing)")


def _message(message: dict[str, Any]) -> PlatformOrder:
    topic = _payload.text(message, "topic")
    content = _top.message_content(message)
    trade: tuple[str, dict[str, Any]] | None = None
    if any(name in message for name in TRADE_RESPONSES):
        trade = _fetched(message, "")
    elif any(name in content for name in TRADE_RESPONSES):
        trade = _fetched(content, "content")
    if trade is None:
        if topic in CLOSE_TOPICS:
            return _closed(content, topic)
        raise PayloadRejected(TRADE_RESPONSES[0], "消息里没有交易详情，需先查询交易 (missing: a "
                                                  "TMC message only names the trade "
                                                  "(content.tid); fetch it with "
                                                  "taobao.trade.fullinfo.get)")
    path, found = trade
    order = _trade(found, path, Intent.CANCEL if topic in CLOSE_TOPICS
                   else Intent.UPDATE if topic == ADDRESS_CHANGED else None)
    named = _payload.text(content, "tid", "content", required=False, max_length=64)
    if named and named != order.platform_order_id:
        raise PayloadRejected("content.tid", f"消息与所附交易不是同一笔 (names trade {named} "
                                             "but the trade sent is "
                                             f"{order.platform_order_id})")
    return order


def _closed(content: dict[str, Any], topic: str) -> PlatformOrder:
    """A close message without the trade: enough to cancel the orders made from it."""
    return PlatformOrder(
        platform="taobao",
        platform_order_id=_payload.text(content, "tid", "content", max_length=64),
        intent=Intent.CANCEL,
        customer_name="", customer_phone="", address="",
        shop=_payload.text(content, "seller_nick", "content", required=False),
        status=_payload.text(content, "status", "content", required=False) or topic,
    )


def _trade(trade: dict[str, Any], path: str, hint: Intent | None = None) -> PlatformOrder:
    """One trade (taobao.trade.fullinfo.get `trade`) as a platform order."""
    tags_by_oid, order_tags = _services(trade, path)
    where, orders = _payload.located(trade, "orders", path, inner="order")
    if not orders:
        raise PayloadRejected(where, "没有商品行 (no order lines)")
    lines = tuple(_line(obj(order, f"{where}[{index}]"), f"{where}[{index}]", tags_by_oid)
                  for index, order in enumerate(orders))
    status = _payload.text(trade, "status", path, required=False)
    if status in CLOSED_STATES or hint is Intent.CANCEL:
        intent = Intent.CANCEL
    elif status in UNPAID_STATES:
        raise PayloadIgnored(join(path, "status"), "买家尚未付款，付款后再转换 "
                                                   f"({status}: the buyer has not paid; the "
                                                   "trade converts once it is paid)")
    elif hint is Intent.UPDATE:
        intent = Intent.UPDATE
    elif any(line.refunded for line in lines):
        intent = Intent.REFUND
    else:
        intent = Intent.NEW
    has_mobile = _payload.text(trade, "receiver_mobile", path, required=False, max_length=32)
    raw_phone = _payload.first_text(trade, ("receiver_mobile", "receiver_phone"), path,
                                    max_length=32)
    notes = (_payload.text(trade, key, path, required=False)
             for key in ("buyer_message", "buyer_memo", "seller_memo"))
    return PlatformOrder(
        platform="taobao",
        platform_order_id=_payload.first_text(trade, ("tid_str", "tid"), path, max_length=64),
        intent=intent,
        customer_name=_payload.text(trade, "receiver_name", path, max_length=MAX_NAME),
        customer_phone=phone(raw_phone, join(path, "receiver_mobile" if has_mobile
                                                   else "receiver_phone")),
        address=_payload.text(trade, "receiver_address", path, max_length=MAX_ADDRESS),
        province=_payload.text(trade, "receiver_state", path, required=False),
        city=_payload.text(trade, "receiver_city", path, required=False),
        district=_payload.text(trade, "receiver_district", path, required=False),
        town=_payload.text(trade, "receiver_town", path, required=False),
        lines=lines,
        paid_fen=None if trade.get("payment") in (None, "") else fen(
            trade, "payment", path, high=_payload.MAX_TOTAL_FEN),
        ordered_at=timestamp(trade, "created", path) or timestamp(trade, "pay_time", path),
        modified_at=timestamp(trade, "modified", path),
        shop=_payload.text(trade, "seller_nick", path, required=False),
        service_tags=order_tags,
        note="；".join(note for note in notes if note),
        status=status,
    )


def _services(trade: dict[str, Any], path: str) -> tuple[dict[str, tuple[str, ...]],
                                                          tuple[str, ...]]:
    """Service sub-orders (安装服务, ...): their titles per item_oid, and those tied to none."""
    where, services = _payload.located(trade, "service_orders", path, inner="service_order",
                                       required=False)
    by_oid: dict[str, list[str]] = {}
    loose: list[str] = []
    for index, service in enumerate(services):
        at = f"{where}[{index}]"
        service = obj(service, at)
        title = _payload.text(service, "title", at, required=False)
        if not title:
            continue
        item_oid = _payload.text(service, "item_oid", at, required=False, max_length=64)
        (by_oid.setdefault(item_oid, []) if item_oid else loose).append(title)
    return ({oid: tuple(dict.fromkeys(titles)) for oid, titles in by_oid.items()},
            tuple(dict.fromkeys(loose)))


def _line(order: dict[str, Any], path: str, tags_by_oid: dict[str, tuple[str, ...]]
          ) -> PlatformLine:
    """One Order (sub-order) of a trade; money in yuan text."""
    oid = _payload.first_text(order, ("oid_str", "oid"), path, required=False, max_length=64)
    title = _payload.text(order, "title", path)
    quantity = integer(order, "num", path, low=1)
    price = fen(order, "price", path)
    if order.get("payment") in (None, ""):
        unit = price
    else:  # what was paid per unit after discounts, rounded half up to the fen
        paid = fen(order, "payment", path, high=_payload.MAX_TOTAL_FEN)
        unit = (paid * 2 + quantity) // (2 * quantity)
    return PlatformLine(
        sku=_payload.first_text(order, ("outer_sku_id", "outer_iid", "num_iid", "sku_id"), path,
                                max_length=64),
        name=title,
        quantity=quantity,
        unit_price_fen=unit,
        line_id=oid,
        gift=_payload.flag(order, "is_free_gift") or GIFT_WORD in title or price == 0,
        refunded=_payload.text(order, "refund_status", path, required=False) == "SUCCESS",
        service_tags=tags_by_oid.get(oid, ()) if oid else (),
    )


ADAPTER = TaobaoAdapter()
