"""The technician's end of the visit: complete, or report that it cannot be completed.

Completing (the technician, or a desk role acting for him and saying why) applies `complete`
— his virtual number is released through the one lifecycle rule — and then the backend's own
check: the order's evidence is assessed by the review queue's own code
(core.services.fieldwork.review.assess_served). When the verdict is READY and no supervisor
routed the technician's completions to manual review (core.storage.fieldwork.risk
.needs_manual_review), the backend verifies the order (Role.SYSTEM, the review period's
REVIEWER) and the review period begins (begin_review), in the same transaction. Otherwise the
order stays SERVED in the review queue; the completion's event says why (incomplete, flagged,
or the technician under manual review).

Cannot complete takes a reason code and says more: a reason that needs another visit by him
sends the order back to him to book again, any other to a person at dispatch
(core.orders.model); the CANNOT_COMPLETE flag is raised in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.verification import Assessment, Requirement, Verdict
from core.orders import commands as c
from core.orders.lifecycle import CANNOT_COMPLETE_WORDS, CannotCompleteCode, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.axb import AxbProvider
from core.services.fieldwork.axb_bindings import try_now
from core.services.fieldwork.review import assess_served
from core.services.fieldwork.review_period import REVIEWER, begin_review
from core.services.orders import current_order, take_action
from core.storage.audited import Audit
from core.storage.fieldwork.flags import add_flags
from core.storage.fieldwork.risk import needs_manual_review
from core.storage.uow import UnitOfWork
from core.text import both, with_words

NOTE_LOC = ("body", "note")


class Outcome(StrEnum):
    """What the backend's check at completion did."""

    VERIFIED = "verified"  # evidence complete: verified by the backend, review period begun
    INCOMPLETE = "incomplete"  # something required is missing: the review queue
    FLAGGED = "flagged"  # something is flagged: the review queue
    MANUAL_REVIEW = "manual_review"  # a supervisor routed his completions to a person


OUTCOME_WORDS: dict[Outcome, tuple[str, str]] = {
    Outcome.VERIFIED: ("证据齐全，系统自动核验通过", "evidence complete: verified by the system"),
    Outcome.INCOMPLETE: ("证据不全，转人工核验", "evidence incomplete: waits for a reviewer"),
    Outcome.FLAGGED: ("证据有疑点，转人工核验", "evidence flagged: waits for a reviewer"),
    Outcome.MANUAL_REVIEW: ("该师傅的完工须人工核验", "his completions go to manual review"),
}


@dataclass(frozen=True)
class CompleteVisit:
    """Complete the order from the version seen; `note` is required from a desk role acting
    for the technician. `axb`: the provider to release his number with at once."""

    order_id: int
    version: int
    actor: Actor
    note: str = ""
    axb: AxbProvider | None = None


@dataclass(frozen=True)
class Completed:
    order: ServiceOrder
    outcome: Outcome
    assessment: Assessment
    client_code: str
    requirement: Requirement
    text: str  # what happened and why, Chinese first


def outcome_of(assessment: Assessment, manual_review: bool) -> Outcome:
    """The backend verifies only complete evidence of a technician not routed to a person."""
    if assessment.verdict is Verdict.FLAGGED:
        return Outcome.FLAGGED
    if assessment.verdict is Verdict.INCOMPLETE:
        return Outcome.INCOMPLETE
    return Outcome.MANUAL_REVIEW if manual_review else Outcome.VERIFIED


def outcome_text(outcome: Outcome, assessment: Assessment) -> str:
    zh, en = OUTCOME_WORDS[outcome]
    found_zh, found_en = assessment.words()
    return both(f"{zh}：{found_zh}", f"{en} ({found_en})")


def handle_complete(cmd: CompleteVisit, uow: UnitOfWork) -> Completed:
    """Complete, then verify at once when the evidence is ready and the technician is not
    under manual review. NoReason 422 (a desk role without a note), Refused/Forbidden 403
    (not his order, a role that may not complete), NotFound 404, StaleVersion 409,
    IllegalTransition 409 (not checked in)."""
    now = uow.clock.now()
    audit = (None if cmd.actor.role is Role.TECHNICIAN
             else Audit.of(cmd.actor.name, now, cmd.note, loc=NOTE_LOC))
    note = audit.reason if audit is not None else cmd.note.strip()
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        # The evidence does not depend on the state: weighed before the step, recorded on it.
        entry = assess_served(uow.session, cmd.order_id, now)
        assessment = entry.assessment
        outcome = outcome_of(assessment, needs_manual_review(uow.session, order.technician_id))
        text = outcome_text(outcome, assessment)
        bindings = take_action(uow, order, c.Complete(outcome.value, text), cmd.actor, now, note)
        if outcome is Outcome.VERIFIED:
            take_action(uow, order, c.Verify(), REVIEWER, now, text)
            begin_review(uow.session, order, now)
            uow.orders.save(order)
        uow.commit()
    try_now(uow, cmd.axb, bindings)
    return Completed(order, outcome, assessment, entry.client_code, entry.requirement, text)


@dataclass(frozen=True)
class ReportCannotComplete:
    """Why the visit cannot be done (a code) and what happened (the note), from the version
    seen. `axb`: the provider to release his number with at once (back to dispatch)."""

    order_id: int
    version: int
    actor: Actor
    code: CannotCompleteCode
    note: str
    axb: AxbProvider | None = None


@dataclass(frozen=True)
class CannotCompleteDone:
    order: ServiceOrder
    flag: Flag
    revisit: bool  # True: back to him to book again; False: to a person at dispatch


def handle_cannot_complete(cmd: ReportCannotComplete, uow: UnitOfWork) -> CannotCompleteDone:
    """Apply `cannot_complete` and raise CANNOT_COMPLETE, in one transaction. NoReason 422
    (no note), Refused/Forbidden 403, NotFound 404, StaleVersion 409, IllegalTransition 409
    (not accepted, appointed or checked in)."""
    now = uow.clock.now()
    note = Audit.of(cmd.actor.name, now, cmd.note, loc=NOTE_LOC).reason
    zh, en = CANNOT_COMPLETE_WORDS[cmd.code]
    reason = with_words(f"无法完工（{zh}） (cannot complete: {en})", note)
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        technician = order.technician_id
        from_state = order.state
        bindings = take_action(uow, order, c.CannotComplete(cmd.code, note), cmd.actor, now,
                               reason)
        flag = Flag(FlagKind.CANNOT_COMPLETE, {"code": cmd.code.value, "note": note,
                                               "from_state": from_state.value,
                                               "to_state": order.state.value})
        add_flags(uow.session, cmd.order_id, technician, [flag], now, cmd.actor.name)
        uow.commit()
    try_now(uow, cmd.axb, bindings)
    return CannotCompleteDone(order, flag, order.technician_id is not None)
