"""Demo JD payloads: POP orders as `jingdong.pop.order.get` / `.search` return them.

One order is a get response, several a search page. JD has no update flag: an address change is
the same order, still WAIT_SELLER_STOCK_OUT, modified after payment (read back as UPDATE when
that is more than a minute). A cancel is TRADE_CANCELED; a refund locks the order (LOCKED, read
back as UPDATE). POP orders carry no order-level service words, so those are not rendered; a
line's own service words go in `serviceName`. `render_service_tasks` renders 安维 tasks instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from core.intake.adapters import _jd_service
from core.intake.adapters.jd import GET, PARAM_JSON, SEARCH, jd_sign
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

CONTENT_TYPE = "application/json;charset=utf-8"
APP_KEY = "lastmile-demo-app"
SHANGHAI = timezone(timedelta(hours=8))
STATES = {Intent.NEW: "WAIT_SELLER_STOCK_OUT", Intent.UPDATE: "WAIT_SELLER_STOCK_OUT",
          Intent.CANCEL: "TRADE_CANCELED", Intent.REFUND: "LOCKED"}
OK = {"success": True, "englishErrCode": "", "chineseErrCode": "", "numberCode": 0}


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    infos = [_order_info(order) for order in orders]
    if len(infos) == 1:
        data: dict[str, Any] = {GET: {"code": "0", "orderDetailInfo": {
            "apiResult": OK, "orderInfo": infos[0]}}}
    else:
        data = {SEARCH: {"code": "0", "searchorderinfo_result": {
            "apiResult": OK, "orderTotal": len(infos), "orderInfoList": infos}}}
    return _json(data), CONTENT_TYPE


def render_service_tasks(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    """安维 tasks (`jingdong.homefw.task.search`): one per order, for its first line."""
    tasks = [_task(order) for order in orders]
    return _json({_jd_service.SEARCH: {"code": "0", "ResultInfo": {
        "resultCode": _jd_service.SUCCESS, "errMsg": "", "pageSize": len(tasks),
        "fwTastList": tasks}}}), CONTENT_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    """The router parameters JD sends, signed with the body as `360buy_param_json`."""
    query = {"method": "jingdong.pop.order.search", "app_key": APP_KEY,
             "timestamp": beijing(now), "v": "2.0", "format": "json"}
    sign = jd_sign({**query, PARAM_JSON: body.decode("utf-8")}, secret)
    return SignedRequest(query={**query, "sign": sign},
                         headers={"content-type": CONTENT_TYPE}, body=body)


def beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _order_info(order: PlatformOrder) -> dict[str, Any]:
    paid = order.paid_fen if order.paid_fen is not None else sum(
        line.unit_price_fen * line.quantity for line in order.lines)
    info: dict[str, Any] = {
        "orderId": order.platform_order_id,
        "venderId": order.shop,
        "orderTotalPrice": yuan(paid),
        "orderSellerPrice": yuan(paid),
        "orderPayment": yuan(paid),
        "freightPrice": "0.00",
        "orderState": STATES[order.intent],
        "orderRemark": order.note,
        "consigneeInfo": {
            "fullname": order.customer_name, "mobile": order.customer_phone, "telephone": "",
            "fullAddress": order.address, "province": order.province, "city": order.city,
            "county": order.district, "town": order.town},
        "itemInfoList": [_item(line) for line in order.lines],
        "couponDetailList": [],
        "orderExt": json.dumps({"site": 301, "businessOrderId": order.platform_order_id,
                                "isCancel": int(order.intent is Intent.CANCEL)}),
    }
    changed = order.modified_at or order.ordered_at
    # Payment is the last change of a new order; an update is a later edit.
    paid_at = order.ordered_at if order.intent is Intent.UPDATE else changed
    for key, moment in (("orderStartTime", order.ordered_at), ("paymentConfirmTime", paid_at),
                        ("modified", changed)):
        if moment is not None:
            info[key] = beijing(moment)
    return info


def _item(line: PlatformLine) -> dict[str, Any]:
    sku_id = line.line_id or line.sku
    name = line.name if not line.gift or "赠品" in line.name else f"【赠品】{line.name}"
    return {"skuId": sku_id, "outerSkuId": line.sku, "skuName": name,
            "jdPrice": yuan(line.unit_price_fen), "itemTotal": str(line.quantity),
            "giftPoint": "0", "wareId": sku_id, "serviceName": "、".join(line.service_tags)}


def _task(order: PlatformOrder) -> dict[str, Any]:
    line = next((line for line in order.lines if not line.gift), None) or order.lines[0]
    tags = order.service_tags or line.service_tags
    task: dict[str, Any] = {
        "orderNo": order.platform_order_id, "serviceTypeName": tags[0] if tags else "",
        "serviceItemName": tags[1] if len(tags) > 1 else "",
        "userName": order.customer_name, "userMobile": order.customer_phone,
        "userProvince": order.province, "userCity": order.city, "userCounty": order.district,
        "userTown": order.town, "userAddress": order.address,
        "sku": line.line_id or line.sku, "outerId": line.sku, "skuName": line.name,
        "num": line.quantity, "remark": order.note, "shopCode": order.shop,
    }
    if order.ordered_at is not None:
        task["createDate"] = int(order.ordered_at.timestamp() * 1000)
    return task
