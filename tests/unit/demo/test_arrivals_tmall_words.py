"""The demo's Tmall buyers urge (催单) and sign for their goods: some updates to a Tmall card
arrive as urges, the others carry the signing time; both read back through the adapter, and the
seed's orders are the same as without them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.demo.arrivals import SIGNED_BEFORE, Arrival, ArrivalStream
from core.demo.dataset import OrderFactory
from core.intake.adapters import get_adapter, read
from core.intake.model import Intent, PlatformOrder

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _stream(n: int) -> list[Arrival]:
    factory, stream = OrderFactory(seed=5), ArrivalStream(seed=1)
    return [stream.arrival(factory.next(), NOW + timedelta(minutes=i)) for i in range(n)]


def _read(arrival: Arrival) -> PlatformOrder:
    ((_, order),) = read(get_adapter(arrival.platform), arrival.request.body,
                         arrival.content_type)
    assert isinstance(order, PlatformOrder)
    return order


def test_tmall_updates_are_urges_or_tell_the_signing() -> None:
    arrivals = _stream(3000)
    urges = [a for a in arrivals if a.kind == "urge"]
    tmall_updates = [a for a in arrivals if a.kind == "update" and a.platform == "tmall"]

    assert urges and tmall_updates
    for arrival in urges:
        urge = _read(arrival)
        assert (urge.intent, urge.platform_order_id) == (Intent.URGE, arrival.platform_order_id)
        assert urge.urge_ref and "催单" in urge.note
    for arrival in tmall_updates:
        update = _read(arrival)
        assert update.intent is Intent.UPDATE and update.goods_signed_at is not None
        assert update.goods_signed_at <= (update.modified_at or NOW) - SIGNED_BEFORE


def test_the_seeds_orders_stay_as_they_were() -> None:
    kinds = [(a.platform_order_id, "update" if a.kind == "urge" else a.kind)
             for a in _stream(500)]
    factory, stream = OrderFactory(seed=5), ArrivalStream(seed=1)
    stream._tmall_word = lambda update, now: (update, "update")  # type: ignore[method-assign]
    plain = [(a.platform_order_id, a.kind)
             for a in (stream.arrival(factory.next(), NOW + timedelta(minutes=i))
                       for i in range(500))]

    assert kinds == plain
