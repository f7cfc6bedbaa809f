"""The review period: a verified order waits in review before it may be settled.

`begin_review` is the one step every verification takes next, whoever verified (a person in
the review queue, or the backend's own check of complete evidence): inside the caller's
transaction it starts the order's review period. The caller saves the order afterwards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder

REVIEWER = Actor("review", Role.SYSTEM)  # the backend's review period; no login shares the name
REVIEW_STARTED = "核验通过，进入回访观察期 (verified: the review period starts)"


def begin_review(session: Session, order: ServiceOrder, now: datetime) -> None:
    """Start the review period of an order just verified (in the caller's transaction)."""
    del session  # the period's own records come with the review-period slice
    if order.state is not OrderState.VERIFIED:
        raise ValueError(f"只有已核验的订单进入观察期 (only a verified order enters review, "
                         f"not {order.state.value})")
    order.apply(c.StartReview(), REVIEWER, now, REVIEW_STARTED)
