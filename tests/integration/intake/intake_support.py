"""Payloads and shared names for the intake integration tests (fixtures are in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from api_tokens import Login
from httpx import Response

from core.contracts.intake import IntakeReceipt
from core.demo.seed import DEMO_INTAKE_SECRETS

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWN_SECRET = DEMO_INTAKE_SECRETS["own"]
# Counties of the tiny dataset's technicians (covered); 330106 (杭州西湖区) is not.
COVERED_ADDRESS = "北京市朝阳区建国路88号"
UNCOVERED_ADDRESS = "浙江省杭州市西湖区文三路1号"
Take = Callable[..., IntakeReceipt]
SetPolicy = Callable[..., None]
Post = Callable[..., Response]
PostSigned = Callable[[str, bytes], Response]
__all__ = ["Login"]  # the intake tests take it from here


def own_order(poid: str, **overrides: Any) -> dict[str, Any]:
    """A record of the own shop's format (core.intake.adapters.own)."""
    body: dict[str, Any] = {
        "platform": "demo-own",
        "platform_order_id": poid,
        "customer_name": "张三",
        "customer_phone": "13812345678",
        "address": COVERED_ADDRESS,
        "items": [{"sku": "AC-KFR35", "name": "空调挂机 1.5匹 KFR-35GW", "quantity": 1,
                   "unit_price_fen": 289900}],
    }
    body.update(overrides)
    return body


def payload(records: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    return json.dumps(records, ensure_ascii=False).encode("utf-8")
