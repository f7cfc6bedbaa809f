"""A client's verification requirements: per product kind, the evidence an order must show (the
completion code, the check-in, photos per unit none flagged, a real call, the serial number).
An audited setting (audit_log kind `verification_requirement`) on the one client-setting
mechanism (core.services.fieldwork.client_settings): changed from the version seen, with a
reason; a client without its own follows 'default', and that the built-in default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import Invalid
from core.fieldwork.verification import ANY_KIND, BUILT_IN, Requirements
from core.services.fieldwork.client_settings import ClientSetting, SettingShown, Source
from core.storage.audited import Named
from core.storage.fieldwork.verification import LOG_KIND, VerificationRequirementRecord
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

REQUIREMENTS: ClientSetting[Requirements] = ClientSetting(
    VerificationRequirementRecord, LOG_KIND,
    Named("核验要求", "verification requirements"),
    Requirements.from_values, Requirements.values, BUILT_IN)


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


def _shown(shown: SettingShown[Requirements]) -> ClientRequirementsShown:
    return ClientRequirementsShown(shown.client_code, shown.source, shown.value, shown.version,
                                   shown.updated_by, shown.updated_at)


def handle_show_requirements(client_code: str, uow: UnitOfWork) -> ClientRequirementsShown:
    """A client's requirements: its own, or what it inherits (version 0)."""
    return _shown(REQUIREMENTS.show(client_code, uow))


def handle_change_requirements(cmd: ChangeRequirements,
                               uow: UnitOfWork) -> ClientRequirementsShown:
    """The versioned, audited edit (Stale 409; NoReason and Invalid 422; NotFound 404 for an
    unknown client); a client's first edit starts from version 0."""
    if ANY_KIND not in cmd.values:
        raise Invalid("须给出默认要求 (give the default requirement)", loc=("body", "default"))
    return _shown(REQUIREMENTS.change(cmd.client_code, cmd.values, cmd.version, cmd.reason,
                                      cmd.actor, uow))


def handle_requirement_log(client_code: str, uow: UnitOfWork,
                           limit: int = 100) -> list[AuditLogRecord]:
    """The client's changes, newest first ('default' for the default's)."""
    return REQUIREMENTS.entries(client_code, uow, limit)
