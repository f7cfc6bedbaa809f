"""Taobao trades: fullinfo, pull pages, RDS rows, TMC messages, gifts, refunds, signatures."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.demo.platforms import taobao as demo
from core.intake.adapters import _top, get_adapter, read
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "taobao"
ADAPTER = get_adapter("taobao")


def converted(name: str) -> list[PlatformOrder]:
    found = [out for _, out in read(ADAPTER, (FIXTURES / name).read_bytes())]
    assert all(isinstance(out, PlatformOrder) for out in found), found
    return [out for out in found if isinstance(out, PlatformOrder)]


def fullinfo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "trade_fullinfo.json").read_text("utf-8"))
    return data


def refused(data: Any) -> PayloadRejected:
    ((_, out),) = read(ADAPTER, json.dumps(data, ensure_ascii=False).encode())
    assert isinstance(out, PayloadRejected), out
    return out


def test_fullinfo_trade_with_a_gift_and_a_linked_service_order() -> None:
    (order,) = converted("trade_fullinfo.json")

    assert (order.platform_order_id, order.intent) == ("1876543210987654321", Intent.NEW)
    assert (order.customer_name, order.customer_phone) == ("王小明", "13812345678")
    assert (order.province, order.city, order.district, order.town) == \
        ("浙江省", "杭州市", "西湖区", "文新街道")
    aircon, gift = order.lines
    assert aircon == PlatformLine(sku="KFR-35GW-1", name=aircon.name, quantity=1,
                                  unit_price_fen=279900, line_id="1876543210987654322",
                                  service_tags=("空调安装服务",))
    assert gift.gift and gift.unit_price_fen == 0 and not aircon.gift
    assert order.paid_fen == 279900
    assert order.note == "周末下午上门安装；送装一体"
    assert order.shop == "格力官方旗舰店"
    assert order.ordered_at == datetime(2024, 5, 1, 2, 20, 30, tzinfo=UTC)


def test_a_refunded_line_makes_a_refund_of_that_line() -> None:
    (order,) = converted("trade_refund.json")

    assert order.intent is Intent.REFUND
    assert [line.refunded for line in order.lines] == [True, False]
    assert order.customer_phone == "139****5678"  # masked numbers are kept as sent


def test_a_trade_closed_by_taobao_is_a_cancel() -> None:
    (order,) = converted("trade_closed.json")

    assert (order.intent, order.status) == (Intent.CANCEL, "TRADE_CLOSED_BY_TAOBAO")


def test_a_pull_page_gives_one_order_per_trade() -> None:
    water, curtain = converted("trades_sold_increment.json")

    assert water.customer_phone == "01064721234"  # receiver_phone when there is no mobile
    assert (curtain.province, curtain.city, curtain.district) == ("吉林省", "长春市", "朝阳区")
    assert curtain.lines[0].unit_price_fen == 54900  # payment 1098.00 for 2
    assert curtain.lines[1].gift  # 赠品 in the title


def test_an_address_change_message_with_the_fetched_trade_is_an_update() -> None:
    (order,) = converted("tmc_address_changed.json")

    assert order.intent is Intent.UPDATE
    assert (order.address, order.town) == ("古墩路701号紫金广场C座2201", "三墩镇")


def test_a_close_message_cancels_by_tid_alone() -> None:
    (order,) = converted("tmc_trade_close.json")

    assert (order.platform_order_id, order.intent, order.lines) == \
        ("2024050398765432101", Intent.CANCEL, ())


def test_rds_rows_hold_the_fullinfo_response_as_a_json_string() -> None:
    aircon, kitchen = converted("jdp_trade_rows.json")

    assert (aircon.platform_order_id, aircon.intent) == ("1876543210987654321", Intent.NEW)
    assert (kitchen.platform_order_id, kitchen.intent) == ("2024050212345678901", Intent.REFUND)


def test_gbk_encoded_bytes_are_read() -> None:
    raw = (FIXTURES / "trade_fullinfo_gbk.json").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")

    (order,) = converted("trade_fullinfo_gbk.json")

    assert (order.customer_name, order.district) == ("欧阳娟", "武侯区")
    assert order.note == "请提前电话联系，需要拆旧盖板"


def test_a_message_without_the_trade_is_refused_saying_what_to_fetch() -> None:
    message = {"topic": "taobao_trade_TradeLogisticsAddressChanged",
               "content": json.dumps({"tid": 1876543210987654321, "buyer_nick": "t**1"})}

    out = refused(message)

    assert out.field == "trade_fullinfo_get_response"
    assert "taobao.trade.fullinfo.get" in out.reason


def test_a_message_naming_another_trade_than_it_carries_is_refused() -> None:
    message = {"topic": "taobao_trade_TradeLogisticsAddressChanged",
               "content": json.dumps({"tid": 42}), **fullinfo()}

    assert refused(message).field == "content.tid"


def mutated(path: list[str | int], value: Any, *, drop: bool = False) -> dict[str, Any]:
    data = fullinfo()
    target: Any = data["trade_fullinfo_get_response"]["trade"]
    for step in path[:-1]:
        target = target[step]
    if drop:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


ORDER0 = ["orders", "order", 0]
TRADE = "trade_fullinfo_get_response.trade"


@pytest.mark.parametrize(("path", "value", "drop", "field"), [
    (["receiver_name"], None, True, f"{TRADE}.receiver_name"),
    (["receiver_mobile"], "", False, f"{TRADE}.receiver_mobile"),
    (["receiver_address"], "路" * 100_000, False, f"{TRADE}.receiver_address"),
    ([*ORDER0, "price"], "-1.00", False, f"{TRADE}.orders.order[0].price"),
    ([*ORDER0, "price"], "12.345", False, f"{TRADE}.orders.order[0].price"),
    ([*ORDER0, "num"], 0, False, f"{TRADE}.orders.order[0].num"),
    ([*ORDER0, "title"], ["not", "text"], False, f"{TRADE}.orders.order[0].title"),
    (["orders", "order"], [], False, f"{TRADE}.orders.order"),
    (["payment"], "NaN", False, f"{TRADE}.payment"),
    (["created"], "yesterday", False, f"{TRADE}.created"),
])
def test_unusable_trades_are_refused_naming_the_platform_field(
        path: list[str | int], value: Any, drop: bool, field: str) -> None:
    assert refused(mutated(path, value, drop=drop)).field == field


@pytest.mark.parametrize("status", ["WAIT_BUYER_PAY", "TRADE_NO_CREATE_PAY"])
def test_an_unpaid_trade_is_refused_until_it_is_paid(status: str) -> None:
    out = refused(mutated(["status"], status))

    assert out.field == f"{TRADE}.status" and status in out.reason


def test_five_thousand_lines_are_refused() -> None:
    data = fullinfo()
    line = data["trade_fullinfo_get_response"]["trade"]["orders"]["order"][0]
    data["trade_fullinfo_get_response"]["trade"]["orders"]["order"] = [
        copy.deepcopy(line) for _ in range(5000)]

    out = refused(data)

    assert out.field == f"{TRADE}.orders.order" and "5000" in out.reason


def test_an_error_envelope_refuses_the_whole_payload() -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records((FIXTURES / "error_response.json").read_bytes())

    assert caught.value.field == "error_response" and "交易不存在" in caught.value.reason


def order(intent: Intent = Intent.NEW, **changes: Any) -> PlatformOrder:
    at = datetime(2024, 5, 1, 2, 20, 30, tzinfo=UTC)
    return replace(PlatformOrder(
        platform="taobao", platform_order_id="3012345678901234567", intent=intent,
        customer_name="王小明", customer_phone="13812345678", address="文三路478号1203室",
        province="浙江省", city="杭州市", district="西湖区", town="文新街道",
        lines=(PlatformLine("KFR-35GW-1", "格力空调", 2, 279950, "3012345678901234568",
                            service_tags=("空调安装服务",)),
               PlatformLine("GJ-ZJ-01", "空调挂架", 1, 0, "3012345678901234569", gift=True)),
        paid_fen=559900, ordered_at=at, modified_at=at, shop="格力官方旗舰店",
        service_tags=("延保服务",), note="周末上门"), **changes)


@pytest.mark.parametrize("intent", [i for i in Intent if i is not Intent.URGE])  # no urges
def test_rendered_trades_read_back_as_the_same_order(intent: Intent) -> None:
    source = order(intent)
    body, content_type = demo.render([source])

    ((_, back),) = read(ADAPTER, body, content_type)

    assert isinstance(back, PlatformOrder)
    refunded = intent is Intent.REFUND  # a refund marking no line refunds every line
    expected_lines = tuple(replace(line, refunded=refunded) for line in source.lines)
    assert back == replace(source, lines=expected_lines, status=back.status)


def test_a_batch_with_an_address_change_is_a_list_of_envelopes() -> None:
    many = [order(), order(Intent.UPDATE, platform_order_id="3012345678901234570")]
    body, content_type = demo.render(many)

    back = [out for _, out in read(ADAPTER, body, content_type)]

    assert isinstance(json.loads(body), list)
    assert [(o.platform_order_id, o.intent) for o in back if isinstance(o, PlatformOrder)] == \
        [("3012345678901234567", Intent.NEW), ("3012345678901234570", Intent.UPDATE)]


def test_a_batch_of_new_trades_is_an_increment_page() -> None:
    many = [order(), order(platform_order_id="3012345678901234570")]
    body, content_type = demo.render(many)

    assert "trades_sold_increment_get_response" in json.loads(body)
    assert len(read(ADAPTER, body, content_type)) == 2


def test_a_push_signed_with_hmac_sha256_passes_and_a_tampered_one_fails() -> None:
    body, _ = demo.render([order()])
    good = demo.signed(body, "app-secret", datetime.now(UTC))

    assert good.query["sign_method"] == "hmac-sha256"
    assert ADAPTER.verify(good, "app-secret")
    assert not ADAPTER.verify(good, "wrong-secret")
    assert not ADAPTER.verify(SignedRequest(good.query, good.headers, body + b" "),
                              "app-secret")
    assert not ADAPTER.verify(SignedRequest({**good.query, "sign_method": "sha1"},
                                            good.headers, body), "app-secret")


def test_a_gbk_body_is_signed_as_its_text() -> None:
    body = (FIXTURES / "trade_fullinfo_gbk.json").read_bytes()
    query = {"app_key": "12345678", "sign_method": "md5", "timestamp": "2024-05-06 20:00:00"}
    query["sign"] = _top.sign(query, body.decode("gbk"), "app-secret")

    request = SignedRequest(query, {"content-type": "application/json;charset=GBK"}, body)

    assert ADAPTER.verify(request, "app-secret")
