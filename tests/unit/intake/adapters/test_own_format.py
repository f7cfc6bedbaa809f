"""The own shop's format is manual entry's wire format (OrderCreate extends it): both take a
good record and refuse control characters, bidi overrides, line breaks, unknown fields and
an order without items."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from core.contracts.orders import OrderCreate
from core.intake.adapters.own_format import OwnShopOrder

GOOD: dict[str, Any] = {
    "platform": "own", "platform_order_id": "A-1", "customer_name": "张三",
    "customer_phone": "13800000000", "address": "北京市东城区景山前街4号",
    "skills": ["空调安装"], "items": [{"sku": "K1", "name": "空调", "quantity": 1,
                                      "unit_price_fen": 100}],
}


def test_manual_entry_takes_the_own_shops_format() -> None:
    assert issubclass(OrderCreate, OwnShopOrder)


@pytest.mark.parametrize("change", [
    {"customer_name": "张\x00三"},
    {"address": "北京\u202e市"},
    {"city": "北\n京"},
    {"skills": ["空调\x1b安装"]},
    {"items": [{"sku": "K\x07", "name": "空调", "quantity": 1, "unit_price_fen": 1}]},
    {"extra": 1},
    {"items": []},
])
def test_both_refuse_what_the_format_refuses(change: dict[str, Any]) -> None:
    record = {**GOOD, **change}

    def accepts(model: type[BaseModel]) -> bool:
        try:
            model.model_validate(record)
        except ValidationError:
            return False
        return True

    assert not accepts(OwnShopOrder) and not accepts(OrderCreate)


def test_both_take_a_good_record() -> None:
    assert OrderCreate.model_validate(GOOD).items[0].unit_price_fen == 100
    assert OwnShopOrder.model_validate(GOOD).customer_name == "张三"
