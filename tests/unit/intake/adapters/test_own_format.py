"""The own shop's format and the wire's OrderCreate are one format, kept in two places."""

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


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema without the models' own names and descriptions."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("title", "description")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str) and value.startswith("#/$defs/"):
            return "#/$defs/" + value.rsplit("/", 1)[1].replace("OwnShop", "").replace(
                "ItemIn", "Item").replace("OrderCreate", "Order")
        return value

    schema = strip(model.model_json_schema())
    schema["$defs"] = {k.replace("OwnShop", "").replace("ItemIn", "Item"): v
                       for k, v in schema.get("$defs", {}).items()}
    return schema


def test_the_two_formats_have_one_schema() -> None:
    assert _schema(OwnShopOrder) == _schema(OrderCreate)


@pytest.mark.parametrize("change", [
    {},
    {"customer_name": "张\x00三"},
    {"address": "北京\u202e市"},
    {"city": "北\n京"},
    {"skills": ["空调\x1b安装"]},
    {"items": [{"sku": "K\x07", "name": "空调", "quantity": 1, "unit_price_fen": 1}]},
    {"extra": 1},
    {"items": []},
])
def test_the_two_formats_take_and_refuse_the_same_records(change: dict[str, Any]) -> None:
    record = {**GOOD, **change}

    def accepts(model: type[BaseModel]) -> bool:
        try:
            model.model_validate(record)
        except ValidationError:
            return False
        return True

    assert accepts(OwnShopOrder) == accepts(OrderCreate)
