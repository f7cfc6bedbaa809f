"""Demo orders of our own shop: the unified format (OrderCreate) plus "intent", signed HMAC-SHA256.

The unified format has no district field: district and town go in front of the street address.
Service words map back to the shop's service_type; the other words travel as skills. The order's
address point goes as `lng`/`lat` (GCJ-02), as the shop's own geocoder gives it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.intake.adapters import _lastmile
from core.intake.adapters.own import SERVICE_WORDS
from core.intake.model import Intent, PlatformOrder, SignedRequest

CONTENT_TYPE = "application/json"
SERVICE_TYPES = {word: service for service, word in SERVICE_WORDS.items()}


def render(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    records = [_record(order) for order in orders]
    data: Any = records[0] if len(records) == 1 else records
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), CONTENT_TYPE


def signed(body: bytes, secret: str, now: datetime) -> SignedRequest:
    """The shop's headers: the time `now` and HMAC-SHA256 over it and the body."""
    headers = {"content-type": CONTENT_TYPE, **_lastmile.signed_headers(body, secret, now)}
    return SignedRequest(query={}, headers=headers, body=body)


def _record(order: PlatformOrder) -> dict[str, Any]:
    words = [*order.service_tags, *(tag for line in order.lines for tag in line.service_tags)]
    service = next((SERVICE_TYPES[word] for word in words if word in SERVICE_TYPES), None)
    skills = list(dict.fromkeys(word for word in words if word not in SERVICE_TYPES))
    street = order.address
    for part in (order.town, order.district):
        if part and not street.startswith(part):
            street = part + street
    items = []
    for line in order.lines:
        item: dict[str, Any] = {"sku": line.sku, "name": line.name, "quantity": line.quantity,
                                "unit_price_fen": line.unit_price_fen}
        if line.refunded:
            item["refunded"] = True
        items.append(item)
    record: dict[str, Any] = {
        "platform": order.shop or "own",
        "platform_order_id": order.platform_order_id,
        "customer_name": order.customer_name,
        "customer_phone": order.customer_phone,
        "address": street,
        "province": order.province,
        "city": order.city,
        "service_type": service.value if service else None,
        "skills": skills[:20],
        "items": items,
    }
    if order.point is not None:  # the address's geocode, GCJ-02, as the shop sends it
        record["lng"], record["lat"] = order.point.lng, order.point.lat
    if order.intent is not Intent.NEW:
        record["intent"] = order.intent.value
    return record
