"""JD (京东): POP orders and 京东家居服务 (安维) service orders, told apart by their envelope.

POP orders come from `jingdong.pop.order.get` (`jingdong_pop_order_get_responce` ->
`orderDetailInfo` -> `orderInfo`) and `jingdong.pop.order.search` (`..._search_responce` ->
`searchorderinfo_result` -> `orderInfoList`); JD spells "responce" so in every envelope.
Field names follow JD's Java SDK (`com.jd.open.api.sdk.domain.order.OrderQueryJsfService`
`OrderSearchInfo`, `UserInfo`, `ItemInfo`, `CouponDetail`); docs:
https://open.jd.com/home/home#/doc/api?apiCateId=55&apiId=4247&apiName=jingdong.pop.order.get
Service orders (`jingdong.homefw.task.search` / `.close`) are read in `_jd_service`.
Intent: TRADE_CANCELED is CANCEL; LOCKED / PAUSE, or an unshipped order modified more than a
minute after payment, is UPDATE; anything else NEW. Gifts are lines whose name says 赠品.
Errors name fields relative to the order object (`consigneeInfo.mobile`, `itemInfoList[1].jdPrice`).

Pushes are signed with `jd_sign` over the query (`timestamp` there is the signed time) and the
business JSON: the query's `360buy_param_json` when it carries one, else the body. What is
ingested is exactly that JSON: with the JSON in the query the body must be empty (or the same
bytes), never a second, unsigned copy.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from core.intake.adapters import _fields as fields
from core.intake.adapters import _jd_service as service
from core.intake.adapters import _values as values
from core.intake.errors import PayloadRejected
from core.intake.freshness import SignedTime, beijing_time
from core.intake.model import Intent, PlatformLine, PlatformOrder, RawRecord, SignedRequest

GET = "jingdong_pop_order_get_responce"
SEARCH = "jingdong_pop_order_search_responce"
# orderState values (OrderSearchInfo.orderState): TRADE_CANCELED closes the order; LOCKED (a
# cancel or refund is pending) and PAUSE hold it, which changes a known order; the rest
# (WAIT_SELLER_STOCK_OUT, WAIT_GOODS_RECEIVE_CONFIRM, FINISHED_L, ...) are live sales.
CANCELLED_STATES = frozenset({"TRADE_CANCELED"})
HELD_STATES = frozenset({"LOCKED", "PAUSE"})
# Before stock-out only the buyer or seller edits an order (address, phone, remarks), so a
# `modified` this much after payment means a known order changed; later, logistics touch it.
UNSHIPPED_STATES = frozenset({"WAIT_SELLER_STOCK_OUT", "WAIT_SELLER_DELIVERY"})
UPDATE_AFTER = timedelta(minutes=1)
PARAM_JSON = "360buy_param_json"


def jd_sign(params: Mapping[str, str], secret: str) -> str:
    """JD's request sign: md5(secret + k1v1k2v2... sorted by name + secret), upper-case hex.

    Every parameter but `sign` takes part, `360buy_param_json` (the business JSON) included.
    https://open.jd.com/v2/#/doc/dev-guide?listId=2643 (its worked example is in the tests).
    """
    joined = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
    return hashlib.md5(f"{secret}{joined}{secret}".encode()).hexdigest().upper()


class JdAdapter:
    name = "jd"
    label = "京东"
    content_types = ("application/json",)
    signed_headers: tuple[str, ...] = ()  # JD signs the query (and the business JSON)

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        doc = fields.obj(fields.load_json(fields.decode(payload)), "")
        if "error_response" in doc:
            error = fields.obj(doc["error_response"], "error_response")
            raise PayloadRejected("error_response", "京东返回错误 (JD error {}: {})".format(
                str(error.get("code", ""))[:20], str(error.get("zh_desc") or
                                                     error.get("en_desc") or "")[:200]))
        for envelope, cut in _ENVELOPES.items():
            if envelope in doc:
                return cut(_body(doc, envelope), envelope)
        raise PayloadRejected("", "不是京东接口返回的数据 (not a JD response: expected one of "
                              + ", ".join(_ENVELOPES) + ")")

    def parse(self, record: RawRecord) -> PlatformOrder:
        data = fields.obj(record.data, "")
        if "orderId" in data:
            return parse_pop(data)
        if "orderNo" in data:
            return service.parse(data)
        raise PayloadRejected("orderId", "缺少订单号 (missing (neither a POP order nor a "
                                         "service order))")

    def verify(self, request: SignedRequest, secret: str) -> bool:
        """The sign in the query, over the query and the business JSON (`payload`)."""
        sign = request.query.get("sign")
        if not isinstance(sign, str) or not sign:
            return False
        params = {key: str(value) for key, value in request.query.items() if key != "sign"}
        if PARAM_JSON in params:
            if request.body and request.body != self.payload(request):
                return False  # a body beside the signed copy would be an unsigned second one
        else:
            try:
                params[PARAM_JSON] = request.body.decode("utf-8")
            except UnicodeDecodeError:
                return False
        expected = jd_sign(params, secret)
        return hmac.compare_digest(expected.encode(), sign.strip().upper().encode("utf-8",
                                                                                 "replace"))

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return beijing_time(request.query.get("timestamp"))

    def payload(self, request: SignedRequest) -> bytes:
        """The business JSON the sign covers: the query's copy when it has one, else the body."""
        copy = request.query.get(PARAM_JSON)
        return copy.encode("utf-8") if copy is not None else request.body


def _body(doc: dict[str, Any], envelope: str) -> dict[str, Any]:
    body = fields.child(doc, envelope)
    code = body.get("code")
    if code not in (None, "", "0", 0):
        raise PayloadRejected(f"{envelope}.code", "京东返回错误 (JD error {}: {})".format(
            str(code)[:20], str(body.get("zh_desc") or body.get("msg") or "")[:200]))
    return body


def _api_result(result: dict[str, Any], path: str) -> None:
    api = result.get("apiResult")
    if isinstance(api, dict) and api.get("success") in (False, "false"):
        raise PayloadRejected(f"{path}.apiResult", "京东返回错误 (JD error {}: {})".format(
            str(api.get("numberCode", ""))[:20], str(api.get("chineseErrCode") or
                                                    api.get("englishErrCode") or "")[:200]))


def _cut(entries: list[Any], id_key: str) -> list[RawRecord]:
    return [RawRecord(index=i, text=values.record_text(entry), data=entry,
                      key=values.key_of(entry, id_key)) for i, entry in enumerate(entries)]


def _cut_get(body: dict[str, Any], path: str) -> list[RawRecord]:
    detail = fields.child(body, "orderDetailInfo", path)
    _api_result(detail, f"{path}.orderDetailInfo")
    return _cut([fields.child(detail, "orderInfo", f"{path}.orderDetailInfo")], "orderId")


def _cut_search(body: dict[str, Any], path: str) -> list[RawRecord]:
    result = fields.child(body, "searchorderinfo_result", path)
    _api_result(result, f"{path}.searchorderinfo_result")
    where = f"{path}.searchorderinfo_result"
    return _cut(fields.listing(result, "orderInfoList", where, required=False), "orderId")


def _cut_service(body: dict[str, Any], path: str) -> list[RawRecord]:
    return _cut(service.entries(body, path), "orderNo")


_ENVELOPES: dict[str, Callable[[dict[str, Any], str], list[RawRecord]]] = {
    GET: _cut_get, SEARCH: _cut_search,
    service.SEARCH: _cut_service, service.CLOSE: _cut_service,
}


def parse_pop(data: dict[str, Any]) -> PlatformOrder:
    """One POP order (OrderSearchInfo) in unified terms."""
    order_id = values.plain(data, "orderId", max_length=40)
    state = values.plain(data, "orderState", required=False, max_length=40)
    consignee = fields.child(data, "consigneeInfo")
    region = {key: values.plain(consignee, key, "consigneeInfo", required=False, max_length=40)
              for key in ("province", "city", "county", "town")}
    items = fields.listing(data, "itemInfoList")
    if not items:
        raise PayloadRejected("itemInfoList", "没有商品行 (no items)")
    coupons = _sku_coupons(data)
    ordered_at = fields.timestamp(data, "orderStartTime")
    modified_at = fields.timestamp(data, "modified")
    paid_at = fields.timestamp(data, "paymentConfirmTime") or ordered_at
    return PlatformOrder(
        platform="jd", platform_order_id=order_id,
        intent=_intent(state, paid_at, modified_at),
        customer_name=values.plain(consignee, "fullname", "consigneeInfo",
                                   max_length=fields.MAX_NAME),
        customer_phone=_phone(consignee),
        address=values.plain(consignee, "fullAddress", "consigneeInfo",
                             max_length=fields.MAX_ADDRESS),
        province=region["province"], city=region["city"], district=region["county"],
        town=region["town"],
        lines=tuple(_line(fields.obj(item, f"itemInfoList[{i}]"), f"itemInfoList[{i}]", coupons)
                    for i, item in enumerate(items)),
        paid_fen=values.amount(data, "orderPayment"),
        ordered_at=ordered_at, modified_at=modified_at,
        shop=values.plain(data, "venderId", required=False, max_length=40),
        note=values.note(values.plain(data, "orderRemark", required=False, max_length=500),
                         values.plain(data, "venderRemark", required=False, max_length=500)),
        status=state,
    )


def _intent(state: str, paid_at: datetime | None, modified_at: datetime | None) -> Intent:
    if state in CANCELLED_STATES:
        return Intent.CANCEL
    if state in HELD_STATES:
        return Intent.UPDATE
    if (state in UNSHIPPED_STATES and paid_at and modified_at
            and modified_at - paid_at > UPDATE_AFTER):
        return Intent.UPDATE
    return Intent.NEW


def _phone(consignee: dict[str, Any]) -> str:
    """The mobile, else the landline; JD masks both (138****1234) unless decrypted."""
    for key in ("mobile", "telephone"):
        raw = values.plain(consignee, key, "consigneeInfo", required=False, max_length=40)
        if raw:
            return fields.phone(raw, f"consigneeInfo.{key}")
    raise PayloadRejected("consigneeInfo.mobile", "缺少联系电话 (missing)")


def _sku_coupons(data: dict[str, Any]) -> dict[str, int]:
    """Discounts per SKU (couponDetailList entries with a skuId); order-wide ones are left out."""
    found: dict[str, int] = {}
    for i, entry in enumerate(fields.listing(data, "couponDetailList", required=False)):
        path = f"couponDetailList[{i}]"
        coupon = fields.obj(entry, path)
        sku = values.plain(coupon, "skuId", path, required=False, max_length=40)
        if sku:
            found[sku] = found.get(sku, 0) + values.total(coupon, "couponPrice", path)
    return found


def _line(item: dict[str, Any], path: str, coupons: dict[str, int]) -> PlatformLine:
    sku_id = values.plain(item, "skuId", path, max_length=40)
    name = values.plain(item, "skuName", path, required=False)
    quantity = fields.integer(item, "itemTotal", path, low=1)
    price = fields.fen(item, "jdPrice", path)  # before discounts, per unit
    service_name = values.plain(item, "serviceName", path, required=False, max_length=40)
    return PlatformLine(
        sku=values.plain(item, "outerSkuId", path, required=False, max_length=64) or sku_id,
        name=name, quantity=quantity,
        unit_price_fen=values.unit_paid(price * quantity - coupons.get(sku_id, 0), quantity,
                                        f"{path}.jdPrice"),
        line_id=sku_id, gift=values.is_gift_name(name),
        service_tags=(service_name,) if service_name else (),
    )


ADAPTER = JdAdapter()
