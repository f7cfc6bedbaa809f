"""An agent's decision on an order the audit held back: approve (audit, then place and
classify when it can be) or reject (cancel, with the agent's reason)."""

from __future__ import annotations

from core.contracts.intake import PlacementOut
from core.errors import Invalid
from core.orders import commands as c
from core.orders.errors import StaleVersion
from core.services.intake.commands import DecideReview
from core.services.intake.steps import place_and_classify
from core.storage.intake.links import origin_record, update_origin
from core.storage.intake.reviews import NoOrderToReview, NotInReview
from core.storage.uow import UnitOfWork


def handle_decide_review(cmd: DecideReview, uow: UnitOfWork) -> None:
    """Invalid without a reason to reject; NoOrderToReview (404) when there is no such order,
    NotInReview (409) when it does not wait for review, StaleVersion (409) when it changed
    since the agent saw it."""
    if not cmd.approve and not cmd.reason.strip():
        raise Invalid("请说明驳回原因 (say why the order is rejected)", loc=("body", "reason"))
    with uow:
        at = uow.clock.now()
        origin = origin_record(uow.session, cmd.order_id, lock=True)
        order = uow.orders.get(cmd.order_id)
        if order is None:
            raise NoOrderToReview(cmd.order_id)
        if origin is None or origin.audit_state != "review":
            raise NotInReview(cmd.order_id)
        if cmd.version != order.version:
            raise StaleVersion(cmd.order_id, cmd.version, order.version)
        data = origin.origin
        if cmd.approve:
            order.apply(c.Audit(), cmd.actor, at, cmd.reason or "人工审核通过")
            placement = data.get("placement")
            place_and_classify(
                order, at, PlacementOut.model_validate(placement) if placement else None,
                data.get("service_type"), list(data.get("skills", [])),
                str(data.get("classify_note", "")))
        else:
            order.apply(c.Cancel(), cmd.actor, at, cmd.reason)
        uow.orders.save(order)
        origin.audit_state = "approved" if cmd.approve else "rejected"
        update_origin(origin, reviewed_by=cmd.actor.name, reviewed_at=at.isoformat(),
                      review_reason=cmd.reason)
        uow.commit()
