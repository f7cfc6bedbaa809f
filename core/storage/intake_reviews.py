"""The audit review queue: orders intake held back, and an agent's approve or reject."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.contracts.intake import AuditFlagOut, PlacementOut, ReviewDecision, ReviewItem, ReviewPage
from core.orders.errors import StaleVersion
from core.orders.lifecycle import OrderState
from core.orders.model import Actor
from core.storage.intake_links import origin_record, update_origin
from core.storage.intake_steps import place_and_classify
from core.storage.tables import OrderItemRecord, OrderOriginRecord, OrderRecord
from core.storage.uow import UnitOfWork
from core.storage.views import order_rows_select, row_to_order_row


class NotInReview(Exception):
    def __init__(self, order_id: int) -> None:
        self.order_id = order_id
        super().__init__(f"order {order_id} is not waiting for an audit review")


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


def decide(uow: UnitOfWork, order_id: int, decision: ReviewDecision, actor: Actor,
           at: datetime) -> None:
    """Approve (audit, then place and classify when possible) or reject (cancel with reason)."""
    origin = origin_record(uow.session, order_id, lock=True)
    order = uow.orders.get(order_id)
    if origin is None or order is None or origin.audit_state != "review":
        raise NotInReview(order_id)
    if decision.version != order.version:
        raise StaleVersion(order_id, decision.version, order.version)
    data = origin.origin
    if decision.approve:
        order.perform("audit", actor, at, decision.reason or "人工审核通过")
        placement = data.get("placement")
        place_and_classify(order, at, PlacementOut.model_validate(placement) if placement else None,
                           data.get("service_type"), list(data.get("skills", [])),
                           str(data.get("classify_note", "")))
    else:
        order.perform("cancel", actor, at, decision.reason)
    uow.orders.save(order)
    origin.audit_state = "approved" if decision.approve else "rejected"
    update_origin(origin, reviewed_by=actor.name, reviewed_at=at.isoformat(),
                  review_reason=decision.reason)
