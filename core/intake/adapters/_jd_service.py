"""JD home-service (京东家居服务 / 安维) orders: `jingdong.homefw.task.search` and `.close`.

Names follow JD's Java SDK package `com.jd.open.api.sdk.domain.jjfw` (`RequestOrderService`
`FwTast` / `ResultInfo`, `OutinterfaceCloseorderService` `ColseOrder`, JD's spellings) and the
response classes `HomefwTaskSearchResponse` / `HomefwTaskCloseResponse`, whose payload key is
`ResultInfo` with a capital R; `resultCode` 100 is success (as JD's integrators check it).
JD's pages for these APIs need a vendor login, so the JSON envelope key is modelled on the POP
APIs' documented rule: the method with dots as underscores + "_responce".
A task is one product to install or repair; it carries no price (the sale is the POP order
`saleOrderNo`, kept in the note). A closed task carries only `orderNo` and `reason`.
"""

from __future__ import annotations

from typing import Any

from core.intake.adapters import _fields as fields
from core.intake.adapters import _values as values
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder

SEARCH = "jingdong_homefw_task_search_responce"
CLOSE = "jingdong_homefw_task_close_responce"
SUCCESS = 100
CLOSED_STATUS = "closed"


def entries(body: dict[str, Any], path: str) -> list[Any]:
    """The tasks (search) or closed tasks (close) of one response body."""
    result = fields.child(body, "ResultInfo", path)
    code = result.get("resultCode")
    if str(code).strip() != str(SUCCESS):
        raise PayloadRejected(f"{path}.ResultInfo.resultCode",
                              "京东返回错误 (JD error {}: {})".format(
            str(code)[:20], str(result.get("errMsg") or "")[:200]))
    key = "closeOrderList" if path == CLOSE else "fwTastList"
    return fields.listing(result, key, f"{path}.ResultInfo", required=False)


def parse(data: dict[str, Any]) -> PlatformOrder:
    order_no = values.plain(data, "orderNo", max_length=40)
    if "reason" in data and "userMobile" not in data and "userName" not in data:
        return PlatformOrder(
            platform="jd", platform_order_id=order_no, intent=Intent.CANCEL,
            customer_name="", customer_phone="", address="", status=CLOSED_STATUS,
            note=values.plain(data, "reason", required=False, max_length=500))
    tags = tuple(tag for tag in (
        values.plain(data, "serviceTypeName", required=False, max_length=40),
        values.plain(data, "serviceItemName", required=False, max_length=40)) if tag)
    return PlatformOrder(
        platform="jd", platform_order_id=order_no, intent=Intent.NEW,
        customer_name=values.plain(data, "userName", max_length=fields.MAX_NAME),
        customer_phone=fields.phone(values.plain(data, "userMobile", max_length=40),
                                    "userMobile"),
        address=values.plain(data, "userAddress", max_length=fields.MAX_ADDRESS),
        province=values.plain(data, "userProvince", required=False, max_length=40),
        city=values.plain(data, "userCity", required=False, max_length=40),
        district=values.plain(data, "userCounty", required=False, max_length=40),
        town=values.plain(data, "userTown", required=False, max_length=40),
        lines=(_line(data, tags),),
        ordered_at=fields.timestamp(data, "createDate"),
        shop=values.plain(data, "shopCode", required=False, max_length=40),
        service_tags=tags,
        note=values.note(
            values.plain(data, "remark", required=False, max_length=500),
            _labelled("销售单号", values.plain(data, "saleOrderNo", required=False,
                                               max_length=40)),
            _labelled("期望上门", values.plain(data, "wishBookDate", required=False,
                                               max_length=40)),
            _labelled("品牌", values.plain(data, "brandName", required=False, max_length=40))),
        purchase_id=values.plain(data, "saleOrderNo", required=False, max_length=40),
    )


def _line(data: dict[str, Any], tags: tuple[str, ...]) -> PlatformLine:
    sku = values.plain(data, "sku", required=False, max_length=64)
    outer = values.plain(data, "outerId", required=False, max_length=64)
    if not (sku or outer):
        raise PayloadRejected("sku", "缺少商品编码 (missing)")
    quantity_key = "serviceNum" if data.get("serviceNum") not in (None, "") else "num"
    return PlatformLine(
        sku=outer or sku,
        name=(values.plain(data, "skuName", required=False)
              or values.plain(data, "productName", required=False)),
        quantity=values.whole(data, quantity_key, required=False),
        unit_price_fen=0, line_id=sku, service_tags=tags,
    )


def _labelled(label: str, value: str) -> str:
    return f"{label} {value}" if value else ""
