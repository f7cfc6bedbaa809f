"""One purchase, one service order: a trade and its work cards (a sale and its tasks) join.

A Tmall work card names its trade (parent_biz_order_id) and a JD home-service task its sale
(saleOrderNo); PlatformOrder.purchase() gives the purchase both belong to. Whichever arrives
first makes the service order and claims (purchase, trade); the other, however much later, joins
that order instead of making a second one a technician would be sent to again. The merge window
does not apply: a card may follow its trade by days, after dispatch began.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.intake.model import ConvertedOrder, PlatformOrder
from core.storage.tables import IntakePurchaseRecord, OrderItemRecord


def purchase_orders(session: Session, source: PlatformOrder) -> dict[str, int]:
    """trade -> service order id of every order the source's purchase already has."""
    platform, purchase_id = source.purchase()
    rows = session.execute(
        select(IntakePurchaseRecord.trade, IntakePurchaseRecord.order_id).where(
            IntakePurchaseRecord.platform == platform,
            IntakePurchaseRecord.purchase_id == purchase_id,
        )
    ).all()
    return {trade: order_id for trade, order_id in rows}


def joining(session: Session, orders: dict[str, int], visit: ConvertedOrder,
            alone: bool) -> int | None:
    """The purchase's order a visit joins: the one of its trade, else the one with its goods
    (SKU), else the purchase's only order when the visit is the platform order's only one (a
    card's service words may classify apart from the goods they install)."""
    if visit.trade in orders:
        return orders[visit.trade]
    targets = sorted(set(orders.values()))
    if not targets:
        return None
    same_goods = set(session.scalars(
        select(OrderItemRecord.order_id).where(
            OrderItemRecord.order_id.in_(targets),
            OrderItemRecord.sku.in_({line.sku[:64] for line in visit.lines}))))
    if len(same_goods) == 1:
        return same_goods.pop()
    return targets[0] if alone and len(targets) == 1 else None


def claim(session: Session, source: PlatformOrder, trade: str, order_id: int,
          at: datetime) -> None:
    """Record that `order_id` serves the source's purchase for `trade` (a concurrent claim of
    the same purchase and trade fails on the key; the caller takes the record in again)."""
    platform, purchase_id = source.purchase()
    session.add(IntakePurchaseRecord(platform=platform, purchase_id=purchase_id, trade=trade,
                                     order_id=order_id, created_at=at))
    session.flush()


def purchases_of(session: Session, order_id: int) -> int:
    """How many purchases feed the service order (more than one once merged by the window)."""
    count = session.scalar(
        select(func.count()).select_from(
            select(IntakePurchaseRecord.platform, IntakePurchaseRecord.purchase_id)
            .where(IntakePurchaseRecord.order_id == order_id).distinct().subquery()))
    return int(count or 0)
