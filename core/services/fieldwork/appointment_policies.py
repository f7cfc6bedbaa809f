"""A client's appointment policy: how many reschedules before a supervisor must approve, and
how long before a booking a call counts for it. An audited setting (audit_log kind
`appointment_policy`): changed from the version seen, with a reason; a client without its own
follows 'default', and that the rule's defaults (2 reschedules, 72 hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.contracts.fieldwork.appointments import AppointmentPolicyOut
from core.errors import Invalid, NotFound
from core.fieldwork.appointments import AppointmentPolicy
from core.storage.audited import Audit, Named, check_version, lock
from core.storage.fieldwork.appointments import (
    AppointmentPolicyRecord,
    policy_audit_log,
    policy_of_client,
)
from core.storage.fieldwork.codes import client_exists
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ChangeAppointmentPolicy:
    """A client's policy ('default': every client without its own), from the version seen."""

    client_code: str
    reschedule_limit: int
    call_window_hours: int
    version: int
    reason: str
    actor: str


def _values(policy: AppointmentPolicy) -> dict[str, Any]:
    return {"reschedule_limit": policy.reschedule_limit,
            "call_window_hours": int(policy.call_window.total_seconds() // 3600)}


def _refuse_unknown(exists: bool, client_code: str) -> None:
    if not exists:
        raise NotFound(f"没有客户 {client_code} (there is no client {client_code})")


def handle_change_appointment_policy(cmd: ChangeAppointmentPolicy,
                                     uow: UnitOfWork) -> AppointmentPolicyOut:
    """The versioned, audited edit (Stale 409); a client's first edit starts from version 0."""
    now = uow.clock.now()
    audit = Audit.of(cmd.actor, now, cmd.reason)
    try:
        AppointmentPolicy(cmd.reschedule_limit, timedelta(hours=cmd.call_window_hours))
    except ValueError as exc:
        raise Invalid(f"预约设置无效 (invalid appointment policy: {exc})", loc=("body",)) from exc
    after = {"reschedule_limit": cmd.reschedule_limit,
             "call_window_hours": cmd.call_window_hours}
    name = Named("该客户的预约设置", f"appointment policy of {cmd.client_code}")
    with uow:
        _refuse_unknown(client_exists(uow.session, cmd.client_code), cmd.client_code)
        row = lock(uow.session, AppointmentPolicyRecord,
                   AppointmentPolicyRecord.client_code == cmd.client_code)
        if row is None:
            check_version(name, cmd.version, 0)
            _, inherited = policy_of_client(uow.session, cmd.client_code)
            row = AppointmentPolicyRecord(client_code=cmd.client_code, version=0, updated_by="",
                                          updated_at=None, **_values(inherited))
            uow.session.add(row)
        record = row

        def write(values: dict[str, Any]) -> None:
            for field_name, value in values.items():
                setattr(record, field_name, value)
            record.updated_by, record.updated_at = cmd.actor, now

        before = {k: getattr(row, k) for k in after}
        policy_audit_log().change(uow.session, cmd.client_code, row, seen=cmd.version,
                                  name=name, before=before, after=after, audit=audit,
                                  write=write)
        uow.commit()
        return policy_out(cmd.client_code, row)


def handle_show_appointment_policy(client_code: str, uow: UnitOfWork) -> AppointmentPolicyOut:
    """A client's policy: its own, or what it inherits (version 0)."""
    with uow.reads() as session:
        _refuse_unknown(client_exists(session, client_code), client_code)
        row, policy = policy_of_client(session, client_code)
    if row is not None and row.client_code == client_code:
        return policy_out(client_code, row)
    return AppointmentPolicyOut(client_code=client_code, version=0, updated_by="",
                                updated_at=None, **_values(policy))


def policy_out(client_code: str, row: AppointmentPolicyRecord) -> AppointmentPolicyOut:
    return AppointmentPolicyOut(client_code=client_code, reschedule_limit=row.reschedule_limit,
                                call_window_hours=row.call_window_hours, version=row.version,
                                updated_by=row.updated_by, updated_at=row.updated_at)
