"""The manual-dispatch desk's reads: the orders only a person can place, with why, and who
refused what. Bulk assignment is core.services.assign; an order's candidates are
core.services.candidates.

Read-only handlers: each takes its query and a unit of work, and reads through `uow.reads()`
(no write lock, nothing committed), at the unit of work's clock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from core.contracts.dispatch import NeedsPersonRow, RefusalCount
from core.services.candidates import REFUSAL_WINDOW, sla_due
from core.storage.dispatch import desk
from core.storage.sla.limits import LimitBook
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ListNeedsPerson:
    """Orders in manual dispatch, the most urgent first."""

    limit: int = 500


@dataclass(frozen=True)
class CountRefusals:
    """Refusals and acceptance timeouts per technician over the last `days` days."""

    days: int = REFUSAL_WINDOW.days


def handle_needs_person(cmd: ListNeedsPerson, uow: UnitOfWork) -> list[NeedsPersonRow]:
    """Each order waiting for a person with why it came here (the order's dispatch note, else
    the escalation's reason), since when, and its appointment deadline; the earliest deadline
    first, then the longest waiting."""
    with uow.reads() as session:
        rows = desk.manual_orders(session)
        why = desk.last_escalations(session, [r.id for r in rows])
        book = LimitBook(session)
        dues = {r.id: sla_due(book, r.created_at, r.county_adcode, r.service_type) for r in rows}
    out = []
    for row in rows:
        found = why.get(row.id)
        out.append(NeedsPersonRow(
            order=row,
            reason=row.dispatch_note or (found.reason if found else ""),
            code=found.code if found else "",
            since=found.at if found else row.state_changed_at,
            sla_due=dues[row.id],
        ))
    out.sort(key=lambda r: (r.sla_due or r.order.created_at, r.since or r.order.created_at,
                            r.order.id))
    return out[:cmd.limit]


def handle_refusal_counts(cmd: CountRefusals, uow: UnitOfWork) -> list[RefusalCount]:
    """Per technician with any: refusals and timeouts by code, the most first."""
    since = uow.clock.now() - timedelta(days=cmd.days)
    with uow.reads() as session:
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
