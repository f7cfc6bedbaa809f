"""Complaints from follow-up calls: opened with an after-sales order and the original frozen,
listed open first, and ruled by a supervisor.

Upheld: the COMPLAINT flag goes on the original order (the technician's risk weighs it) and his
rating falls (core.services.fieldwork.technician_rating); the order stays frozen with its fee
for finance to settle by hand. Dismissed: the order is unfrozen back to review, and its period
reopened (if it has run out, the next end-of-period round makes the order settleable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.errors import Conflict, NotFound, Refused
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.followups import (
    COMPLAINT_WORDS,
    ComplaintType,
    ReviewPolicy,
    is_repeat_fault,
)
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.technician_rating import rate_technician
from core.services.orders import after_sales_in
from core.storage.audited import Audit, Named, check_version
from core.storage.fieldwork.flags import add_flags
from core.storage.fieldwork.followups import (
    ComplaintRecord,
    ComplaintStatus,
    ReviewPeriodRecord,
    complaint_page,
    lock_complaint,
    lock_period,
    open_on_order,
    order_numbers,
    technician_names,
)
from core.storage.uow import UnitOfWork
from core.text import says_something, with_words

VIEWERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
JUDGES = frozenset({Role.SUPERVISOR, Role.ADMIN})
MAX_PAGE = 200


def problem_reason(complaint: ComplaintType, note: str) -> str:
    """Chinese, then English, each whole, then the customer's words as said."""
    zh, en = COMPLAINT_WORDS[complaint]
    return with_words(f"回访投诉（{zh}），工单及服务费冻结 "
                      f"(follow-up complaint, {en}: the order and its fee are frozen)", note)


def open_complaint(uow: UnitOfWork, order: ServiceOrder, period: ReviewPeriodRecord,
                   policy: ReviewPolicy, followup_id: int | None, kind: ComplaintType,
                   note: str, actor: Actor, now: datetime) -> ComplaintRecord:
    """A problem found by a call (in the caller's transaction): the after-sales order linked to
    the original, the original frozen with the complaint as the reason, and the complaint; a
    repeat fault's second visit free to the customer and charged to the technician."""
    reason = problem_reason(kind, note)
    repeat = is_repeat_fault(policy, kind, period.visited_at or period.started_at, now)
    charged = order.technician_id if repeat else None
    child = after_sales_in(uow, order, actor, now, reason)
    # The second visit's terms travel with the new order's 'created' event.
    child.pending_events[-1].data.update({"free_visit": repeat,
                                          "charged_technician_id": charged})
    order.apply(c.Freeze(), actor, now, reason, backend_reason=not says_something(note))
    uow.session.flush()  # the after-sales order's id
    complaint = ComplaintRecord(
        order_id=order.id, followup_id=followup_id, technician_id=order.technician_id,
        complaint_type=kind.value, note=note, repeat_fault=repeat, charged_technician_id=charged,
        after_sales_order_id=child.id, status=ComplaintStatus.OPEN.value, raised_by=actor.name,
        raised_at=now, ruled_by="", ruled_at=None, ruling_reason="", version=1)
    uow.session.add(complaint)
    return complaint


# -- the list -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListComplaints:
    actor: Actor
    only_open: bool = True
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class ComplaintsPage:
    total: int
    open: int
    rows: list[ComplaintRecord]
    order_numbers: dict[int, str]
    technician_names: dict[int, str]


def handle_complaints(cmd: ListComplaints, uow: UnitOfWork) -> ComplaintsPage:
    """Complaints, open first (Refused 403 unless agent, supervisor or admin)."""
    if cmd.actor.role not in VIEWERS:
        raise Refused(f"角色 '{cmd.actor.role.value}' 不能查看投诉 (role "
                      f"'{cmd.actor.role.value}' may not read complaints)")
    with uow.reads() as session:
        total, open_count, rows = complaint_page(session, cmd.only_open, cmd.offset,
                                                 min(cmd.limit, MAX_PAGE))
        return ComplaintsPage(
            total, open_count, rows,
            order_numbers(session, [r.order_id for r in rows]
                          + [r.after_sales_order_id for r in rows]),
            technician_names(session, [r.technician_id for r in rows]))


def names_of(uow: UnitOfWork, complaints: list[ComplaintRecord]
             ) -> tuple[dict[int, str], dict[int, str]]:
    """The order numbers and technician names a list of complaints shows."""
    with uow.reads() as session:
        return (order_numbers(session, [r.order_id for r in complaints]
                              + [r.after_sales_order_id for r in complaints]),
                technician_names(session, [r.technician_id for r in complaints]))


# -- the ruling -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleComplaint:
    complaint_id: int
    version: int
    uphold: bool
    reason: str
    actor: Actor


@dataclass(frozen=True)
class ComplaintRuled:
    complaint: ComplaintRecord
    order: ServiceOrder
    technician_rating: float | None


class AlreadyRuled(Conflict):
    def __init__(self, complaint_id: int, status: str) -> None:
        super().__init__(f"投诉 {complaint_id} 已裁定（{status}） (complaint {complaint_id} "
                         f"was ruled already: {status})")


UPHELD = "投诉成立 (complaint upheld)"
DISMISSED = "投诉不成立，工单回到观察期 (complaint dismissed: the order returns to review)"


def handle_rule_complaint(cmd: RuleComplaint, uow: UnitOfWork) -> ComplaintRuled:
    """Uphold or dismiss from the version seen, saying why. Refused 403 (not a supervisor or
    admin), NoReason 422, NotFound 404, Stale 409, AlreadyRuled 409."""
    if cmd.actor.role not in JUDGES:
        raise Refused(f"只有主管和管理员可以裁定投诉 (role '{cmd.actor.role.value}' may not "
                      f"rule complaints)")
    now = uow.clock.now()
    audit = Audit.of(cmd.actor.name, now, cmd.reason)
    rating = None
    with uow:
        complaint = lock_complaint(uow.session, cmd.complaint_id)
        if complaint is None:
            raise NotFound(f"没有投诉 {cmd.complaint_id} (there is no complaint "
                           f"{cmd.complaint_id})")
        check_version(Named("该投诉", f"complaint {cmd.complaint_id}"), cmd.version,
                      complaint.version)
        if complaint.status != ComplaintStatus.OPEN.value:
            raise AlreadyRuled(cmd.complaint_id, complaint.status)
        order = uow.orders.get(complaint.order_id)
        assert order is not None
        complaint.ruled_by, complaint.ruled_at = cmd.actor.name, now
        complaint.ruling_reason = audit.reason
        complaint.version += 1
        if cmd.uphold:
            complaint.status = ComplaintStatus.UPHELD.value
            add_flags(uow.session, complaint.order_id, complaint.technician_id,
                      [Flag(FlagKind.COMPLAINT, {
                          "complaint_id": complaint.id, "type": complaint.complaint_type,
                          "repeat_fault": complaint.repeat_fault})], now, cmd.actor.name)
            rating = rate_technician(uow.session, complaint.technician_id,
                                     Audit(cmd.actor.name, now, with_words(UPHELD, audit.reason)))
        else:
            complaint.status = ComplaintStatus.DISMISSED.value
            uow.session.flush()
            if (order.state is OrderState.FROZEN and order.frozen_from is OrderState.IN_REVIEW
                    and not open_on_order(uow.session, complaint.order_id)):
                order.apply(c.Unfreeze(), cmd.actor, now, with_words(DISMISSED, audit.reason))
                period = lock_period(uow.session, complaint.order_id)
                if period is not None:
                    period.closed_at, period.outcome, period.closed_by = None, None, ""
                    period.version += 1
                uow.orders.save(order)
        uow.commit()
    return ComplaintRuled(complaint, order, rating)
