"""The own shop's address point: a good GCJ-02 pair is kept on the platform order; half a pair,
a value out of range, NaN, Infinity, a string or true is refused naming the field and why.
Manual entry (OrderCreate extends the shop's format) refuses and takes the same pairs."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from core.contracts.orders import OrderCreate
from core.demo.platforms import own as demo
from core.intake.adapters import get_adapter, read
from core.intake.errors import PayloadRejected
from core.intake.model import AddressPoint, Intent, PlatformLine, PlatformOrder

ADAPTER = get_adapter("own")
RECORD: dict[str, Any] = {
    "platform": "own", "platform_order_id": "A-1", "customer_name": "张三",
    "customer_phone": "13800000000", "address": "北京市朝阳区建国路88号",
    "items": [{"sku": "K1", "name": "空调", "quantity": 1, "unit_price_fen": 100}],
}


def outcome(text: str) -> PlatformOrder | PayloadRejected:
    ((_, out),) = read(ADAPTER, text.encode())
    return out


def with_fields(**fields: Any) -> str:
    return json.dumps({**RECORD, **fields}, ensure_ascii=False)


def test_a_good_pair_is_kept_as_the_orders_address_point() -> None:
    order = outcome(with_fields(lng=116.4613, lat=39.9087))

    assert isinstance(order, PlatformOrder)
    assert order.point == AddressPoint(lng=116.4613, lat=39.9087)


def test_whole_degrees_are_numbers_too() -> None:
    order = outcome(with_fields(lng=116, lat=40))

    assert isinstance(order, PlatformOrder) and order.point == AddressPoint(116.0, 40.0)


@pytest.mark.parametrize("fields", [{}, {"lng": None, "lat": None}])
def test_no_pair_is_no_point(fields: dict[str, Any]) -> None:
    order = outcome(with_fields(**fields))

    assert isinstance(order, PlatformOrder) and order.point is None


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"lng": 116.46}, "lat", "缺少 lat"),
    ({"lat": 39.9}, "lat", "缺少 lng"),
    ({"lng": 116.46, "lat": None}, "lat", "缺少 lat"),
    ({"lng": None, "lat": 39.9}, "lat", "缺少 lng"),
    ({"lng": 181.0, "lat": 39.9}, "lng", "超出范围"),
    ({"lng": 116.46, "lat": -90.5}, "lat", "超出范围"),
    ({"lng": "116.46", "lat": 39.9}, "lng", "类型不对"),
    ({"lng": 116.46, "lat": True}, "lat", "类型不对"),
])
def test_a_bad_pair_is_refused_naming_the_field(
    fields: dict[str, Any], field: str, words: str
) -> None:
    refused = outcome(with_fields(**fields))

    assert isinstance(refused, PayloadRejected)
    assert refused.field == field
    assert words in refused.reason and "(" in refused.reason  # Chinese, then the English


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(literal: str) -> None:
    # Python's JSON reader takes these literals, so the format must refuse them itself.
    text = with_fields(lng=0.0, lat=39.9).replace('"lng": 0.0', f'"lng": {literal}')
    assert literal in text

    refused = outcome(text)

    assert isinstance(refused, PayloadRejected)
    assert refused.field == "lng" and "有限" in refused.reason


def test_the_refused_record_keeps_its_raw_text_for_the_dead_letter() -> None:
    ((record, out),) = read(ADAPTER, with_fields(lng=116.46).encode())

    assert isinstance(out, PayloadRejected)
    assert '"lng":116.46' in record.text and '"A-1"' in record.text


@pytest.mark.parametrize("fields", [{"lng": 116.46}, {"lat": 39.9}, {"lng": math.nan, "lat": 1.0},
                                    {"lng": 116.46, "lat": 91.0}])
def test_manual_entry_refuses_the_same_pairs(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        OrderCreate.model_validate({**RECORD, **fields})


def test_manual_entry_takes_a_pair_and_none() -> None:
    assert OrderCreate.model_validate({**RECORD, "lng": 116.46, "lat": 39.9}).lat == 39.9
    assert OrderCreate.model_validate(RECORD).lng is None


@pytest.mark.parametrize(("lng", "lat"), [(math.nan, 30.0), (120.0, math.inf), (200.0, 30.0),
                                          (120.0, -95.0)])
def test_an_address_point_is_always_a_coordinate(lng: float, lat: float) -> None:
    with pytest.raises(ValueError, match="not a coordinate"):
        AddressPoint(lng, lat)


def test_the_demo_shop_sends_the_point_and_the_adapter_reads_it_back() -> None:
    sent = PlatformOrder(
        platform="own", platform_order_id="LM1", intent=Intent.NEW, customer_name="张三",
        customer_phone="13800000000", address="建国路88号", province="北京市", city="北京市",
        lines=(PlatformLine("K1", "空调", 1, 100),), shop="demo-own",
        point=AddressPoint(116.461234, 39.908765))
    body, _ = demo.render([sent])
    assert json.loads(body)["lng"] == 116.461234

    ((_, order),) = read(ADAPTER, body)

    assert isinstance(order, PlatformOrder) and order.point == sent.point
    # The signed request carries the same body (what the simulator posts).
    assert demo.signed(body, "s", datetime(2026, 3, 2, tzinfo=UTC)).body == body
