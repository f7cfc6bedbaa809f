"""The review period: a verified order waits in review before it may be settled.

`begin_review` is the one step every verification takes next, whoever verified (a person in
the review queue, or the backend's own check of complete evidence): inside the caller's
transaction it starts the order's review period (until now + the client's days), and makes the
follow-up call its client's sampling picks it for (due at once). The caller saves the order
afterwards.

`handle_end_review_periods` ends the periods that ran out: an order still in review with no
open complaint passes the review (SETTLEABLE) by the backend; calls nobody made expire. The
server runs it on a schedule (core.server.outbox); a simulation calls it with its own clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.errors import LastmileError
from core.fieldwork.followups import SampleFacts, sample
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.review_policy import policy_of_client
from core.storage.fieldwork.appointments import client_of_order
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.followups import (
    FollowupRecord,
    FollowupStatus,
    PeriodOutcome,
    ReviewPeriodRecord,
    earlier_periods,
    ended_periods,
    lock_period,
    open_followups_of,
    open_on_order,
    visited_at,
)
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
REVIEWER = Actor("review", Role.SYSTEM)  # the backend's review period; no login shares the name
REVIEW_STARTED = "核验通过，进入回访观察期 (verified: the review period starts)"
REVIEW_LAPSED = "观察期结束且无问题，可结算 (the review period ended without a problem: settleable)"


def _visit(session: Session, order: ServiceOrder) -> datetime | None:
    """When the order was completed: in this transaction (automatic verification at completion)
    or before it."""
    done = [e.at for e in order.pending_events if e.kind == "complete"]
    if done:
        return max(done)
    assert order.id is not None
    return visited_at(session, order.id)


def begin_review(session: Session, order: ServiceOrder, now: datetime) -> None:
    """Start the review period of an order just verified (in the caller's transaction): the
    period until now + its client's days, and the follow-up call if sampling picks it."""
    if order.state is not OrderState.VERIFIED:
        raise ValueError(f"只有已核验的订单进入观察期 (only a verified order enters review, "
                         f"not {order.state.value})")
    assert order.id is not None
    client = client_of_order(session, order.platform)
    policy = policy_of_client(session, client)
    tech = order.technician_id
    flagged = bool(flags_of(session, [order.id]).get(order.id))
    reasons = sample(policy, SampleFacts(order.order_no, order.amount_fen, flagged,
                                         earlier_periods(session, tech) if tech else None))
    until = now + policy.review_period
    event = order.apply(c.StartReview(), REVIEWER, now, REVIEW_STARTED)
    # The timeline says until when, and why a call follows (the event's data, as others carry).
    event.data.update({"review_until": until.isoformat(),
                       "followup_reasons": [r.value for r in reasons]})
    visit = _visit(session, order)
    period = session.get(ReviewPeriodRecord, order.id)  # an order verified again: reopened
    if period is None:
        period = ReviewPeriodRecord(order_id=order.id, version=0)
    period.technician_id, period.client_code = tech, client
    period.visited_at, period.started_at, period.until = visit, now, until
    period.closed_at, period.outcome, period.closed_by = None, None, ""
    period.version = int(period.version or 0) + 1
    session.add(period)
    if reasons:
        session.add(FollowupRecord(
            order_id=order.id, technician_id=tech, reasons=[r.value for r in reasons],
            due_at=now, attempts=0, max_attempts=policy.max_attempts,
            status=FollowupStatus.OPEN.value, outcome=None, rating=None, complaint_type=None,
            note="", recorded_by="", recorded_at=None, created_at=now, version=1))


def close_period(period: ReviewPeriodRecord, outcome: PeriodOutcome, actor: str,
                 now: datetime) -> None:
    period.closed_at, period.outcome, period.closed_by = now, outcome.value, actor
    period.version += 1


# -- the end of review periods --------------------------------------------------------------------

@dataclass(frozen=True)
class EndReviewPeriods:
    """End the review periods that ran out by the clock's now (at most `limit` per call)."""

    limit: int = 500


@dataclass(frozen=True)
class PeriodsEnded:
    settleable: list[int]  # the orders that passed the review
    expired_followups: int


def _end_one(order_id: int, uow: UnitOfWork, now: datetime) -> int | None:
    """Pass one order's review in its own transaction; the follow-ups expired, or None when
    the order no longer qualifies (changed since the query)."""
    with uow:
        # Locked in the order an outcome locks them (the call, then the period): no deadlock.
        expired = open_followups_of(uow.session, order_id)
        period = lock_period(uow.session, order_id)
        order = uow.orders.get(order_id)
        if (period is None or order is None or period.closed_at is not None
                or period.until > now or order.state is not OrderState.IN_REVIEW):
            return None
        for followup in expired:
            followup.status = FollowupStatus.EXPIRED.value
            followup.version += 1
        if open_on_order(uow.session, order_id):  # a complaint opened meanwhile
            return None
        order.apply(c.PassReview(), REVIEWER, now, REVIEW_LAPSED)
        close_period(period, PeriodOutcome.LAPSED, REVIEWER.name, now)
        uow.orders.save(order)
        uow.commit()
        return len(expired)


def handle_end_review_periods(cmd: EndReviewPeriods, uow: UnitOfWork) -> PeriodsEnded:
    """Orders in review whose period ended with no open complaint become settleable (by the
    backend, REVIEWER); the calls nobody made expire. Each order in its own transaction: one
    that changed meanwhile is left for the next round."""
    now = uow.clock.now()
    with uow.reads() as session:
        due = ended_periods(session, now, cmd.limit)
    settleable, expired = [], 0
    for order_id in due:
        try:
            done = _end_one(order_id, uow, now)
        except LastmileError as exc:  # a concurrent change: the next round sees it again
            log.info("review period of order %s not ended: %s", order_id, exc)
            continue
        if done is not None:
            settleable.append(order_id)
            expired += done
    return PeriodsEnded(settleable, expired)
