"""Demo Suning payloads: `suning.custom.order.get` for one order, an `.order.query` page for more.

Suning has no update flag and no shop or town field: an address change is the same order
(status 10) with the new address; a cancel is status 40 with its lines closed; a refund is
status 30 with `returnOrderFlag` 1 on the refunded lines (all of them when none is marked).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.demo.platforms.jd import beijing, yuan
from core.intake.adapters.suning import suning_sign
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

CONTENT_TYPE = "application/json;charset=utf-8"
APP_KEY = "lastmile-demo-app"
METHOD = "suning.custom.order.query"
VERSION = "v1.2"
STATUS = {Intent.NEW: "10", Intent.UPDATE: "10", Intent.CANCEL: "40", Intent.REFUND: "30"}


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    found = [_order(order) for order in orders]
    body: dict[str, Any] = ({"orderGet": found[0]} if len(found) == 1
                            else {"orderQuery": found})
    content: dict[str, Any] = {"sn_body": body}
    if len(found) != 1:
        content["sn_head"] = {"pageTotal": "1", "pageNo": "1", "totalSize": str(len(found))}
    data = {"sn_responseContent": content}
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), CONTENT_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    """Suning's request headers (lower-case), signInfo over them and the body."""
    moment = beijing(now)
    return SignedRequest(query={}, body=body, headers={
        "appmethod": METHOD, "apprequesttime": moment, "appkey": APP_KEY, "versionno": VERSION,
        "format": "json", "content-type": CONTENT_TYPE,
        "signinfo": suning_sign(secret, METHOD, moment, APP_KEY, VERSION, body)})


def _order(order: PlatformOrder) -> dict[str, Any]:
    refund_all = order.intent is Intent.REFUND and not any(line.refunded for line in order.lines)
    paid = order.paid_fen if order.paid_fen is not None else sum(
        line.unit_price_fen * line.quantity for line in order.lines)
    found: dict[str, Any] = {
        "orderCode": order.platform_order_id, "orderTotalStatus": STATUS[order.intent],
        "customerName": order.customer_name, "mobNum": order.customer_phone,
        "provinceName": order.province, "cityName": order.city,
        "districtName": order.district, "customerAddress": order.address,
        "buyerOrdRemark": order.note, "sellerOrdRemark": "", "payTotalAmount": yuan(paid),
        "orderDetail": [_detail(order, line, index, refund_all)
                        for index, line in enumerate(order.lines, start=1)],
    }
    if order.ordered_at is not None:
        found["orderSaleTime"] = beijing(order.ordered_at)
    return found


def _detail(order: PlatformOrder, line: PlatformLine, index: int,
            refund_all: bool) -> dict[str, Any]:
    name = line.name if not line.gift or "赠品" in line.name else f"赠品-{line.name}"
    detail: dict[str, Any] = {
        "orderLineNumber": line.line_id or f"{order.platform_order_id}{index:02d}",
        "orderLineStatus": STATUS[order.intent],
        "productCode": line.sku, "itemCode": line.sku, "productName": name,
        "saleNum": f"{line.quantity}.0", "unitPrice": yuan(line.unit_price_fen),
        "payAmount": yuan(line.unit_price_fen * line.quantity), "transportFee": "0.00",
        "returnOrderFlag": "1" if line.refunded or refund_all else "0",
    }
    if order.modified_at is not None:
        detail["orderLineStatusChangeTime"] = beijing(order.modified_at)
    return detail
