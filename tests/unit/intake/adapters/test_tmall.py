"""Tmall service work cards: the query response, TMC pushes, intents, refusals, signatures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.demo.platforms import tmall as demo
from core.intake.adapters import _top, get_adapter, read
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "tmall"
ADAPTER = get_adapter("tmall")
BEIJING = timedelta(hours=8)


def orders(name: str) -> list[PlatformOrder | PayloadRejected]:
    return [out for _, out in read(ADAPTER, (FIXTURES / name).read_bytes())]


def converted(name: str) -> list[PlatformOrder]:
    found = orders(name)
    assert all(isinstance(out, PlatformOrder) for out in found), found
    return [out for out in found if isinstance(out, PlatformOrder)]


def pushed(card: dict[str, Any]) -> bytes:
    """A WorkcardInfo push whose content's result is a JSON string, as the topic doc says."""
    content = json.dumps({"result": json.dumps(card, ensure_ascii=False)}, ensure_ascii=False)
    return json.dumps({"topic": "tmall_fuwu_WorkcardInfo", "content": content},
                      ensure_ascii=False).encode()


CARD = {"id": 1001, "buyerName": "张三", "buyerMobile": "13800138000",
        "buyerAddress": "浙江 杭州 西湖 文新 文三路100号", "auctionName": "格力空调",
        "auctionId": 600001, "auctionPrice": 259900, "buyAmount": 1, "serviceName": "空调安装"}


def test_query_response_gives_one_order_per_card_in_the_wrapped_data_list() -> None:
    new, moved, cancelled = converted("workcard_query.json")

    assert [o.platform_order_id for o in (new, moved, cancelled)] == \
        ["92209297", "92209301", "92209305"]
    assert (new.intent, moved.intent, cancelled.intent) == (Intent.NEW, Intent.NEW,
                                                            Intent.CANCEL)
    assert (new.customer_name, new.customer_phone) == ("乐发楚", "18350277703")
    assert (new.province, new.city, new.district, new.town) == ("福建省", "厦门市", "同安区",
                                                                "五显镇")
    assert new.address.startswith("禹州香溪里7地块")
    assert new.lines == (PlatformLine(sku="LM103-754", name=new.lines[0].name, quantity=1,
                                      unit_price_fen=36900, line_id="256341063078271494",
                                      service_tags=("晾衣架安装", "晾衣架安装服务")),)
    assert new.shop == "九牧官方旗舰店"
    assert new.ordered_at == datetime(2018, 12, 19, 5, 15, 3, tzinfo=UTC)
    assert new.note == "买家期望服务时间 2018-12-21"


def test_pushed_card_inside_a_json_string_inside_a_json_string_converts() -> None:
    (order,) = converted("tmc_workcard_info.json")

    assert order.platform_order_id == "92159142"
    assert (order.province, order.city, order.district, order.town) == \
        ("贵州省", "遵义市", "红花岗区", "南关镇")
    assert order.lines[0].sku == "11173"  # attributes.itemOuterId, the seller's own code
    assert order.lines[0].unit_price_fen == 89900
    assert order.lines[0].line_id == "299988898142070819"
    assert order.paid_fen == 6000
    assert order.service_tags == ("卫浴大件安装",)
    assert order.ordered_at is not None and order.ordered_at.utcoffset() == BEIJING


def test_consume_page_cancels_and_refuses_a_completion_per_message() -> None:
    info, cancel, complete = orders("tmc_consume_page.json")

    assert isinstance(info, PlatformOrder) and info.intent is Intent.NEW
    assert info.province == "北京" and info.lines[0].sku == "2100542224706"
    assert isinstance(cancel, PlatformOrder)
    assert (cancel.platform_order_id, cancel.intent, cancel.lines) == \
        ("92209305", Intent.CANCEL, ())
    assert cancel.note == "买家申请退款，服务取消"
    assert isinstance(complete, PayloadRejected) and complete.field == "content.action"


@pytest.mark.parametrize(("modified", "intent"), [
    ("2024-05-01 10:00:30", Intent.NEW),
    ("2024-05-01 10:30:00", Intent.UPDATE),
])
def test_a_pushed_card_changed_after_creation_is_an_update(modified: str,
                                                           intent: Intent) -> None:
    card = {**CARD, "gmtCreate": "2024-05-01 10:00:00", "gmtModify": modified}

    ((_, order),) = read(ADAPTER, pushed(card))

    assert isinstance(order, PlatformOrder) and order.intent is intent


@pytest.mark.parametrize("state", [12, 19])
def test_a_card_pushed_in_a_final_task_state_is_cancelled(state: int) -> None:
    ((_, order),) = read(ADAPTER, pushed({**CARD, "taskStatus": state}))

    assert isinstance(order, PlatformOrder) and order.intent is Intent.CANCEL


@pytest.mark.parametrize(("card", "field"), [
    ({k: v for k, v in CARD.items() if k != "buyerMobile"}, "content.result.buyerMobile"),
    ({**CARD, "buyerMobile": "call me"}, "content.result.buyerMobile"),
    ({**CARD, "auctionPrice": -100}, "content.result.auctionPrice"),
    ({**CARD, "buyAmount": 5000}, "content.result.buyAmount"),
    ({**CARD, "buyerAddress": "路" * 100_000}, "content.result.buyerAddress"),
    ({k: v for k, v in CARD.items() if k != "id"}, "content.result.id"),
])
def test_unusable_cards_are_refused_naming_the_platform_field(card: dict[str, Any],
                                                              field: str) -> None:
    ((_, refused),) = read(ADAPTER, pushed(card))

    assert isinstance(refused, PayloadRejected) and refused.field == field


def test_a_message_of_another_topic_is_refused_naming_the_topic() -> None:
    body = json.dumps({"topic": "taobao_trade_TradeCreate", "content": "{}"}).encode()

    ((_, refused),) = read(ADAPTER, body)

    assert isinstance(refused, PayloadRejected) and refused.field == "topic"


def test_an_error_envelope_refuses_the_whole_payload() -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records((FIXTURES / "error_response.json").read_bytes())

    assert caught.value.field == "error_response"
    assert "invalid-sessionkey" in caught.value.reason


def test_a_failed_query_is_refused_naming_its_message_code() -> None:
    body = {"tmall_servicecenter_workcard_query_response": {"result": {
        "success": False, "msg_code": "1008", "msg_info": "工单不存在"}}}

    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(json.dumps(body, ensure_ascii=False).encode())

    assert caught.value.field.endswith("result.msg_code") and "1008" in caught.value.reason


def order(intent: Intent = Intent.NEW, **changes: Any) -> PlatformOrder:
    at = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    base = PlatformOrder(
        platform="tmall", platform_order_id="92209297", intent=intent, customer_name="王芳",
        customer_phone="13912345678", address="文三路478号", province="浙江省", city="杭州市",
        district="西湖区", lines=(PlatformLine("KFR-35GW", "格力空调", 1, 259900, "7001",
                                              service_tags=("空调安装",)),
                                 PlatformLine("GIFT", "赠品：挂架", 1, 0, "7002", gift=True)),
        paid_fen=15000, ordered_at=at, modified_at=at, shop="格力官方旗舰店",
        service_tags=("空调安装",))
    return replace(base, **changes)


@pytest.mark.parametrize("intent", [Intent.NEW, Intent.UPDATE])
def test_rendered_cards_read_back_as_the_same_order(intent: Intent) -> None:
    source = order(intent)
    body, content_type = demo.render([source])

    ((_, back),) = read(ADAPTER, body, content_type)

    assert isinstance(back, PlatformOrder)
    assert (back.platform_order_id, back.intent, back.customer_name, back.customer_phone) == \
        (source.platform_order_id, intent, source.customer_name, source.customer_phone)
    assert (back.province, back.city, back.district) == ("浙江省", "杭州市", "西湖区")
    assert back.address.endswith(source.address)
    assert back.lines == (source.lines[0],)  # one card per item, never one for the gift
    assert (back.paid_fen, back.shop, back.ordered_at) == (15000, source.shop, source.ordered_at)


@pytest.mark.parametrize("intent", [Intent.CANCEL, Intent.REFUND])
def test_rendered_cancels_and_refunds_read_back_as_cancels(intent: Intent) -> None:
    body, content_type = demo.render([order(intent)])

    ((_, back),) = read(ADAPTER, body, content_type)

    assert isinstance(back, PlatformOrder)
    assert (back.platform_order_id, back.intent) == ("92209297", Intent.CANCEL)


def test_several_rendered_orders_are_a_consume_page() -> None:
    many = [order(), order(platform_order_id="92209298"), order(Intent.CANCEL,
                                                                platform_order_id="92209299")]
    body, content_type = demo.render(many)

    back = read(ADAPTER, body, content_type)

    assert _top.TMC_CONSUME in json.loads(body)
    assert [(o.platform_order_id, o.intent) for _, o in back if isinstance(o, PlatformOrder)] \
        == [("92209297", Intent.NEW), ("92209298", Intent.NEW), ("92209299", Intent.CANCEL)]


def test_the_documented_md5_signature_example() -> None:
    # https://open.taobao.com/doc.htm?docId=101617&docType=1: secret helloworld.
    params = {"method": "taobao.item.seller.get", "app_key": "12345678", "session": "test",
              "timestamp": "2016-01-01 12:00:00", "format": "json", "v": "2.0",
              "sign_method": "md5", "fields": "num_iid,title,nick,price,num",
              "num_iid": "11223344"}

    assert _top.sign(params, None, "helloworld", "md5") == "66987CB115214E59E6EC978214934FB8"


@pytest.mark.parametrize(("method", "key", "expected"), [
    # RFC 2202 case 1 (HMAC-MD5) and RFC 4231 case 1 (HMAC-SHA256): data "Hi There".
    ("hmac", "\x0b" * 16, "9294727A3638BB1C13F48EF8158BFC9D"),
    ("hmac-sha256", "\x0b" * 20,
     "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"),
])
def test_hmac_signatures_join_parameters_then_the_body(method: str, key: str,
                                                       expected: str) -> None:
    assert _top.sign({"Hi": " The"}, "re", key, method) == expected


def test_a_push_signed_with_the_secret_passes() -> None:
    body, _ = demo.render([order()])

    assert ADAPTER.verify(demo.signed(body, "app-secret", datetime.now(UTC)), "app-secret")


@pytest.mark.parametrize("method", ["md5", "hmac", "hmac-sha256"])
def test_wrong_secret_tampered_body_or_parameters_fail(method: str) -> None:
    body, _ = demo.render([order()])
    good = _top.signed_request(body, "app-secret", datetime.now(UTC), method)
    assert ADAPTER.verify(good, "app-secret")

    tampered_body = SignedRequest(good.query, good.headers, body.replace("王芳".encode(),
                                                                          "李四".encode()))
    tampered_query = SignedRequest({**good.query, "app_key": "87654321"}, good.headers, body)
    unsigned = SignedRequest({k: v for k, v in good.query.items() if k != "sign"},
                             good.headers, body)

    assert not ADAPTER.verify(good, "another-secret")
    assert not ADAPTER.verify(tampered_body, "app-secret")
    assert not ADAPTER.verify(tampered_query, "app-secret")
    assert not ADAPTER.verify(unsigned, "app-secret")


def test_a_form_post_fails_even_when_signed_over_its_fields() -> None:
    # TOP signs a form's fields as parameters, but the adapter reads a body as JSON: the
    # signature and the parse would read two different things, so a form is never verified.
    fields = {"topic": "tmall_fuwu_WorkcardStatusUpdate", "content": '{"workcard_id":1}'}
    query = {"app_key": "12345678", "sign_method": "md5", "timestamp": "2024-05-01 10:00:00"}
    query["sign"] = _top.sign({**query, **fields}, None, "app-secret")
    body = b"topic=tmall_fuwu_WorkcardStatusUpdate&content=%7B%22workcard_id%22%3A1%7D"

    request = SignedRequest(query, {"content-type": "application/x-www-form-urlencoded"}, body)

    assert not ADAPTER.verify(request, "app-secret")


def test_a_json_body_posted_as_a_form_fails_with_a_query_signed_without_it() -> None:
    # As a form, '{"a": 1}' is one field name with an empty value: TOP drops it from the sign.
    query = {"app_key": "12345678", "sign_method": "md5", "timestamp": "2024-05-01 10:00:00"}
    query["sign"] = _top.sign(query, None, "app-secret")
    body, _ = demo.render([order()])

    as_form = SignedRequest(query, {"content-type": "application/x-www-form-urlencoded"}, body)
    as_json = SignedRequest(query, {"content-type": "application/json"}, body)

    assert not ADAPTER.verify(as_form, "app-secret")
    assert not ADAPTER.verify(as_json, "app-secret")
