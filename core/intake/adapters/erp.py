"""A brand's ERP exports (品牌ERP), picked up from a folder or an HTTP endpoint: CSV or JSON.

CSV (text/csv): one row per order line; rows with the same order number form one order. The
header may be Chinese or English (`_erp_csv.COLUMNS`); files come as UTF-8 (with or without a
BOM) or GBK / GB18030.
    订单号 order_no · 客户姓名 customer_name · 手机 phone · 省 province · 市 city · 区 district
    详细地址 address · 商品编码 sku · 商品名称 product_name · 数量 quantity · 单价(元) unit_price
    是否赠品 gift (是/否) · 服务类型 service_type (安装, 维修, ...) · 下单时间 ordered_at
    状态 status · optional: 行号 line_no · 品牌 brand · 备注 note
JSON (application/json): {"orders": [{order_no, customer_name, phone, province, city, district,
town, address, ordered_at, modified_at, status, brand, note, paid, items: [{sku, name, quantity,
unit_price, gift, service_type, line_no, status}]}]}; `items` may be a JSON string (exports built
by SQL often are). Money is yuan ("12.50").
Status: 正常/新建/已付款/待发货/待安装/已发货/已完成 (new), 已修改 (update), 已取消/作废/关闭
(cancel), 已退款 (refund), or the English new, paid, update(d), cancel(l)ed, closed, refund(ed).
A cancelled or refunded row in a live order is a refunded line. Webhooks are signed as
`_lastmile` describes: HMAC-SHA256 over the `X-Lastmile-Timestamp` header, "." and the body.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.intake.adapters import _erp_csv as erp_csv
from core.intake.adapters import _fields as fields
from core.intake.adapters import _lastmile
from core.intake.adapters import _values as values
from core.intake.errors import PayloadRejected
from core.intake.freshness import SignedTime
from core.intake.model import Intent, PlatformLine, PlatformOrder, RawRecord, SignedRequest

STATUS_WORDS: dict[Intent, frozenset[str]] = {
    Intent.NEW: frozenset({"", "正常", "新建", "新订单", "已付款", "待发货", "待安装", "已发货",
                           "已完成", "new", "paid", "normal", "shipped", "completed"}),
    Intent.UPDATE: frozenset({"已修改", "修改", "update", "updated"}),
    Intent.CANCEL: frozenset({"已取消", "取消", "作废", "已作废", "关闭", "已关闭", "cancel",
                              "cancelled", "canceled", "closed"}),
    Intent.REFUND: frozenset({"已退款", "退款", "refund", "refunded"}),
}
_INTENT_OF = {word: intent for intent, words in STATUS_WORDS.items() for word in words}


def status_intent(word: str, where: str) -> Intent:
    intent = _INTENT_OF.get(word.strip().lower())
    if intent is None:
        raise PayloadRejected(where, f"状态无法识别 ('{word[:40]}' is not a known status)")
    return intent


class ErpAdapter:
    name = "erp"
    label = "品牌ERP"
    content_types = ("text/csv", "application/json")
    signed_headers = _lastmile.SIGNED_HEADERS

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        """By the content type; anything else (a file of unknown kind) by its first character."""
        text = fields.decode(payload)
        kind = content_type.lower()
        if "json" in kind or ("csv" not in kind and text.lstrip()[:1] in ("{", "[")):
            return _json_records(text)
        return erp_csv.cut(text)

    def parse(self, record: RawRecord) -> PlatformOrder:
        if isinstance(record.data, list):
            return _parse_rows(erp_csv.Rows(record.data))
        return _parse_json(fields.obj(record.data, ""))

    def verify(self, request: SignedRequest, secret: str) -> bool:
        return _lastmile.verify(request, secret)

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return _lastmile.signed_time(request)

    def payload(self, request: SignedRequest) -> bytes:
        return request.body


def _json_records(text: str) -> list[RawRecord]:
    doc = fields.obj(fields.load_json(text), "")
    orders = doc.get("orders")
    if isinstance(orders, str):
        orders = fields.load_json(orders, "orders")
    if isinstance(orders, dict):
        orders = [orders]
    if not isinstance(orders, list):
        raise PayloadRejected("orders", "缺少该字段 (missing)" if orders is None
                              else f"类型不对 (expected a list, got {type(orders).__name__})")
    return [RawRecord(index=i, text=values.record_text(order), data=order,
                      key=values.key_of(order, "order_no")) for i, order in enumerate(orders)]


def _order_intent(line_intents: list[Intent]) -> Intent:
    if all(intent is Intent.CANCEL for intent in line_intents):
        return Intent.CANCEL
    if any(intent in (Intent.CANCEL, Intent.REFUND) for intent in line_intents):
        return Intent.REFUND
    if any(intent is Intent.UPDATE for intent in line_intents):
        return Intent.UPDATE
    return Intent.NEW


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _parse_rows(rows: erp_csv.Rows) -> PlatformOrder:
    lines: list[PlatformLine] = []
    intents: list[Intent] = []
    statuses: list[str] = []
    for number, row in enumerate(rows.rows, start=1):
        path = rows.path(row)
        status = rows.text(row, "status", max_length=20)
        intents.append(status_intent(status, fields.join(path, rows.column("status"))))
        statuses.append(status)
        name = rows.text(row, "product_name")
        service = rows.text(row, "service_type", max_length=40)
        lines.append(PlatformLine(
            sku=rows.text(row, "sku", required=True, max_length=64), name=name,
            quantity=values.whole(row, rows.column("quantity"), path),
            unit_price_fen=fields.fen(row, rows.column("unit_price"), path),
            line_id=rows.text(row, "line_no", max_length=40) or str(number),
            gift=values.flag(row, rows.column("gift"), path),
            refunded=intents[-1] in (Intent.CANCEL, Intent.REFUND),
            service_tags=(service,) if service else ()))
    first = rows.rows[0]
    intent = _order_intent(intents)
    return PlatformOrder(
        platform="erp", platform_order_id=rows.shared("order_no", required=True, max_length=40),
        intent=intent,
        customer_name=rows.shared("customer_name", required=True, max_length=fields.MAX_NAME),
        customer_phone=fields.phone(rows.shared("phone", required=True, max_length=40),
                                    fields.join(rows.path(first), rows.column("phone"))),
        address=rows.shared("address", required=True, max_length=fields.MAX_ADDRESS),
        province=rows.shared("province", max_length=40), city=rows.shared("city", max_length=40),
        district=rows.shared("district", max_length=40),
        lines=tuple(lines if intent is not Intent.CANCEL else _kept(lines)),
        ordered_at=fields.timestamp(first, rows.column("ordered_at"), rows.path(first)),
        shop=rows.shared("brand", max_length=40), note=rows.shared("note", max_length=500),
        service_tags=_unique([tag for line in lines for tag in line.service_tags]),
        status=" / ".join(_unique(statuses)),
    )


def _kept(lines: list[PlatformLine]) -> list[PlatformLine]:
    """A cancelled order's lines are not each refunded: the whole order is gone."""
    return [replace(line, refunded=False) for line in lines]


def _parse_json(data: dict[str, Any]) -> PlatformOrder:
    base = status_intent(values.plain(data, "status", required=False, max_length=20), "status")
    items = fields.listing(data, "items")
    if not items:
        raise PayloadRejected("items", "没有商品行 (no items)")
    lines = [_json_line(fields.obj(item, f"items[{i}]"), f"items[{i}]", i)
             for i, item in enumerate(items)]
    intent = base
    if base in (Intent.NEW, Intent.UPDATE) and any(line.refunded for line in lines):
        intent = Intent.REFUND
    return PlatformOrder(
        platform="erp", platform_order_id=values.plain(data, "order_no", max_length=40),
        intent=intent,
        customer_name=values.plain(data, "customer_name", max_length=fields.MAX_NAME),
        customer_phone=fields.phone(values.plain(data, "phone", max_length=40), "phone"),
        address=values.plain(data, "address", max_length=fields.MAX_ADDRESS),
        province=values.plain(data, "province", required=False, max_length=40),
        city=values.plain(data, "city", required=False, max_length=40),
        district=values.plain(data, "district", required=False, max_length=40),
        town=values.plain(data, "town", required=False, max_length=40),
        lines=tuple(lines), paid_fen=values.amount(data, "paid"),
        ordered_at=fields.timestamp(data, "ordered_at"),
        modified_at=fields.timestamp(data, "modified_at"),
        shop=values.plain(data, "brand", required=False, max_length=40),
        note=values.plain(data, "note", required=False, max_length=500),
        service_tags=_unique([tag for line in lines for tag in line.service_tags]),
        status=values.plain(data, "status", required=False, max_length=20),
    )


def _json_line(item: dict[str, Any], path: str, index: int) -> PlatformLine:
    status = values.plain(item, "status", path, required=False, max_length=20)
    service = values.plain(item, "service_type", path, required=False, max_length=40)
    return PlatformLine(
        sku=values.plain(item, "sku", path, max_length=64),
        name=values.plain(item, "name", path, required=False),
        quantity=values.whole(item, "quantity", path),
        unit_price_fen=fields.fen(item, "unit_price", path),
        line_id=values.plain(item, "line_no", path, required=False, max_length=40)
        or str(index + 1),
        gift=values.flag(item, "gift", path),
        refunded=status_intent(status, fields.join(path, "status"))
        in (Intent.CANCEL, Intent.REFUND),
        service_tags=(service,) if service else (),
    )


ADAPTER = ErpAdapter()
