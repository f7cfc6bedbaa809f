"""Demo brand ERP exports: a CSV with Chinese headers (UTF-8 with BOM) or the JSON export.

The CSV has no paid total, modified time or town; `render_json` keeps them. Statuses are the
export's words: 正常, 已修改, 已取消, 已退款 (refunded lines; all of them when none is marked).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.demo.platforms.jd import beijing, yuan
from core.intake.adapters import _lastmile
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json;charset=utf-8"
HEADER = ("订单号", "客户姓名", "手机", "省", "市", "区", "详细地址", "商品编码", "商品名称",
          "数量", "单价(元)", "是否赠品", "服务类型", "下单时间", "状态", "行号", "品牌", "备注")
ORDER_WORDS = {Intent.NEW: "正常", Intent.UPDATE: "已修改", Intent.CANCEL: "已取消",
               Intent.REFUND: "正常"}


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for order in orders:
        for line in order.lines:
            writer.writerow((
                order.platform_order_id, order.customer_name, order.customer_phone,
                order.province, order.city, order.district, order.address, line.sku, line.name,
                line.quantity, yuan(line.unit_price_fen), "是" if line.gift else "否",
                "、".join(_tags(order, line)),
                beijing(order.ordered_at) if order.ordered_at else "",
                _status(order, line), line.line_id, order.shop, order.note))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), CSV_TYPE


def render_json(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    data = {"orders": [_json_order(order) for order in orders]}
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), JSON_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    """The ERP pusher's headers: the time `now` and HMAC-SHA256 over it and the body."""
    return SignedRequest(query={}, body=body,
                         headers=_lastmile.signed_headers(body, secret, now))


def _tags(order: PlatformOrder, line: PlatformLine) -> tuple[str, ...]:
    if line.service_tags or line.gift:
        return line.service_tags
    return order.service_tags


def _refunded(order: PlatformOrder, line: PlatformLine) -> bool:
    marked = any(other.refunded for other in order.lines)
    return order.intent is Intent.REFUND and (line.refunded or not marked)


def _status(order: PlatformOrder, line: PlatformLine) -> str:
    return "已退款" if _refunded(order, line) else ORDER_WORDS[order.intent]


def _json_order(order: PlatformOrder) -> dict[str, Any]:
    found: dict[str, Any] = {
        "order_no": order.platform_order_id, "customer_name": order.customer_name,
        "phone": order.customer_phone, "province": order.province, "city": order.city,
        "district": order.district, "town": order.town, "address": order.address,
        "status": ORDER_WORDS[order.intent], "brand": order.shop, "note": order.note,
        "items": [{"sku": line.sku, "name": line.name, "quantity": line.quantity,
                   "unit_price": yuan(line.unit_price_fen), "gift": line.gift,
                   "service_type": "、".join(_tags(order, line)), "line_no": line.line_id,
                   "status": "已退款" if _refunded(order, line) else ""}
                  for line in order.lines],
    }
    if order.paid_fen is not None:
        found["paid"] = yuan(order.paid_fen)
    for key, moment in (("ordered_at", order.ordered_at), ("modified_at", order.modified_at)):
        if moment is not None:
            found[key] = moment.isoformat()
    return found
