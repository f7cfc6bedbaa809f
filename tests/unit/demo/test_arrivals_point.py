"""Demo arrivals carry the order's scattered address point; the own shop's webhook sends it, and
the adapter reads it back, so simulated own-shop orders arrive with an address point."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from core.demo.arrivals import ArrivalStream, platform_order
from core.demo.dataset import OrderFactory
from core.fieldwork.position import PointKind, point_kind
from core.intake.adapters import get_adapter, read
from core.intake.model import AddressPoint, PlatformOrder

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_demo_order_becomes_a_platform_order_with_its_scattered_point() -> None:
    create = OrderFactory(seed=3).next()
    assert create.lng is not None and create.lat is not None

    order = platform_order(create, NOW, random.Random(1))

    assert order.point == AddressPoint(create.lng, create.lat)
    assert point_kind(create.lat, create.lng) is PointKind.ADDRESS


def test_the_own_shops_webhook_delivers_the_point() -> None:
    factory = OrderFactory(seed=5)
    create = next(o for o in (factory.next() for _ in range(500)) if o.platform == "own")
    stream = ArrivalStream(seed=1)
    arrival = stream.signed(platform_order(create, NOW, random.Random(2)), NOW)

    ((_, order),) = read(get_adapter("own"), arrival.request.body)

    assert isinstance(order, PlatformOrder)
    assert order.point == AddressPoint(create.lng or 0.0, create.lat or 0.0)
