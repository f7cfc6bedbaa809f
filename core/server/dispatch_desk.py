"""Manual dispatch: orders needing a person, bulk assignment, refusals per technician.

Each order of a bulk assignment is its own unit of work: one order changed meanwhile answers
409 in its result and the others still go through. Candidates are ranked in a read transaction
first; the write transaction only applies the choice, checking the version the ranking read.
Two agents assigning the same order at once: the repository's version check lets exactly one
write, the other gets 409.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from core.contracts.dispatch import (
    AssignmentIn,
    AssignmentResult,
    BulkAssign,
    CandidateOut,
    NeedsPersonRow,
    RefusalCount,
)
from core.orders.errors import Forbidden, OrderError, StaleVersion
from core.orders.model import ServiceOrder
from core.server.deps import CurrentUser, DbSession, DeskUser, Now, Uow
from core.server.params import PageSize
from core.server.people import ranked_candidates, sla_due
from core.server.problems import PROBLEM_RESPONSES
from core.sla.deadlines import reply_due
from core.storage import dispatch_desk as desk
from core.storage.dispatch_policies import effective_for
from core.storage.orders import OrderRepository
from core.storage.uow import UnitOfWork

router = APIRouter(prefix="/v1", tags=["manual dispatch"])


@router.get("/dispatch/needs-person", response_model=list[NeedsPersonRow],
            responses=PROBLEM_RESPONSES)
def needs_person(session: DbSession, _user: DeskUser,
                 limit: PageSize = 500) -> list[NeedsPersonRow]:
    """Orders in manual dispatch with why; the most urgent (earliest SLA due) first."""
    rows = desk.manual_orders(session)
    why = desk.last_escalations(session, [r.id for r in rows])
    hours = desk.appoint_hours(session, [r.county_adcode or "" for r in rows])
    out = []
    for row in rows:
        found = why.get(row.id)
        out.append(NeedsPersonRow(
            order=row,
            reason=row.dispatch_note or (found.reason if found else ""),
            code=found.code if found else "",
            since=found.at if found else row.state_changed_at,
            sla_due=sla_due(row.created_at, row.county_adcode or "",
                            hours.get(row.county_adcode or "")),
        ))
    out.sort(key=lambda r: (r.sla_due or r.order.created_at, r.since or r.order.created_at,
                            r.order.id))
    return out[:limit]


def _result(item: AssignmentIn, status: int, detail: str, *, order: ServiceOrder | None = None,
            technician: CandidateOut | None = None,
            current_version: int | None = None) -> AssignmentResult:
    return AssignmentResult(
        order_id=item.order_id, ok=status == 200,
        technician_id=technician.technician.id if technician else item.technician_id,
        order_no=order.order_no if order else "",
        technician_name=technician.technician.name if technician else "",
        status=status, detail=detail, current_version=current_version,
    )


def _pick(ranked: list[CandidateOut], item: AssignmentIn,
          order: ServiceOrder) -> CandidateOut | str:
    """The candidate asked for, or the best eligible one; a text says why there is none."""
    if item.technician_id is not None:
        chosen = next((c for c in ranked if c.technician.id == item.technician_id), None)
        return chosen or f"没有在岗的师傅 {item.technician_id}"
    best = next((c for c in ranked if c.eligible and c.technician.id != order.technician_id),
                None)
    return best or "没有符合全部规则的师傅，请手动选择"


def _reason(agent_reason: str, chosen: CandidateOut) -> str:
    said = agent_reason.strip() or "人工派单"
    why = f"{said}：{'、'.join(chosen.reasons)}"
    # A person may break a rule on purpose; the timeline keeps which ones.
    return f"{why}；明知违反：{'、'.join(chosen.breaks)}" if chosen.breaks else why


def _choose(session: Session, item: AssignmentIn,
            now: datetime) -> tuple[ServiceOrder, CandidateOut, int] | AssignmentResult:
    """Rank in a read transaction: (the order as read, the choice, the accept minutes), or
    the result that ends this item. The ranking reads every technician and the order's
    history; the write lock (all of SQLite) is not held meanwhile."""
    try:
        order = OrderRepository(session).get(item.order_id)
        if order is None:
            return _result(item, 404, f"没有工单 {item.order_id}")
        if order.version != item.version:
            return _result(item, 409, f"工单 {order.order_no} 已被他人改动，请刷新后再派",
                           order=order, current_version=order.version)
        chosen = _pick(ranked_candidates(session, order, now), item, order)
        if isinstance(chosen, str):
            return _result(item, 422, chosen, order=order)
        return order, chosen, effective_for(session, order.county_adcode).policy.accept_minutes
    finally:
        session.rollback()  # no read snapshot held while writing, or into the next item


def assign_one(uow: UnitOfWork, session: Session, item: AssignmentIn, body: BulkAssign,
               user: CurrentUser, now: datetime) -> AssignmentResult:
    """One order in its own transaction; never raises for the order's own problems."""
    ranked = _choose(session, item, now)
    if isinstance(ranked, AssignmentResult):
        return ranked
    read, chosen, accept_minutes = ranked
    try:
        with uow:
            order = uow.orders.get(item.order_id)
            if order is None or order.version != read.version:
                # Changed while we ranked: the ranking may no longer fit it.
                current = order.version if order is not None else None
                return _result(item, 409, f"工单 {read.order_no} 已被他人改动，请刷新后再派",
                               order=order, current_version=current)
            order.perform(
                "assign", user.actor, now, _reason(body.reason, chosen),
                technician_id=chosen.technician.id, technician_name=chosen.technician.name,
                pinned=body.pinned, terms=chosen.terms,
                accept_by=reply_due(now, accept_minutes),
            )
            uow.orders.save(order)  # the version check again, in the database
            uow.commit()
            return _result(item, 200, f"已派给{chosen.technician.name}", order=order,
                           technician=chosen)
    except StaleVersion as exc:
        return _result(item, 409, "工单已被他人改动，请刷新后再派", current_version=exc.current)
    except Forbidden as exc:
        return _result(item, 403, str(exc))
    except OrderError as exc:
        return _result(item, 422, str(exc))


@router.post("/dispatch/assign", response_model=list[AssignmentResult],
             responses=PROBLEM_RESPONSES)
def assign(body: BulkAssign, user: DeskUser, uow: Uow,
           session: DbSession, now: Now) -> list[AssignmentResult]:
    """Assign each order to the technician given, or to its best eligible candidate.

    Answers 200 with one result per order (status 200, 403, 404, 409 or 422 each)."""
    return [assign_one(uow, session, item, body, user, now) for item in body.assignments]


def refusal_counts(session: Session, since: datetime) -> list[RefusalCount]:
    found = desk.refusals(session, since=since)
    by_tech: dict[int, Counter[str]] = defaultdict(Counter)
    timeouts: Counter[int] = Counter()
    for r in found:
        by_tech[r.technician_id][r.code] += 1
        timeouts[r.technician_id] += r.timeout
    names = desk.technician_names(session, by_tech)
    out = [
        RefusalCount(technician_id=tid, technician_name=names.get(tid, ""),
                     refusals=sum(codes.values()) - timeouts[tid], timeouts=timeouts[tid],
                     by_code=dict(sorted(codes.items())))
        for tid, codes in by_tech.items()
    ]
    return sorted(out, key=lambda r: (-(r.refusals + r.timeouts), r.technician_id))


@router.get("/dispatch/refusals", response_model=list[RefusalCount],
            responses=PROBLEM_RESPONSES)
def refusals(session: DbSession, _user: DeskUser,
             now: Now, days: int = Query(30, ge=1, le=365)) -> list[RefusalCount]:
    """Refusals and acceptance timeouts per technician over the last `days` days, by code."""
    return refusal_counts(session, now - timedelta(days=days))
