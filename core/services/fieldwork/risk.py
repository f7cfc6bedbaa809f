"""Technician risk for supervisors and admins: the list (a score per technician from his flags,
highest first), one technician's flagged orders, and routing a risky technician's completions
to manual review (an audited setting: audit_log kind technician_review).

Other slices ask `needs_manual_review(session, technician_id)` (core.storage.fieldwork.risk)
when a completion arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.contracts.fieldwork.risk import (
    FlaggedOrderOut,
    RiskFlagOut,
    RiskListOut,
    RiskReasonOut,
    TechnicianReviewOut,
    TechnicianRiskDetailOut,
    TechnicianRiskOut,
)
from core.errors import Invalid, NotFound, Refused
from core.fieldwork import risk as rule
from core.fieldwork.flags import FlagKind, words
from core.geo.regions import load_regions
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.audited import Audit, AuditLog, Named, Stale, check_version, lock
from core.storage.fieldwork.risk import (
    Activity,
    TechnicianReviewRecord,
    activity,
    flagged_orders,
    reviews,
)
from core.storage.people.accounts import TechnicianView, technician, technicians
from core.storage.uow import UnitOfWork

LEADS = frozenset({Role.SUPERVISOR, Role.ADMIN})
REVIEW_LOG = AuditLog.shared("technician_review")
DRILL_DOWN_ORDERS = 200
NO_ACTIVITY = Activity((), 0, 0)


@dataclass(frozen=True)
class ListRisk:
    actor: Actor
    days: int = rule.DEFAULT_DAYS


@dataclass(frozen=True)
class ShowRisk:
    technician_id: int
    actor: Actor
    days: int = rule.DEFAULT_DAYS
    limit: int = DRILL_DOWN_ORDERS


@dataclass(frozen=True)
class SetReviewCompletions:
    """Route the technician's completions to manual review (or stop) from the version seen."""

    technician_id: int
    review: bool
    version: int
    reason: str
    actor: Actor


def _lead_only(actor: Actor) -> None:
    if actor.role not in LEADS:
        raise Refused("只有主管和管理员可以查看和设置师傅风险 (only supervisors and admins "
                      "see and act on technician risk)")


def _window(now: datetime, days: int) -> tuple[datetime, datetime]:
    try:
        return rule.window(now, days)
    except ValueError:
        raise Invalid(f"天数须在 1 到 {rule.MAX_DAYS} 之间 (days must lie within "
                      f"1..{rule.MAX_DAYS})", loc=("query", "days")) from None


def kind_text(kind: str) -> str:
    """A kind in words, Chinese first; a kind this code does not know yet as it is."""
    try:
        known = FlagKind(kind)
    except ValueError:
        return kind
    return f"{words(known)} ({words(known, 'en')})"


def _risk_out(view: TechnicianView, seen: Activity,
              review: TechnicianReviewRecord | None) -> TechnicianRiskOut:
    t = view.record
    risk = rule.assess(seen.counts, seen.orders, seen.flagged_orders)
    county = load_regions().get(t.county_adcode)
    return TechnicianRiskOut(
        technician_id=t.id, name=t.name, service_point=view.service_point,
        county_name=county.name if county else t.county_adcode, active=bool(t.active),
        score=risk.score, band=risk.band.value, points=risk.points, orders=risk.orders,
        flagged_orders=risk.flagged_orders,
        reasons=[RiskReasonOut(kind=r.kind, text=kind_text(r.kind), orders=r.orders,
                               flags=r.flags, points=r.points) for r in risk.reasons],
        review_completions=bool(review and review.review_completions),
        review_version=review.version if review is not None else 0)


def handle_risk_list(cmd: ListRisk, uow: UnitOfWork) -> RiskListOut:
    """Every active technician (and an inactive one with flags or work in the window) with
    his score, the highest first."""
    _lead_only(cmd.actor)
    since, until = _window(uow.clock.now(), cmd.days)
    with uow.reads() as session:
        views = technicians(session)
        seen = activity(session, since, until)
        routed = reviews(session)
    rows = [_risk_out(v, seen.get(v.record.id, NO_ACTIVITY), routed.get(v.record.id))
            for v in views
            if v.record.active or v.record.id in seen or v.record.id in routed]
    rows.sort(key=lambda r: (-r.score, -r.points, r.technician_id))
    return RiskListOut(days=cmd.days, since=since, until=until, technicians=rows)


def handle_risk_detail(cmd: ShowRisk, uow: UnitOfWork) -> TechnicianRiskDetailOut:
    """One technician's risk and his flagged orders in the window, the latest first."""
    _lead_only(cmd.actor)
    since, until = _window(uow.clock.now(), cmd.days)
    with uow.reads() as session:
        view = technician(session, cmd.technician_id)
        if view is None:
            raise _no_technician(cmd.technician_id)
        seen = activity(session, since, until, [cmd.technician_id]).get(cmd.technician_id,
                                                                         NO_ACTIVITY)
        routed = reviews(session, [cmd.technician_id]).get(cmd.technician_id)
        orders = flagged_orders(session, cmd.technician_id, since, until, cmd.limit)
    return TechnicianRiskDetailOut(
        days=cmd.days, since=since, until=until, risk=_risk_out(view, seen, routed),
        orders=[FlaggedOrderOut(
            order_id=o.order_id, order_no=o.order_no, state=o.state, last_at=o.last_at,
            flags=[RiskFlagOut(kind=f.kind, text=kind_text(f.kind), detail=f.detail, at=f.at,
                               raised_by=f.raised_by) for f in o.flags])
            for o in orders])


def _no_technician(technician_id: int) -> NotFound:
    return NotFound(f"没有师傅 {technician_id} (there is no technician {technician_id})")


def _review_out(technician_id: int, row: TechnicianReviewRecord | None) -> TechnicianReviewOut:
    if row is None:
        return TechnicianReviewOut(technician_id=technician_id, review_completions=False,
                                   version=0, updated_by="", updated_at=None)
    return TechnicianReviewOut(technician_id=technician_id,
                               review_completions=row.review_completions, version=row.version,
                               updated_by=row.updated_by, updated_at=row.updated_at)


def _current_version(session: Session, technician_id: int) -> int:
    row = session.get(TechnicianReviewRecord, technician_id)
    return row.version if row is not None else 0


def handle_set_review(cmd: SetReviewCompletions, uow: UnitOfWork) -> TechnicianReviewOut:
    """The versioned, audited switch: Stale (409) unless `version` is current (0: never set);
    saving what is already set changes nothing."""
    _lead_only(cmd.actor)
    now = uow.clock.now()
    audit = Audit.of(cmd.actor.name, now, cmd.reason)
    tid = cmd.technician_id
    name = Named(f"师傅 {tid} 的完工复核设置", f"completion review of technician {tid}")
    with uow:
        session = uow.session
        if technician(session, tid) is None:
            raise _no_technician(tid)
        row = lock(session, TechnicianReviewRecord, TechnicianReviewRecord.technician_id == tid)
        if row is None:
            check_version(name, cmd.version, 0)
            if not cmd.review:
                return _review_out(tid, None)  # not routed already: nothing to change
            row = TechnicianReviewRecord(technician_id=tid, review_completions=False, version=0,
                                         updated_by="", updated_at=None)
            session.add(row)
        subject = row

        def write(values: dict[str, Any]) -> None:
            subject.review_completions = bool(values["review_completions"])
            subject.updated_by, subject.updated_at = cmd.actor.name, now

        try:
            REVIEW_LOG.change(session, tid, row, seen=cmd.version, name=name,
                              before={"review_completions": bool(row.review_completions)},
                              after={"review_completions": cmd.review}, audit=audit,
                              write=write)
        except IntegrityError:
            # Another supervisor set it first, from the same "never set": theirs stands.
            session.rollback()
            with uow.reads() as fresh:
                raise Stale(name, cmd.version, _current_version(fresh, tid)) from None
        uow.commit()
        return _review_out(tid, row)
