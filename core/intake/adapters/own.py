"""Our own shop (自营商城): the unified format itself (`own_format.OwnShopOrder`, the fields of
the wire's `OrderCreate`).

A payload is one such object or a JSON list of them. Beside the OrderCreate fields a record may
carry `"intent"` (new | update | cancel | refund, default new) and, per item, `"refunded": true`;
a refund that flags no item refunds every line. `lng`/`lat`, when given, are the address's
geocode in GCJ-02 (both or neither, finite numbers in range; a bad pair refuses the record with
the field named) and become the order's point when it lies near the placed county
(core.services.intake.steps.order_point). An item priced 0 or named 赠品 is a gift, as on
the other platforms. Webhooks are signed as `_lastmile` describes: HMAC-SHA256 under the
shop's secret over the `X-Lastmile-Timestamp` header, "." and the raw body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from core.intake.adapters import _lastmile, _payload, _top
from core.intake.adapters._fields import decode, obj, phone
from core.intake.adapters.own_format import OwnShopOrder
from core.intake.errors import PayloadRejected
from core.intake.freshness import SignedTime
from core.intake.model import (
    AddressPoint,
    Intent,
    PlatformLine,
    PlatformOrder,
    RawRecord,
    SignedRequest,
)
from core.orders.lifecycle import ServiceType

GIFT_WORD = "赠品"
# The words the classifier knows from platform service tags, for the shop's service_type.
SERVICE_WORDS: dict[ServiceType, str] = {
    ServiceType.INSTALL: "安装",
    ServiceType.REPAIR: "维修",
    ServiceType.MEASURE: "测量",
    ServiceType.RETURN_VISIT: "回访",
    ServiceType.AFTER_SALES: "售后",
}


class OwnShopAdapter:
    """Orders of our own shop, already in the unified format."""

    name = "own"
    label = "自营商城"
    content_types: tuple[str, ...] = ("application/json",)
    signed_headers = _lastmile.SIGNED_HEADERS

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        data = _payload.load(decode(payload))
        return [RawRecord(index, _payload.record_text(value, path), value, key=_key(value))
                for index, (path, value) in enumerate(_top.top_level(data))]

    def parse(self, record: RawRecord) -> PlatformOrder:
        body = dict(obj(record.data, ""))
        intent = _intent(body.pop("intent", Intent.NEW.value))
        items, refunded = _refund_flags(body.get("items"))
        if items is not None:
            body["items"] = items
        try:
            order = OwnShopOrder.model_validate(body)
        except ValidationError as exc:
            errors = exc.errors()
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            if first["type"] == "value_error":  # our own rule's words, already bilingual
                reason = f"{first.get('ctx', {}).get('error', first['msg'])}{more}"
            else:
                reason = f"{_problem(first['type'])} ({first['msg']}{more})"
            raise PayloadRejected(_path(first["loc"]), reason) from None
        for field in ("platform_order_id", "customer_name", "address"):
            if not getattr(order, field).strip():
                raise PayloadRejected(field, "不能为空 (blank)")
        for index, item in enumerate(order.items):
            for field in ("sku", "name"):
                if not getattr(item, field).strip():
                    raise PayloadRejected(f"items[{index}].{field}", "不能为空 (blank)")
        everything = intent is Intent.REFUND and not refunded
        lines = tuple(
            PlatformLine(sku=item.sku.strip(), name=item.name.strip(), quantity=item.quantity,
                         unit_price_fen=item.unit_price_fen, line_id=str(index + 1),
                         gift=item.unit_price_fen == 0 or GIFT_WORD in item.name,
                         refunded=everything or index in refunded)
            for index, item in enumerate(order.items))
        words = (SERVICE_WORDS[order.service_type],) if order.service_type else ()
        return PlatformOrder(
            platform=self.name,
            platform_order_id=order.platform_order_id.strip(),
            intent=intent,
            customer_name=order.customer_name.strip(),
            customer_phone=phone(order.customer_phone, "customer_phone"),
            address=order.address.strip(),
            province=order.province.strip(),
            city=order.city.strip(),
            lines=lines,
            paid_fen=sum(line.quantity * line.unit_price_fen for line in lines),
            shop=order.platform.strip(),
            service_tags=tuple(dict.fromkeys((*words, *(s.strip() for s in order.skills if
                                                         s.strip())))),
            # The format refused half a pair, strings, NaN and out-of-range values already.
            point=(AddressPoint(order.lng, order.lat)
                   if order.lng is not None and order.lat is not None else None),
        )

    def verify(self, request: SignedRequest, secret: str) -> bool:
        return _lastmile.verify(request, secret)

    def signed_time(self, request: SignedRequest) -> SignedTime:
        return _lastmile.signed_time(request)

    def payload(self, request: SignedRequest) -> bytes:
        return request.body


def _key(value: Any) -> str:
    if isinstance(value, dict):
        found = value.get("platform_order_id")
        if isinstance(found, str):
            return found[:64]
    return ""


# What the own shop's records may say of an order (it sends no urges).
INTENTS = (Intent.NEW, Intent.UPDATE, Intent.CANCEL, Intent.REFUND)


def _intent(value: Any) -> Intent:
    if not isinstance(value, str) or value not in {intent.value for intent in INTENTS}:
        known = ", ".join(intent.value for intent in INTENTS)
        raise PayloadRejected("intent", f"取值无效 ('{str(value)[:40]}' is not one of {known})")
    return Intent(value)


# Pydantic's error types, worded for the agents (the English message follows in parentheses).
_PROBLEMS = {
    "missing": "缺少该字段",
    "extra_forbidden": "多出不认识的字段",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "too_short": "条目过少",
    "too_long": "条目过多",
    "string_pattern_mismatch": "格式不对",
    "finite_number": "须为有限的数",  # NaN or Infinity (JSON readers take both)
    "enum": "取值无效",
    "literal_error": "取值无效",
}


def _problem(kind: str) -> str:
    """A short Chinese phrase for a pydantic error type."""
    if kind in _PROBLEMS:
        return _PROBLEMS[kind]
    if kind.startswith(("greater_than", "less_than")):
        return "超出范围"
    if kind.endswith(("_type", "_parsing")):
        return "类型不对"
    return "内容不符合要求"


def _refund_flags(items: Any) -> tuple[list[Any] | None, set[int]]:
    """Items without our `refunded` extension (the format refuses unknown fields), and which."""
    if not isinstance(items, list):
        return None, set()
    cleaned: list[Any] = []
    refunded: set[int] = set()
    for index, item in enumerate(items):
        if isinstance(item, dict) and "refunded" in item:
            flag = item["refunded"]
            if not isinstance(flag, bool):
                raise PayloadRejected(f"items[{index}].refunded",
                                      "应为 true 或 false (expected true or false)")
            if flag:
                refunded.add(index)
            item = {key: value for key, value in item.items() if key != "refunded"}
        cleaned.append(item)
    return cleaned, refunded


def _path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a field path: ('items', 0, 'sku') -> items[0].sku."""
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path
                                                                else str(part))
    return path


ADAPTER = OwnShopAdapter()
