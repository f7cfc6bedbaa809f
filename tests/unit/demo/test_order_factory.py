"""OrderFactory: an endless, reproducible stream of orders with unique platform ids."""

from __future__ import annotations

from core.demo.dataset import OrderFactory


def test_platform_order_ids_are_unique() -> None:
    factory = OrderFactory(seed=3)

    keys = [(o.platform, o.platform_order_id) for o in (factory.next() for _ in range(2000))]

    assert len(set(keys)) == len(keys)


def test_same_seed_gives_the_same_orders() -> None:
    first, second = OrderFactory(seed=11), OrderFactory(seed=11)

    assert [first.next() for _ in range(20)] == [second.next() for _ in range(20)]


def test_different_seeds_give_different_orders() -> None:
    a, b = OrderFactory(seed=1), OrderFactory(seed=2)

    assert [a.next() for _ in range(5)] != [b.next() for _ in range(5)]
