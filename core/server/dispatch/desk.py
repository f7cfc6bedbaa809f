"""Manual dispatch: orders needing a person, bulk assignment, refusals per technician.

Bulk assignment is core.services.assign (the same handler as an order's `assign` action): each
order its own unit of work and its own result; two agents assigning the same order at once get
one 200 and one 409.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import datetime, timedelta

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from core.contracts.dispatch import AssignmentResult, BulkAssign, NeedsPersonRow, RefusalCount
from core.server.deps import DbSession, DeskUser, Now, Uow
from core.server.params import PageSize
from core.server.problems import PROBLEM_RESPONSES
from core.services.assign import AssignOrder, assign_each
from core.services.candidates import sla_due
from core.storage.dispatch import desk

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


@router.post("/dispatch/assign", response_model=list[AssignmentResult],
             responses=PROBLEM_RESPONSES)
def assign(body: BulkAssign, user: DeskUser, uow: Uow) -> list[AssignmentResult]:
    """Assign each order to the technician given, or to its best eligible candidate.

    Answers 200 with one result per order (status 200, 403, 404, 409 or 422 each)."""
    cmds = [AssignOrder(item.order_id, item.version, user.actor, body.reason,
                        technician_id=item.technician_id, pinned=body.pinned)
            for item in body.assignments]
    return [AssignmentResult(ok=r.status == 200, **asdict(r))
            for r in assign_each(cmds, uow)]


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
