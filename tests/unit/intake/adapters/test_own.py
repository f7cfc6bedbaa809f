"""Our own shop: the unified format, validated with field errors, intents and the signature."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.demo.platforms import own as demo
from core.intake.adapters import get_adapter, read
from core.intake.adapters._lastmile import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "own"
ADAPTER = get_adapter("own")


def record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "order.json").read_text("utf-8"))
    return data


def outcome(data: Any) -> PlatformOrder | PayloadRejected:
    ((_, out),) = read(ADAPTER, json.dumps(data, ensure_ascii=False).encode())
    return out


def test_one_order_in_the_unified_format() -> None:
    ((_, order),) = read(ADAPTER, (FIXTURES / "order.json").read_bytes())

    assert isinstance(order, PlatformOrder)
    assert (order.platform, order.platform_order_id, order.intent) == \
        ("own", "LM20240501000123", Intent.NEW)
    assert (order.province, order.city, order.address) == \
        ("北京市", "北京市", "海淀区中关村大街27号中关村大厦15层")
    assert order.lines[0] == PlatformLine("KFR-35GW-1", "格力 1.5匹 变频挂机", 1, 279900, "1")
    assert order.lines[1].gift  # priced 0 and named 赠品
    assert order.service_tags == ("安装", "空调")
    assert order.paid_fen == 279900 and order.shop == "own"


def test_a_list_with_intents_and_a_refunded_item() -> None:
    results = [out for _, out in read(ADAPTER, (FIXTURES / "orders_batch.json").read_bytes())]

    repair, cancel, refund = results
    assert isinstance(repair, PlatformOrder) and repair.customer_phone == "13500135000"
    assert repair.service_tags == ("维修",)
    assert isinstance(cancel, PlatformOrder) and cancel.intent is Intent.CANCEL
    assert isinstance(refund, PlatformOrder) and refund.intent is Intent.REFUND
    assert [line.refunded for line in refund.lines] == [True, False]


def test_a_refund_that_marks_no_item_refunds_every_line() -> None:
    order = outcome({**record(), "intent": "refund"})

    assert isinstance(order, PlatformOrder)
    assert all(line.refunded for line in order.lines)


@pytest.mark.parametrize(("change", "field"), [
    ({"customer_phone": None}, "customer_phone"),
    ({"customer_phone": "call me please"}, "customer_phone"),
    ({"address": "路" * 100_000}, "address"),
    ({"address": "   "}, "address"),
    ({"intent": "maybe"}, "intent"),
    ({"county_adcode": "33"}, "county_adcode"),
    ({"colour": "red"}, "colour"),
    ({"items": []}, "items"),
    ({"items": [{"sku": "A", "name": "空调", "quantity": 1, "unit_price_fen": -1}]},
     "items[0].unit_price_fen"),
    ({"items": [{"sku": "A", "name": "空调", "quantity": 5000, "unit_price_fen": 1}]},
     "items[0].quantity"),
    ({"items": [{"sku": "A", "name": "空调", "quantity": 1, "unit_price_fen": 1}] * 5000},
     "items"),
    ({"items": [{"sku": "A", "name": "空调", "quantity": 1, "unit_price_fen": 1,
                 "refunded": "yes"}]}, "items[0].refunded"),
])
def test_unusable_orders_are_refused_naming_the_field(change: dict[str, Any],
                                                      field: str) -> None:
    data = {key: value for key, value in {**record(), **change}.items() if value is not None}

    out = outcome(data)

    assert isinstance(out, PayloadRejected) and out.field == field


def test_malformed_json_refuses_the_whole_payload() -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(b'{"platform": "own",')

    assert "malformed JSON" in caught.value.reason


def test_a_lone_surrogate_is_kept_escaped_and_refused_naming_the_field() -> None:
    (kept,) = ADAPTER.records(json.dumps({**record(), "customer_name": "\ud800"}).encode())

    kept.text.encode("utf-8")  # storable as it is: the record is not lost
    assert "\\ud800" in kept.text
    with pytest.raises(PayloadRejected) as refused:
        ADAPTER.parse(kept)
    assert refused.value.field == "customer_name"


def order(intent: Intent = Intent.NEW) -> PlatformOrder:
    at = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    return PlatformOrder(
        platform="own", platform_order_id="LM20240501000900", intent=intent,
        customer_name="刘洋", customer_phone="13600136000", address="中关村大街27号",
        province="北京市", city="北京市", district="海淀区",
        lines=(PlatformLine("KFR-35GW-1", "格力空调", 1, 279900, "1",
                            refunded=intent is Intent.REFUND),
               PlatformLine("GJ-ZJ-01", "赠品：挂架", 1, 0, "2", gift=True)),
        paid_fen=279900, ordered_at=at, modified_at=at, shop="demo-own",
        service_tags=("安装", "空调"))


@pytest.mark.parametrize("intent", [i for i in Intent if i is not Intent.URGE])  # no urges
def test_rendered_orders_read_back_as_the_same_order(intent: Intent) -> None:
    source = order(intent)
    body, content_type = demo.render([source])

    ((_, back),) = read(ADAPTER, body, content_type)

    assert isinstance(back, PlatformOrder)
    # The unified format carries no district or times: the district leads the street.
    assert back == replace(source, district="", address="海淀区中关村大街27号",
                           ordered_at=None, modified_at=None)


def test_the_signature_is_hmac_sha256_of_the_timestamp_and_the_body() -> None:
    body, _ = demo.render([order()])
    now = datetime.now(UTC)
    good = demo.signed(body, "shop-secret", now)
    stamp = good.headers[TIMESTAMP_HEADER]

    assert stamp == str(int(now.timestamp()))
    assert good.headers[SIGNATURE_HEADER] == signature(body, "shop-secret", stamp)
    assert ADAPTER.verify(good, "shop-secret")
    assert ADAPTER.signed_time(good) == datetime.fromtimestamp(int(stamp), UTC)
    assert not ADAPTER.verify(good, "other-secret")
    assert not ADAPTER.verify(SignedRequest({}, good.headers, body.replace(b"1360", b"1390")),
                              "shop-secret")
    assert not ADAPTER.verify(SignedRequest({}, {}, body), "shop-secret")


def test_a_timestamp_changed_after_signing_or_left_out_fails() -> None:
    body, _ = demo.render([order()])
    good = demo.signed(body, "shop-secret", datetime.now(UTC))
    later = str(int(good.headers[TIMESTAMP_HEADER]) + 600)
    moved = SignedRequest({}, {**good.headers, TIMESTAMP_HEADER: later}, body)
    body_only = SignedRequest({}, {SIGNATURE_HEADER: hmac.new(
        b"shop-secret", body, hashlib.sha256).hexdigest()}, body)

    assert not ADAPTER.verify(moved, "shop-secret")
    assert not ADAPTER.verify(body_only, "shop-secret")  # the old, timeless signature
    assert ADAPTER.signed_time(body_only) is None


def test_a_repeated_json_key_refuses_the_payload() -> None:
    # Which of two values counts differs between parsers; neither is taken.
    body = json.dumps(record(), ensure_ascii=False).encode()
    twice = body.replace(b'"customer_phone"', b'"customer_phone": "13900000000", '
                                              b'"customer_phone"', 1)

    with pytest.raises(PayloadRejected, match="duplicate key 'customer_phone'"):
        ADAPTER.records(twice)


def test_validation_problems_are_worded_chinese_first_naming_the_field() -> None:
    bad = {**record(), "colour": "红"}
    bad["items"] = [{**bad["items"][0], "quantity": 5000}]
    (kept,) = ADAPTER.records(json.dumps(bad, ensure_ascii=False).encode())

    with pytest.raises(PayloadRejected) as refused:
        ADAPTER.parse(kept)

    assert refused.value.field in {"colour", "items[0].quantity"}
    assert refused.value.reason.startswith(("多出不认识的字段", "超出范围"))
    assert "(" in refused.value.reason  # the English stays for support staff
