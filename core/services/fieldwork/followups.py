"""Follow-up calls: the desk's worklist, one order's review, and a call's outcome.

A satisfied call (a 1-5 rating, which moves the technician's rating) approves the order: the
review passes (SETTLEABLE) unless another call or a complaint on it is still open. A problem
opens an after-sales order linked to the original (ServiceOrder.open_after_sales), freezes the
original with the complaint as the reason (its fee is frozen with it) and records the complaint,
a repeat fault's second visit free to the customer and charged to the technician. Unreachable:
the next try at the time given (or the client's retry delay), and after the client's tries the
call gives up and the period's end decides. Every outcome from the follow-up's version seen.

Agents, supervisors and admins work the list (they see the customer's contact,
core.orders.privacy); finance and technicians never get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.errors import Conflict, Invalid, NotFound, Refused
from core.fieldwork.followups import (
    FollowupRuleError,
    Outcome,
    OutcomeKind,
    check_outcome,
    gives_up,
    next_retry,
)
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.complaints import open_complaint
from core.services.fieldwork.review_period import close_period
from core.services.fieldwork.review_policy import policy_of_client
from core.services.fieldwork.technician_rating import rate_technician
from core.storage.audited import Audit, Named, check_version
from core.storage.fieldwork.followups import (
    ComplaintRecord,
    FollowupRecord,
    FollowupStatus,
    PeriodOutcome,
    ReviewPeriodRecord,
    WorklistRows,
    complaints_of,
    followups_of,
    lock_followup,
    lock_period,
    open_on_order,
    order_numbers,
    period_of,
    technician_names,
    worklist,
)
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork

CALLERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
# Who may read one order's review: the callers, and finance (the contact masked) for the money.
READERS = CALLERS | {Role.FINANCE}
MAX_PAGE = 200


def check_caller(actor: Actor) -> None:
    if actor.role not in CALLERS:
        raise Refused(f"只有坐席、主管和管理员可以回访 (role '{actor.role.value}' may not "
                      f"work follow-up calls)")


class NotInReview(Conflict):
    def __init__(self, order_id: int, state: str) -> None:
        super().__init__(f"工单 {order_id} 当前为 {state}，不在回访观察期 (order {order_id} is "
                         f"{state}: it is not in its review period)")


class FollowupClosed(Conflict):
    def __init__(self, followup_id: int, status: str) -> None:
        super().__init__(f"回访 {followup_id} 已结束（{status}） (follow-up {followup_id} is "
                         f"closed: {status})")


# -- the worklist ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Worklist:
    actor: Actor
    only_due: bool = True
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class WorklistPage:
    now: datetime
    found: WorklistRows
    technician_names: dict[int, str]


def handle_worklist(cmd: Worklist, uow: UnitOfWork) -> WorklistPage:
    """Open follow-ups, due ones first (Refused 403 unless a desk caller)."""
    check_caller(cmd.actor)
    now = uow.clock.now()
    with uow.reads() as session:
        found = worklist(session, now, cmd.only_due, cmd.offset, min(cmd.limit, MAX_PAGE))
        names = technician_names(session, [f.technician_id for f, _, _ in found.rows])
    return WorklistPage(now, found, names)


# -- one order's review ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ShowOrderReview:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class OrderReview:
    order: ServiceOrder
    technician_name: str
    period: ReviewPeriodRecord | None
    followups: list[FollowupRecord]
    complaints: list[ComplaintRecord]
    order_numbers: dict[int, str]  # the order's and its after-sales orders'


def handle_order_review(cmd: ShowOrderReview, uow: UnitOfWork) -> OrderReview:
    """The order's period, follow-ups and complaints (Refused 403: technicians; NotFound)."""
    if cmd.actor.role not in READERS:
        raise Refused(f"角色 '{cmd.actor.role.value}' 不能查看回访 (role "
                      f"'{cmd.actor.role.value}' may not read follow-ups)")
    with uow.reads() as session:
        order = OrderRepository(session).get(cmd.order_id)
        if order is None:
            raise NotFound(f"没有工单 {cmd.order_id} (there is no order {cmd.order_id})")
        name = technician_names(session, [order.technician_id]).get(order.technician_id or 0, "")
        complaints = complaints_of(session, cmd.order_id)
        numbers = order_numbers(session, [cmd.order_id]
                                + [c.after_sales_order_id for c in complaints])
        return OrderReview(order, name, period_of(session, cmd.order_id),
                           followups_of(session, cmd.order_id), complaints, numbers)


# -- a call's outcome -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordOutcome:
    followup_id: int
    version: int
    outcome: Outcome
    actor: Actor


@dataclass(frozen=True)
class OutcomeRecorded:
    followup: FollowupRecord
    order: ServiceOrder
    complaint: ComplaintRecord | None
    technician_rating: float | None


SATISFIED = ("回访满意（{rating} 分），观察期通过 "
             "(follow-up satisfied, rated {rating}: review passed)")


def _loaded(uow: UnitOfWork, cmd: RecordOutcome) -> tuple[FollowupRecord, ServiceOrder,
                                                          ReviewPeriodRecord]:
    followup = lock_followup(uow.session, cmd.followup_id)
    if followup is None:
        raise NotFound(f"没有回访 {cmd.followup_id} (there is no follow-up {cmd.followup_id})")
    check_version(Named("该回访", f"follow-up {cmd.followup_id}"), cmd.version, followup.version)
    if followup.status != FollowupStatus.OPEN.value:
        raise FollowupClosed(cmd.followup_id, followup.status)
    period = lock_period(uow.session, followup.order_id)
    order = uow.orders.get(followup.order_id)
    assert order is not None  # a follow-up's order is never deleted
    if order.state is not OrderState.IN_REVIEW or period is None:
        raise NotInReview(followup.order_id, order.state.value)
    return followup, order, period


def _record(followup: FollowupRecord, outcome: Outcome, actor: Actor, now: datetime) -> None:
    followup.outcome = outcome.kind.value
    followup.rating = outcome.rating
    followup.complaint_type = outcome.complaint.value if outcome.complaint else None
    followup.note = outcome.note.strip()
    followup.recorded_by, followup.recorded_at = actor.name, now
    followup.version += 1


def handle_record_outcome(cmd: RecordOutcome, uow: UnitOfWork) -> OutcomeRecorded:
    """Record a call's outcome from the version seen.

    Refused 403 (not a desk caller), NotFound 404, Stale 409 (changed since seen),
    FollowupClosed 409, NotInReview 409 (the order is not in review), Invalid 422 (the
    outcome lacks what its kind needs: a rating 1-5, a complaint type and a note, a retry time
    after now and within the period)."""
    check_caller(cmd.actor)
    now = uow.clock.now()
    outcome = cmd.outcome
    with uow:
        followup, order, period = _loaded(uow, cmd)
        try:
            check_outcome(outcome, now, period.until)
        except FollowupRuleError as exc:
            raise Invalid(str(exc), loc=("body",)) from exc
        policy = policy_of_client(uow.session, period.client_code)
        complaint, rating = None, None
        _record(followup, outcome, cmd.actor, now)
        if outcome.kind is OutcomeKind.SATISFIED:
            followup.status = FollowupStatus.DONE.value
            why = SATISFIED.format(rating=outcome.rating)
            rating = rate_technician(uow.session, followup.technician_id,
                                     Audit(cmd.actor.name, now, why))
            if not open_on_order(uow.session, order.id or 0, besides_followup=followup.id):
                order.apply(c.PassReview(), cmd.actor, now, why, backend_reason=True)
                close_period(period, PeriodOutcome.APPROVED, cmd.actor.name, now)
        elif outcome.kind is OutcomeKind.PROBLEM:
            followup.status = FollowupStatus.DONE.value
            assert outcome.complaint is not None
            complaint = open_complaint(uow, order, period, policy, followup.id,
                                       outcome.complaint, followup.note, cmd.actor, now)
            close_period(period, PeriodOutcome.COMPLAINT, cmd.actor.name, now)
        else:
            followup.attempts += 1
            retry = outcome.retry_at or next_retry(policy, now, period.until)
            if gives_up(followup.attempts, followup.max_attempts) or retry <= now:
                followup.status = FollowupStatus.GAVE_UP.value
            else:
                followup.due_at = retry
        if order.pending_events:
            uow.orders.save(order)
        uow.commit()
    return OutcomeRecorded(followup, order, complaint, rating)

