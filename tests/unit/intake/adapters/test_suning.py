"""Suning adapter: documented order responses, error envelopes, bad input, signInfo."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo.platforms import suning as demo
from core.intake.adapters import get_adapter, read
from core.intake.adapters.suning import suning_sign
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "suning"
BJ = timezone(timedelta(hours=8))
ADAPTER = get_adapter("suning")


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text("utf-8"))
    return data


def convert(doc: dict[str, Any]) -> list[PlatformOrder | PayloadRejected]:
    return [result for _, result in read(ADAPTER, json.dumps(doc).encode())]


def order_get(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["sn_responseContent"]["sn_body"]["orderGet"]
    return found


def test_order_get_converts_to_the_unified_order() -> None:
    [order] = convert(fixture("order_get.json"))

    assert order == PlatformOrder(
        platform="suning", platform_order_id="30012688956", intent=Intent.NEW,
        customer_name="张伟", customer_phone="15951234567",
        address="江苏省南京市玄武区苏宁大道1号苏宁诺富特公寓A座1806",
        province="江苏省", city="南京市", district="玄武区",
        lines=(
            PlatformLine(sku="SN-WM-T10",
                         name="小天鹅(LittleSwan) 10公斤 滚筒洗衣机 TG100V88WMUIADY5",
                         quantity=1, unit_price_fen=389900, line_id="3001268895601"),
            # saleNum "2.0" for 399.00 paid: 199.50 each.
            PlatformLine(sku="SN-WM-BASE", name="洗衣机底座 加高托架", quantity=2,
                         unit_price_fen=19950, line_id="3001268895602"),
            # No itemCode: Suning's own productCode is the SKU.
            PlatformLine(sku="000000010638915599", name="赠品-洗衣机槽清洁剂", quantity=1,
                         unit_price_fen=0, line_id="3001268895603", gift=True),
        ),
        paid_fen=429800, ordered_at=datetime(2024, 5, 6, 14, 32, 10, tzinfo=BJ),
        note="周末在家，请周六安装", status="10",
    )


def test_order_query_page_reads_closed_and_returned_orders() -> None:
    closed, returned = convert(fixture("order_query.json"))

    assert isinstance(closed, PlatformOrder) and isinstance(returned, PlatformOrder)
    assert (closed.intent, closed.lines[0].refunded) == (Intent.CANCEL, False)
    assert returned.intent is Intent.REFUND
    assert [line.refunded for line in returned.lines] == [False, True]
    # payAmount includes the 15.00 freight: the heater itself cost 2199.00.
    assert returned.lines[0].unit_price_fen == 219900
    assert returned.modified_at == datetime(2024, 5, 9, 18, 20, 45, tzinfo=BJ)


def test_no_result_error_is_an_empty_page() -> None:
    assert ADAPTER.records((FIXTURES / "no_result.json").read_bytes()) == []


def test_other_error_is_refused_naming_sn_error() -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records((FIXTURES / "error.json").read_bytes())

    assert caught.value.field == "sn_responseContent.sn_error"
    assert "api-permission" in caught.value.reason


@pytest.mark.parametrize(("payload", "reason"), [
    (b'{"sn_responseContent": {"sn_body": ', "malformed JSON"),
    (b'{"sn_responseContent": "\xff"}', "neither UTF-8 nor GB18030"),
    (b'{"sn_responseContent": {"sn_body": {"inventory": {}}}}', "expected orderGet"),
    (b'{"jingdong_pop_order_get_responce": {}}', "missing"),
])
def test_unusable_payload_is_refused_as_a_whole(payload: bytes, reason: str) -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(payload)

    assert reason in caught.value.reason


_DELETE = object()
LINE = {"orderLineNumber": "1", "productCode": "P", "productName": "件", "saleNum": "1",
        "payAmount": "1.00"}


def _set(path: str, value: Any) -> dict[str, Any]:
    doc = fixture("order_get.json")
    target: Any = order_get(doc)
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return doc


@pytest.mark.parametrize(("path", "value", "field"), [
    ("orderCode", _DELETE, "orderCode"),
    ("mobNum", "", "mobNum"),
    ("mobNum", "电话见备注", "mobNum"),
    ("customerName", _DELETE, "customerName"),
    ("customerAddress", "路" * 100_000, "customerAddress"),
    ("orderDetail", [], "orderDetail"),
    ("orderDetail", [LINE] * 5000, "orderDetail"),
    ("orderDetail", "[{", "orderDetail"),
    ("orderDetail.0.payAmount", "-3899.00", "orderDetail[0].payAmount"),
    ("orderDetail.0.payAmount", _DELETE, "orderDetail[0].payAmount"),
    ("orderDetail.0.saleNum", "1.5", "orderDetail[0].saleNum"),
    ("orderDetail.0.saleNum", "0.0", "orderDetail[0].saleNum"),
    ("orderDetail.0.returnOrderFlag", "maybe", "orderDetail[0].returnOrderFlag"),
    ("orderDetail.2.productCode", _DELETE, "orderDetail[2].productCode"),
    ("orderSaleTime", "2024-13-45 25:00:00", "orderSaleTime"),
    ("payTotalAmount", "0.001", "payTotalAmount"),
    ("orderDetail.0.payAmount", "2000000.00", "orderDetail[0].payAmount"),
])
def test_bad_field_is_refused_naming_the_suning_path(path: str, value: Any,
                                                      field: str) -> None:
    [refusal] = convert(_set(path, value))

    assert isinstance(refusal, PayloadRejected)
    assert refusal.field == field


def test_a_line_total_may_pass_the_per_unit_cap() -> None:
    doc = _set("orderDetail.0.payAmount", "3000000.00")
    order_get(doc)["orderDetail"][0]["saleNum"] = "3.0"

    [order] = convert(doc)

    assert isinstance(order, PlatformOrder)
    assert order.lines[0].unit_price_fen == 100_000_000


def test_one_bad_order_in_a_page_leaves_the_other() -> None:
    doc = fixture("order_query.json")
    doc["sn_responseContent"]["sn_body"]["orderQuery"][0]["mobNum"] = None

    results = convert(doc)

    assert [type(r).__name__ for r in results] == ["PayloadRejected", "PlatformOrder"]


# -- signInfo -------------------------------------------------------------------------------

NOW = datetime(2024, 5, 6, 15, 0, tzinfo=BJ)


def test_sign_is_md5_of_secret_method_time_key_version_and_base64_body() -> None:
    body = b'{"sn_request":{"sn_body":{"orderGet":{"orderCode":"30012688956"}}}}'
    joined = ("secret" "suning.custom.order.get" "2024-05-06 15:00:00" "key" "v1.2"
              + base64.b64encode(body).decode())

    sign = suning_sign("secret", "suning.custom.order.get", "2024-05-06 15:00:00", "key",
                       "v1.2", body)

    assert sign == hashlib.md5(joined.encode()).hexdigest()
    assert sign == sign.lower() and len(sign) == 32


def test_verify_accepts_what_suning_sends() -> None:
    body = (FIXTURES / "order_get.json").read_bytes()

    assert ADAPTER.verify(demo.signed(body, "app-secret", NOW), "app-secret")


@pytest.mark.parametrize("tamper", ["secret", "body", "time", "missing", "non-ascii"])
def test_verify_refuses_a_wrong_signature(tamper: str) -> None:
    request = demo.signed(b'{"a": 1}', "app-secret", NOW)
    headers = dict(request.headers)
    if tamper == "body":
        request = replace(request, body=b'{"a": 2}')
    if tamper == "time":
        headers["apprequesttime"] = "2024-05-06 15:00:01"
    if tamper == "missing":
        del headers["appkey"]
    if tamper == "non-ascii":
        headers["signinfo"] = "签名"
    request = replace(request, headers=headers)

    assert not ADAPTER.verify(request, "other" if tamper == "secret" else "app-secret")


# -- round trips ----------------------------------------------------------------------------

def demo_order(order_id: str = "30099990001", **changes: Any) -> PlatformOrder:
    base = PlatformOrder(
        platform="suning", platform_order_id=order_id, intent=Intent.NEW,
        customer_name="周一鸣", customer_phone="13655556666", address="南京市玄武区徐庄路6号",
        province="江苏省", city="南京市", district="玄武区",
        lines=(PlatformLine(sku="WM-1", name="滚筒洗衣机", quantity=1, unit_price_fen=329900,
                            line_id=f"{order_id}01"),
               PlatformLine(sku="G-2", name="赠品-清洁剂", quantity=2, unit_price_fen=0,
                            line_id=f"{order_id}02", gift=True)),
        paid_fen=329900, ordered_at=datetime(2024, 5, 6, 9, 0, tzinfo=BJ),
        modified_at=datetime(2024, 5, 6, 9, 0, tzinfo=BJ), note="周六上门", status="10")
    return replace(base, **changes)


@pytest.mark.parametrize("order", [
    demo_order(),
    demo_order(intent=Intent.CANCEL, status="40"),
    demo_order(intent=Intent.REFUND, status="30", lines=(
        demo_order().lines[0], replace(demo_order().lines[1], refunded=True))),
])
def test_render_then_parse_gives_the_order_back(order: PlatformOrder) -> None:
    body, content_type = demo.render([order])

    [(_, back)] = read(ADAPTER, body, content_type)

    assert back == order


def test_render_of_several_orders_is_a_query_page() -> None:
    orders = [demo_order("1"), demo_order("2", intent=Intent.CANCEL, status="40")]
    body, content_type = demo.render(orders)

    back = [result for _, result in read(ADAPTER, body, content_type)]

    assert "orderQuery" in json.loads(body)["sn_responseContent"]["sn_body"]
    assert back == orders


# -- anything else is refused cleanly ------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
SEEDS = [fixture("order_get.json"), fixture("order_query.json")]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_payload_converts_or_is_refused(data: st.DataObject) -> None:
    doc = copy.deepcopy(data.draw(st.sampled_from(SEEDS)))
    path = data.draw(st.sampled_from(_paths(doc)[1:]))
    target: Any = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = data.draw(JSON_VALUES)

    try:
        results = convert(doc)
    except PayloadRejected:
        return
    assert all(isinstance(r, PlatformOrder | PayloadRejected) for r in results)
