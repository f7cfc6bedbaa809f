"""JD adapter: POP and 安维 service orders from documented payloads, bad input, signatures."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo.platforms import jd as demo
from core.intake.adapters import get_adapter, read
from core.intake.adapters.jd import jd_sign
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "jd"
BJ = timezone(timedelta(hours=8))
ADAPTER = get_adapter("jd")


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text("utf-8"))
    return data


def convert(payload: bytes | dict[str, Any]) -> list[PlatformOrder | PayloadRejected]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return [result for _, result in read(ADAPTER, body)]


def only_order(payload: bytes | dict[str, Any]) -> PlatformOrder:
    [result] = convert(payload)
    assert isinstance(result, PlatformOrder), result
    return result


def only_refusal(payload: dict[str, Any]) -> PayloadRejected:
    [result] = convert(payload)
    assert isinstance(result, PayloadRejected), result
    return result


def order_info(doc: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = doc["jingdong_pop_order_get_responce"]["orderDetailInfo"]["orderInfo"]
    return info


def test_pop_order_get_converts_to_the_unified_order() -> None:
    order = only_order(fixture("pop_order_get.json"))

    assert order == PlatformOrder(
        platform="jd", platform_order_id="281046817987", intent=Intent.NEW,
        customer_name="王建国", customer_phone="13812345678",
        address="浙江杭州市西湖区西溪街道文三路90号东部软件园5号楼1203室",
        province="浙江", city="杭州市", district="西湖区", town="西溪街道",
        lines=(
            # 2 x 3299.00 less the 300.00 single-item coupon on this SKU: 3149.00 each.
            PlatformLine(sku="KFR-35GW-A1",
                         name="美的(Midea) 1.5匹 新一级能效 变频冷暖 壁挂式空调 KFR-35GW/N8XHA1",
                         quantity=2, unit_price_fen=314900, line_id="100012043978"),
            PlatformLine(sku="100009512346", name="美的 空调挂架 安装支架", quantity=1,
                         unit_price_fen=29900, line_id="100009512346"),
            PlatformLine(sku="GIFT-REMOTE", name="【赠品】空调遥控器支架", quantity=1,
                         unit_price_fen=0, line_id="100020567890", gift=True),
        ),
        paid_fen=659700,
        ordered_at=datetime(2024, 5, 1, 10, 20, 30, tzinfo=BJ),
        modified_at=datetime(2024, 5, 1, 10, 21, 5, tzinfo=BJ),
        shop="10245678", note="请安装师傅提前电话联系", status="WAIT_SELLER_STOCK_OUT",
    )


def test_pop_order_get_record_keeps_the_order_text_and_id() -> None:
    [record] = ADAPTER.records((FIXTURES / "pop_order_get.json").read_bytes())

    assert record.key == "281046817987"
    assert json.loads(record.text)["consigneeInfo"]["fullname"] == "王建国"


@pytest.mark.parametrize(("index", "intent", "status"), [
    (0, Intent.UPDATE, "WAIT_SELLER_STOCK_OUT"),  # modified the next morning: address changed
    (1, Intent.CANCEL, "TRADE_CANCELED"),
    (2, Intent.UPDATE, "LOCKED"),
])
def test_pop_order_search_page_reads_intent_from_state(index: int, intent: Intent,
                                                        status: str) -> None:
    results = convert(fixture("pop_order_search.json"))

    order = results[index]
    assert isinstance(order, PlatformOrder)
    assert (order.intent, order.status) == (intent, status)


def test_pop_order_without_mobile_uses_the_landline() -> None:
    order = convert(fixture("pop_order_search.json"))[0]

    assert isinstance(order, PlatformOrder)
    assert order.customer_phone == "02150801234"


def test_homefw_task_converts_with_service_words_and_sale_number() -> None:
    first, second = convert(fixture("homefw_task_search.json"))

    assert first == PlatformOrder(
        platform="jd", platform_order_id="3001204567", intent=Intent.NEW,
        customer_name="王建国", customer_phone="13812345678",
        address="文三路90号东部软件园5号楼1203室",
        province="浙江", city="杭州市", district="西湖区", town="西溪街道",
        lines=(PlatformLine(
            sku="KFR-35GW-A1",
            name="美的(Midea) 1.5匹 新一级能效 变频冷暖 壁挂式空调 KFR-35GW/N8XHA1",
            quantity=2, unit_price_fen=0, line_id="100012043978",
            service_tags=("安装", "空调挂机安装")),),
        ordered_at=datetime(2024, 5, 1, 11, 50, tzinfo=BJ), shop="SC10245678",
        service_tags=("安装", "空调挂机安装"),
        note="客户要求上午上门 / 销售单号 281046817987 / 期望上门 2024-05-03 / 品牌 美的",
        purchase_id="281046817987",
    )
    assert isinstance(second, PlatformOrder)
    assert (second.customer_phone, second.lines[0].sku, second.service_tags) == (
        "13905712233", "100008899001", ("维修", "电热水器不加热"))
    assert second.ordered_at == datetime(2024, 5, 2, 9, 15, tzinfo=BJ)


def test_homefw_closed_task_is_a_cancel_with_the_reason() -> None:
    order = only_order(fixture("homefw_task_close.json"))

    assert (order.platform_order_id, order.intent, order.note) == (
        "3001204568", Intent.CANCEL, "用户已自行维修，取消服务")


def test_error_response_is_refused_naming_it() -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records((FIXTURES / "error_response.json").read_bytes())

    assert caught.value.field == "error_response"
    assert "无效的access_token" in caught.value.reason


def test_failed_api_result_is_refused_naming_it() -> None:
    doc = fixture("pop_order_get.json")
    doc["jingdong_pop_order_get_responce"]["orderDetailInfo"]["apiResult"] = {
        "success": False, "chineseErrCode": "订单不存在", "numberCode": 10100}

    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(json.dumps(doc).encode())

    assert caught.value.field == "jingdong_pop_order_get_responce.orderDetailInfo.apiResult"


@pytest.mark.parametrize(("payload", "reason"), [
    (b'{"jingdong_pop_order_get_responce": {', "malformed JSON"),
    (b'{"orderId": "\xff\xfe"}', "neither UTF-8 nor GB18030"),
    (b'{"taobao_trade_fullinfo_get_response": {}}', "not a JD response"),
    (b"[]", "expected an object"),
    (b"   ", "empty payload"),
])
def test_unusable_payload_is_refused_as_a_whole(payload: bytes, reason: str) -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(payload)

    assert reason in caught.value.reason


def _set(path: str, value: Any) -> dict[str, Any]:
    doc = fixture("pop_order_get.json")
    target: Any = order_info(doc)
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return doc


_DELETE = object()
ITEM = {"skuId": "1", "outerSkuId": "X", "skuName": "件", "jdPrice": "1.00", "itemTotal": "1"}


@pytest.mark.parametrize(("path", "value", "field"), [
    ("consigneeInfo.fullAddress", _DELETE, "consigneeInfo.fullAddress"),
    ("consigneeInfo.fullAddress", "长" * 100_000, "consigneeInfo.fullAddress"),
    ("consigneeInfo.fullname", "", "consigneeInfo.fullname"),
    ("consigneeInfo.mobile", "", "consigneeInfo.mobile"),
    ("consigneeInfo.mobile", "请联系", "consigneeInfo.mobile"),
    ("consigneeInfo", "{broken", "consigneeInfo"),
    ("orderId", _DELETE, "orderId"),
    ("itemInfoList", [], "itemInfoList"),
    ("itemInfoList", [ITEM] * 5000, "itemInfoList"),
    ("itemInfoList.0.jdPrice", "-3299.00", "itemInfoList[0].jdPrice"),
    ("itemInfoList.0.jdPrice", "三千", "itemInfoList[0].jdPrice"),
    ("itemInfoList.0.itemTotal", "0", "itemInfoList[0].itemTotal"),
    ("itemInfoList.0.itemTotal", "5000", "itemInfoList[0].itemTotal"),
    ("itemInfoList.0", "not an item", "itemInfoList[0]"),
    ("couponDetailList.0.couponPrice", "-1", "couponDetailList[0].couponPrice"),
    ("orderPayment", "1e400", "orderPayment"),
    ("itemInfoList.0.jdPrice", "1000000.01", "itemInfoList[0].jdPrice"),
    ("orderStartTime", "昨天", "orderStartTime"),
    ("orderRemark", "\ud800", "orderRemark"),
])
def test_bad_field_is_refused_naming_the_jd_path(path: str, value: Any, field: str) -> None:
    refusal = only_refusal(_set(path, value))

    assert refusal.field == field


def test_an_order_total_may_pass_the_per_unit_cap() -> None:
    order = only_order(_set("orderPayment", "1500000.00"))

    assert order.paid_fen == 150_000_000


def test_homefw_task_without_phone_is_refused_naming_it() -> None:
    doc = fixture("homefw_task_search.json")
    del doc["jingdong_homefw_task_search_responce"]["ResultInfo"]["fwTastList"][0]["userMobile"]

    refusal = convert(doc)[0]

    assert isinstance(refusal, PayloadRejected) and refusal.field == "userMobile"


def test_homefw_failed_result_code_is_refused() -> None:
    doc = fixture("homefw_task_search.json")
    doc["jingdong_homefw_task_search_responce"]["ResultInfo"].update(
        resultCode=200, errMsg="venderCode不存在")

    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(json.dumps(doc).encode())

    assert caught.value.field.endswith("ResultInfo.resultCode")


def test_one_bad_order_in_a_page_leaves_the_others() -> None:
    doc = fixture("pop_order_search.json")
    result = doc["jingdong_pop_order_search_responce"]["searchorderinfo_result"]
    result["orderInfoList"][1]["consigneeInfo"]["mobile"] = ""

    results = convert(doc)

    assert [type(r).__name__ for r in results] == ["PlatformOrder", "PayloadRejected",
                                                   "PlatformOrder"]


# -- signatures ---------------------------------------------------------------------------

def test_sign_reproduces_jds_worked_example() -> None:
    # JD's dev guide example (https://open.jd.com/v2/#/doc/dev-guide?listId=2643).
    params = {
        "360buy_param_json": '{"end_date":null,"optional_fields":null,"order_state":'
                             '"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"200",'
                             '"start_date":null}',
        "access_token": "yourtoken", "app_key": "yourappkey",
        "method": "jingdong.pop.order.search", "timestamp": "2021-05-07 09:20:39.683+0800",
        "v": "2.0",
    }

    assert jd_sign(params, "yourappSecret") == "D70825340F4084360B9362B60DFD7930"


NOW = datetime(2024, 5, 1, 12, 0, tzinfo=BJ)


def test_verify_accepts_what_jd_sends() -> None:
    body = (FIXTURES / "pop_order_get.json").read_bytes()

    assert ADAPTER.verify(demo.signed(body, "app-secret", NOW), "app-secret")


def test_verify_accepts_a_lower_case_sign() -> None:
    request = demo.signed(b"{}", "app-secret", NOW)
    query = {**request.query, "sign": request.query["sign"].lower()}

    assert ADAPTER.verify(replace(request, query=query), "app-secret")


@pytest.mark.parametrize("tamper", ["secret", "body", "query", "no-sign", "non-ascii-sign"])
def test_verify_refuses_a_wrong_signature(tamper: str) -> None:
    request = demo.signed(b'{"a": 1}', "app-secret", NOW)
    secret = "other" if tamper == "secret" else "app-secret"
    if tamper == "body":
        request = replace(request, body=b'{"a": 2}')
    if tamper == "query":
        request = replace(request, query={**request.query, "app_key": "intruder"})
    if tamper == "no-sign":
        request = replace(request, query={k: v for k, v in request.query.items() if k != "sign"})
    if tamper == "non-ascii-sign":
        request = replace(request, query={**request.query, "sign": "签名"})

    assert not ADAPTER.verify(request, secret)


def query_copy(body: bytes) -> SignedRequest:
    """A push carrying the business JSON in the query as `360buy_param_json`, signed."""
    query = {"method": "jingdong.pop.order.get", "app_key": "k", "v": "2.0",
             "timestamp": "2024-05-01 12:00:00", "360buy_param_json": body.decode()}
    return SignedRequest({**query, "sign": jd_sign(query, "app-secret")}, {}, b"")


def test_with_the_json_in_the_query_the_query_copy_is_what_is_signed_and_taken() -> None:
    body = (FIXTURES / "pop_order_get.json").read_bytes()
    request = query_copy(body)

    assert ADAPTER.verify(request, "app-secret")
    assert ADAPTER.payload(request) == body
    assert ADAPTER.verify(replace(request, body=body), "app-secret")  # the same bytes twice


def test_a_body_beside_a_signed_query_copy_fails() -> None:
    signed = (FIXTURES / "pop_order_get.json").read_bytes()
    other = signed.replace(b"13", b"19")

    assert not ADAPTER.verify(replace(query_copy(signed), body=other), "app-secret")


def test_the_signed_time_is_the_timestamp_parameter() -> None:
    request = demo.signed(b"{}", "app-secret", NOW)

    assert ADAPTER.signed_time(request) == NOW
    assert ADAPTER.payload(request) == b"{}"


def test_verify_refuses_a_body_that_is_not_utf8() -> None:
    request = SignedRequest(query={"sign": "A" * 32}, headers={}, body=b"\xff")

    assert not ADAPTER.verify(request, "app-secret")


# -- round trips ----------------------------------------------------------------------------

def demo_order(order_id: str = "300000000001", **changes: Any) -> PlatformOrder:
    base = PlatformOrder(
        platform="jd", platform_order_id=order_id, intent=Intent.NEW,
        customer_name="钱多多", customer_phone="13700001234", address="江苏南京市鼓楼区中山路1号",
        province="江苏", city="南京市", district="鼓楼区", town="宁海路街道",
        lines=(PlatformLine(sku="AC-1", name="格力空调 1.5匹", quantity=1, unit_price_fen=259900,
                            line_id="100001", service_tags=("安装",)),
               PlatformLine(sku="G-1", name="赠品：遥控器套", quantity=1, unit_price_fen=0,
                            line_id="100002", gift=True)),
        paid_fen=259900, ordered_at=datetime(2024, 5, 1, 9, 0, tzinfo=BJ),
        modified_at=datetime(2024, 5, 1, 9, 0, tzinfo=BJ), shop="10001", note="下午送货",
        status="WAIT_SELLER_STOCK_OUT")
    return replace(base, **changes)


@pytest.mark.parametrize(("order", "status"), [
    (demo_order(), "WAIT_SELLER_STOCK_OUT"),
    (demo_order(intent=Intent.CANCEL, status="TRADE_CANCELED"), "TRADE_CANCELED"),
    (demo_order(intent=Intent.UPDATE, address="江苏南京市鼓楼区中山路2号（已更正）",
                modified_at=datetime(2024, 5, 2, 9, 0, tzinfo=BJ)), "WAIT_SELLER_STOCK_OUT"),
])
def test_render_then_parse_gives_the_order_back(order: PlatformOrder, status: str) -> None:
    body, content_type = demo.render([order])

    [(_, back)] = read(ADAPTER, body, content_type)

    assert back == replace(order, status=status)


def test_render_of_several_orders_is_a_search_page() -> None:
    orders = [demo_order("1"), demo_order("2", intent=Intent.CANCEL, status="TRADE_CANCELED")]
    body, content_type = demo.render(orders)

    back = [result for _, result in read(ADAPTER, body, content_type)]

    assert "jingdong_pop_order_search_responce" in json.loads(body)
    assert back == orders


def test_render_of_a_flawed_demo_order_is_refused_naming_the_mobile() -> None:
    body, content_type = demo.render([demo_order(customer_phone="")])

    [(_, refusal)] = read(ADAPTER, body, content_type)

    assert isinstance(refusal, PayloadRejected) and refusal.field == "consigneeInfo.mobile"


def test_service_task_render_then_parse_gives_the_task_back() -> None:
    order = demo_order(lines=(replace(demo_order().lines[0], service_tags=("安装", "挂机安装")),),
                       paid_fen=None, modified_at=None, status="",
                       service_tags=("安装", "挂机安装"))
    body, content_type = demo.render_service_tasks([order])

    [(_, back)] = read(ADAPTER, body, content_type)

    assert back == replace(order, lines=(replace(order.lines[0], unit_price_fen=0),))


# -- anything else is refused cleanly ------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


SEEDS = [fixture(name) for name in ("pop_order_get.json", "pop_order_search.json",
                                    "homefw_task_search.json", "homefw_task_close.json")]


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
