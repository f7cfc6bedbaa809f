"""The audit review queue: the orders intake held back (the decision: core.services.intake)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.contracts.intake import AuditFlagOut, ReviewItem, ReviewPage
from core.errors import Conflict, NotFound
from core.orders.lifecycle import OrderState
from core.storage.orders.views import order_rows_select, row_to_order_row
from core.storage.tables import OrderItemRecord, OrderOriginRecord, OrderRecord


def _not_in_review(order_id: int) -> str:
    return f"工单 {order_id} 不在待审核中 (order {order_id} is not waiting for an audit review)"


class NotInReview(Conflict):
    def __init__(self, order_id: int) -> None:
        self.order_id = order_id
        super().__init__(_not_in_review(order_id))


class NoOrderToReview(NotFound):
    """A review of an order that does not exist (same words as NotInReview, answered 404)."""

    def __init__(self, order_id: int) -> None:
        self.order_id = order_id
        super().__init__(_not_in_review(order_id))


def _waiting() -> ColumnElement[bool]:
    return (OrderOriginRecord.audit_state == "review") & (OrderRecord.state == OrderState.NEW)


def review_page(session: Session, limit: int = 100) -> ReviewPage:
    """The orders waiting for review, oldest first (they have waited longest)."""
    waiting = session.execute(
        select(OrderRecord.id, OrderRecord.customer_phone, OrderRecord.address,
               OrderRecord.platform_order_id, OrderOriginRecord.origin)
        .join(OrderOriginRecord, OrderOriginRecord.order_id == OrderRecord.id)
        .where(_waiting())
        .order_by(OrderRecord.created_at, OrderRecord.id)
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count()).select_from(OrderOriginRecord)
        .join(OrderRecord, OrderRecord.id == OrderOriginRecord.order_id).where(_waiting()))
    ids = [row[0] for row in waiting]
    if not ids:
        return ReviewPage(rows=[], total=int(total or 0))
    rows = {r.id: row_to_order_row(r) for r in session.execute(
        order_rows_select().where(OrderRecord.id.in_(ids)))}
    amounts = dict(session.execute(
        select(OrderItemRecord.order_id,
               func.sum(OrderItemRecord.quantity * OrderItemRecord.unit_price_fen))
        .where(OrderItemRecord.order_id.in_(ids)).group_by(OrderItemRecord.order_id)
    ).all())
    return ReviewPage(total=int(total or 0), rows=[
        ReviewItem(
            order=rows[order_id], customer_phone=phone, address=address,
            amount_fen=int(amounts.get(order_id) or 0),
            score=int(origin.get("audit_score", 0)),
            flags=[AuditFlagOut.model_validate(f) for f in origin.get("audit_flags", [])],
            platform_order_id=poid,
        )
        for order_id, phone, address, poid, origin in waiting
    ])
