"""Suning (苏宁) open-platform orders: `suning.custom.order.get` and `.order.query` / `.ord.query`.

Envelope `sn_responseContent` -> `sn_body` -> `orderGet` (one order) or `orderQuery` (a page,
with `sn_head` paging), or `sn_error` {error_code, error_msg}. Order fields (orderCode,
orderTotalStatus, customerName, mobNum, provinceName, cityName, districtName, customerAddress,
orderSaleTime, buyerOrdRemark, sellerOrdRemark, payTotalAmount) and line fields under
`orderDetail` (orderLineNumber, orderLineStatus, productCode, itemCode, productName, saleNum,
unitPrice, payAmount, transportFee, returnOrderFlag) as Suning's Java SDK
(`com.suning.api.entity.transaction.OrderGetResponse` / `OrderQueryResponse`) names them; docs:
http://open.suning.com/ospos/apipage/toApiMethodDetailMenu.do?interCode=suning.custom.order.get
http://open.suning.com/ospos/apipage/toApiMethodDetailMenu.do?interCode=suning.custom.order.query
Status values: 10 待发货, 20 已发货, 21 部分发货, 30 交易成功, 40 交易关闭.
Errors name fields relative to the order object (`mobNum`, `orderDetail[0].payAmount`).
Pushes are signed in headers (`suning_sign`); the signed time is the `AppRequestTime` header,
never a query parameter, which no signature covers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import replace
from datetime import datetime
from typing import Any

from core.intake.adapters import _fields as fields
from core.intake.adapters import _values as values
from core.intake.errors import PayloadRejected
from core.intake.freshness import SignedTime, beijing_time
from core.intake.model import Intent, PlatformLine, PlatformOrder, RawRecord, SignedRequest

CLOSED = "40"
# Suning answers an empty page with this error rather than an empty list.
NO_RESULT = "no-result"
SIGN_HEADERS = ("appmethod", "apprequesttime", "appkey", "versionno")


def suning_sign(secret: str, method: str, request_time: str, app_key: str, version: str,
                body: bytes) -> str:
    """signInfo: md5(secret + method + request time + app key + version + base64(body)), hex.

    32 lower-case hex digits, as the common parameters on Suning's API pages describe it
    (e.g. http://openpre.cnsuning.com/ospos/apipage/toApiMethodDetailMenuNew.do?interCode=
    suning.store.sidesnoneorder.query, "signInfo") and Suning's Python SDK computes it
    (suning/api/abstract.py `sign`, headers AppMethod, AppRequestTime, AppKey, VersionNo).
    """
    encoded = base64.b64encode(body).decode("ascii")
    joined = f"{secret}{method}{request_time}{app_key}{version}{encoded}"
    return hashlib.md5(joined.encode()).hexdigest()


class SuningAdapter:
    name = "suning"
    label = "苏宁"
    content_types = ("application/json",)
    signed_headers = (*SIGN_HEADERS, "signinfo")

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        doc = fields.obj(fields.load_json(fields.decode(payload)), "")
        content = fields.child(doc, "sn_responseContent")
        if content.get("sn_error") is not None:
            error = fields.obj(content["sn_error"], "sn_responseContent.sn_error")
            code = str(error.get("error_code") or "")[:80]
            if code.endswith(NO_RESULT):
                return []
            raise PayloadRejected("sn_responseContent.sn_error",
                                  "苏宁返回错误 (Suning error {}: {})".format(
                code, str(error.get("error_msg") or "")[:200]))
        body = fields.child(content, "sn_body", "sn_responseContent")
        for key in ("orderGet", "orderQuery"):
            if key in body:
                orders = fields.listing(body, key, "sn_responseContent.sn_body")
                return [RawRecord(index=i, text=values.record_text(order), data=order,
                                  key=values.key_of(order, "orderCode"))
                        for i, order in enumerate(orders)]
        raise PayloadRejected("sn_responseContent.sn_body",
                              "没有订单数据 (no orders: expected orderGet or orderQuery)")

    def parse(self, record: RawRecord) -> PlatformOrder:
        data = fields.obj(record.data, "")
        status = values.plain(data, "orderTotalStatus", required=False, max_length=20)
        details = fields.listing(data, "orderDetail")
        if not details:
            raise PayloadRejected("orderDetail", "没有商品行 (no order lines)")
        lines = tuple(_line(fields.obj(d, f"orderDetail[{i}]"), f"orderDetail[{i}]")
                      for i, d in enumerate(details))
        intent = _intent(status, details, lines)
        if intent is Intent.CANCEL:  # the whole order is gone, not each line refunded
            lines = tuple(replace(line, refunded=False) for line in lines)
        return PlatformOrder(
            platform="suning", platform_order_id=values.plain(data, "orderCode", max_length=40),
            intent=intent,
            customer_name=values.plain(data, "customerName", max_length=fields.MAX_NAME),
            customer_phone=fields.phone(values.plain(data, "mobNum", max_length=40), "mobNum"),
            address=values.plain(data, "customerAddress", max_length=fields.MAX_ADDRESS),
            province=values.plain(data, "provinceName", required=False, max_length=40),
            city=values.plain(data, "cityName", required=False, max_length=40),
            district=values.plain(data, "districtName", required=False, max_length=40),
            lines=lines,
            paid_fen=values.amount(data, "payTotalAmount"),
            ordered_at=fields.timestamp(data, "orderSaleTime"),
            modified_at=_last_change(details),
            note=values.note(
                values.plain(data, "buyerOrdRemark", required=False, max_length=500),
                values.plain(data, "sellerOrdRemark", required=False, max_length=500)),
            status=status,
        )

    def verify(self, request: SignedRequest, secret: str) -> bool:
        """signInfo over the AppMethod, AppRequestTime, AppKey, VersionNo headers and the body."""
        headers = request.headers
        sign = headers.get("signinfo")
        parts = [headers.get(name) for name in SIGN_HEADERS]
        if not isinstance(sign, str) or not sign or not all(
                isinstance(part, str) and part for part in parts):
            return False
        method, request_time, app_key, version = (str(part) for part in parts)
        expected = suning_sign(secret, method, request_time, app_key, version, request.body)
        return hmac.compare_digest(expected.encode(), sign.strip().lower().encode("utf-8",
                                                                                 "replace"))

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return beijing_time(request.headers.get("apprequesttime"))

    def payload(self, request: SignedRequest) -> bytes:
        return request.body


def _intent(status: str, details: list[Any], lines: tuple[PlatformLine, ...]) -> Intent:
    line_states = [str(d.get("orderLineStatus", "")).strip() for d in details]
    if status == CLOSED or (line_states and all(s == CLOSED for s in line_states)):
        return Intent.CANCEL
    if any(line.refunded for line in lines):
        return Intent.REFUND
    return Intent.NEW


def _line(detail: dict[str, Any], path: str) -> PlatformLine:
    name = values.plain(detail, "productName", path, required=False)
    quantity = values.whole(detail, "saleNum", path)
    # payAmount is what the buyer paid for the line after discounts, freight included.
    paid = values.total(detail, "payAmount", path) - (values.amount(detail, "transportFee", path)
                                                       or 0)
    line_status = values.plain(detail, "orderLineStatus", path, required=False, max_length=20)
    return PlatformLine(
        sku=(values.plain(detail, "itemCode", path, required=False, max_length=64)
             or values.plain(detail, "productCode", path, max_length=64)),
        name=name, quantity=quantity,
        unit_price_fen=values.unit_paid(paid, quantity, f"{path}.payAmount"),
        line_id=values.plain(detail, "orderLineNumber", path, required=False, max_length=40),
        gift=values.is_gift_name(name),
        # returnOrderFlag marks a line with a return; a closed line inside a live order too.
        refunded=values.flag(detail, "returnOrderFlag", path) or line_status == CLOSED,
    )


def _last_change(details: list[Any]) -> datetime | None:
    """The latest orderLineStatusChangeTime (only `suning.custom.ord.query` sends it)."""
    times = [fields.timestamp(d, "orderLineStatusChangeTime", f"orderDetail[{i}]")
             for i, d in enumerate(details)]
    found = [t for t in times if t is not None]
    return max(found) if found else None


ADAPTER = SuningAdapter()
