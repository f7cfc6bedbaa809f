"""New order aggregates from unified OrderCreates, numbered in one reservation: the factory the
create-order handler (core.services.orders) and test fixtures use; platform intake makes its
own orders (core.services.intake.new)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.geo.regions import load_regions
from core.orders.model import Actor, OrderItem, ServiceOrder
from core.storage.orders.numbers import next_order_numbers


def county_name(adcode: str | None) -> str:
    region = load_regions().get(adcode) if adcode else None
    return region.name if region else ""


def build_orders(
    session: Session, orders: Sequence[tuple[OrderCreate, datetime]], actor: Actor
) -> list[ServiceOrder]:
    """Aggregates for new orders received at the given times, numbered in one reservation."""
    if not orders:
        return []
    numbers = next_order_numbers(session, orders[0][1], len(orders))
    built = []
    for (create, at), number in zip(orders, numbers, strict=True):
        fields = create.model_dump(exclude={"items"})
        built.append(
            ServiceOrder.receive(
                actor,
                at,
                order_no=number,
                items=[OrderItem(i.sku, i.name, i.quantity, i.unit_price_fen)
                       for i in create.items],
                county_name=county_name(create.county_adcode),
                **fields,
            )
        )
    return built
