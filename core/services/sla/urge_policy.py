"""The urging policy as an audited setting: whom each alert level of each step urges, and which
breaches go back to manual dispatch (core.sla.urging). Shown with its version; a supervisor's or
admin's change is made from the version seen, with a reason, and logged who/when/why/before/
after (audit_log kind "sla_urge_policy"); the next urge round follows it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.errors import Invalid
from core.sla.urging import BUILT_IN, UrgePolicy, UrgePolicyError, parse_policy
from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.sla.urges import POLICY_KEY, POLICY_LOG_KIND, SlaUrgePolicyRecord
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

NAME = Named("催单规则", "urging policy")


@dataclass(frozen=True)
class PolicyShown:
    policy: UrgePolicy
    version: int  # 0: the built-in policy, never changed
    updated_by: str
    updated_at: Any


def _log() -> AuditLog[AuditLogRecord, Any]:
    return AuditLog.shared(POLICY_LOG_KIND)


def current_policy(session: Session) -> UrgePolicy:
    row = session.get(SlaUrgePolicyRecord, POLICY_KEY)
    return BUILT_IN if row is None else parse_policy(row.body)


def handle_show_policy(session: Session) -> PolicyShown:
    row = session.get(SlaUrgePolicyRecord, POLICY_KEY)
    if row is None:
        return PolicyShown(BUILT_IN, 0, "", None)
    return PolicyShown(parse_policy(row.body), row.version, row.updated_by, row.updated_at)


@dataclass(frozen=True)
class SetUrgePolicy:
    body: Mapping[str, Any]
    version: int
    reason: str
    actor: str


def handle_set_policy(cmd: SetUrgePolicy, uow: UnitOfWork) -> PolicyShown:
    """Invalid names the field at fault (body.body.steps.<step>.<level>); Stale 409."""
    try:
        wanted = parse_policy(cmd.body).as_body()
    except UrgePolicyError as exc:
        raise Invalid(exc.message, loc=("body", "body", *exc.loc)) from None
    with uow:
        now = uow.clock.now()
        audit = Audit.of(cmd.actor, now, cmd.reason)
        row = lock(uow.session, SlaUrgePolicyRecord, SlaUrgePolicyRecord.key == POLICY_KEY)
        if row is None:
            row = SlaUrgePolicyRecord(key=POLICY_KEY, body=BUILT_IN.as_body(), version=0,
                                      updated_by=cmd.actor, updated_at=now)
            uow.session.add(row)
        before = parse_policy(row.body).as_body()

        def write(after: dict[str, Any]) -> None:
            row.body, row.updated_by, row.updated_at = after, cmd.actor, now

        _log().change(uow.session, POLICY_KEY, row, seen=cmd.version, name=NAME,
                      before=before, after=wanted, audit=audit, write=write)
        uow.commit()
        return PolicyShown(parse_policy(row.body), row.version, row.updated_by, row.updated_at)


def handle_policy_log(session: Session, limit: int = 100) -> list[AuditLogRecord]:
    return _log().entries(session, POLICY_KEY, limit)
