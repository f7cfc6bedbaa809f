"""A client's verification requirements: per product kind, the evidence an order must show (the
completion code, the check-in, photos per unit none flagged, a real call, the serial number).
An audited setting (audit_log kind `verification_requirement`): changed from the version seen,
with a reason; a client without its own follows 'default', and that the built-in default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from core.errors import Invalid, NotFound
from core.fieldwork.verification import ANY_KIND, Requirements
from core.storage.audited import Audit, AuditLog, Named, check_version, lock
from core.storage.fieldwork.codes import client_exists
from core.storage.fieldwork.verification import (
    DEFAULT,
    LOG_KIND,
    VerificationRequirementRecord,
    requirements_of_client,
)
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

REQUIREMENT_LOG = AuditLog.shared(LOG_KIND)
Source = Literal["own", "default", "built_in"]


@dataclass(frozen=True)
class ChangeRequirements:
    """A client's requirements ('default': every client without its own) as
    Requirements.values() shapes them, from the version seen (0: none of its own yet)."""

    client_code: str
    values: Mapping[str, Mapping[str, Any]]
    version: int
    reason: str
    actor: str


@dataclass(frozen=True)
class ClientRequirementsShown:
    client_code: str
    source: Source
    requirements: Requirements
    version: int
    updated_by: str
    updated_at: datetime | None


def _refuse_unknown(exists: bool, client_code: str) -> None:
    if not exists:
        raise NotFound(f"没有客户 {client_code} (there is no client {client_code})")


def _shown(client_code: str, row: VerificationRequirementRecord | None,
           requirements: Requirements) -> ClientRequirementsShown:
    if row is None:
        return ClientRequirementsShown(client_code, "built_in", requirements, 0, "", None)
    if row.client_code != client_code:
        return ClientRequirementsShown(client_code, "default", requirements, 0, "", None)
    return ClientRequirementsShown(client_code, "own", requirements, row.version,
                                   row.updated_by, row.updated_at)


def handle_show_requirements(client_code: str, uow: UnitOfWork) -> ClientRequirementsShown:
    """A client's requirements: its own, or what it inherits (version 0)."""
    with uow.reads() as session:
        _refuse_unknown(client_exists(session, client_code), client_code)
        row, requirements = requirements_of_client(session, client_code)
    return _shown(client_code, row, requirements)


def handle_change_requirements(cmd: ChangeRequirements,
                               uow: UnitOfWork) -> ClientRequirementsShown:
    """The versioned, audited edit (Stale 409; NoReason and Invalid 422; NotFound 404 for an
    unknown client); a client's first edit starts from version 0."""
    now = uow.clock.now()
    audit = Audit.of(cmd.actor, now, cmd.reason)
    try:
        wanted = Requirements.from_values(cmd.values)
    except ValueError as exc:
        raise Invalid(f"核验要求无效 (invalid verification requirements: {exc})",
                      loc=("body",)) from exc
    if ANY_KIND not in cmd.values:
        raise Invalid("须给出默认要求 (give the default requirement)", loc=("body", "default"))
    name = Named("该客户的核验要求", f"verification requirements of {cmd.client_code}")
    with uow:
        _refuse_unknown(client_exists(uow.session, cmd.client_code), cmd.client_code)
        row = lock(uow.session, VerificationRequirementRecord,
                   VerificationRequirementRecord.client_code == cmd.client_code)
        if row is None:
            check_version(name, cmd.version, 0)
            _, inherited = requirements_of_client(uow.session, cmd.client_code)
            row = VerificationRequirementRecord(client_code=cmd.client_code,
                                                rules=inherited.values(), version=0,
                                                updated_by="", updated_at=None)
            uow.session.add(row)
        record = row

        def write(values: dict[str, Any]) -> None:
            record.rules = values["rules"]
            record.updated_by, record.updated_at = cmd.actor, now

        REQUIREMENT_LOG.change(uow.session, cmd.client_code, row, seen=cmd.version, name=name,
                               before={"rules": dict(row.rules)},
                               after={"rules": wanted.values()}, audit=audit, write=write)
        uow.commit()
        return _shown(cmd.client_code, row, Requirements.from_values(row.rules))


def handle_requirement_log(client_code: str, uow: UnitOfWork,
                           limit: int = 100) -> list[AuditLogRecord]:
    """The client's changes, newest first ('default' for the default's)."""
    with uow.reads() as session:
        return REQUIREMENT_LOG.entries(session, client_code or DEFAULT, limit)
