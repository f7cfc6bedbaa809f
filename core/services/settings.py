"""Audited settings as use cases: dispatch policies, technicians' dispatch settings, clients'
intake policies and the blacklist, users' accounts.

Each handler takes its command and a unit of work, builds the change's `Audit` (who, the
clock's now, why: NoReason 422 unless it says something), lets storage make the versioned,
logged edit (core.storage.audited: Stale 409 with current_version) and commits. Refusals are
`core.errors` exceptions; the server maps them once (core.server.problems).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.contracts.intake import (
    BlacklistEntryIn,
    BlacklistEntryOut,
    ClientPolicyOut,
    ClientPolicyUpdate,
)
from core.errors import Refused
from core.storage.audited import REASON_LOC, Audit
from core.storage.dispatch import policies as dispatch_policies
from core.storage.intake import settings as intake_settings
from core.storage.people import accounts as people
from core.storage.people import technician_settings
from core.storage.tables import DispatchPolicyRecord, TechnicianRecord, UserRecord
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class SetDispatchPolicy:
    """Replace what a scope sets ('' the default), from the version seen (0: sets nothing)."""

    scope: str
    body: Mapping[str, Any]
    version: int
    reason: str
    actor: str


@dataclass(frozen=True)
class RemoveDispatchPolicy:
    """Let a scope inherit everything again (the default scope cannot be removed)."""

    scope: str
    version: int
    reason: str
    actor: str
    reason_loc: tuple[str, ...] = ("query", "reason")


@dataclass(frozen=True)
class ChangeTechnicianSettings:
    """Change some of a technician's dispatch settings (only those given)."""

    technician_id: int
    changes: Mapping[str, Any]
    version: int
    reason: str
    actor: str


@dataclass(frozen=True)
class ChangeClientPolicy:
    code: str
    change: ClientPolicyUpdate
    actor: str


@dataclass(frozen=True)
class ListOnBlacklist:
    entry: BlacklistEntryIn
    actor: str


@dataclass(frozen=True)
class RemoveFromBlacklist:
    entry_id: int
    reason: str
    actor: str


@dataclass(frozen=True)
class ChangeUser:
    """An admin's change of an account (today: whether it is active)."""

    user_id: int
    version: int
    reason: str
    actor: str
    actor_id: int
    changes: Mapping[str, Any] = field(default_factory=dict)


def _audit(uow: UnitOfWork, actor: str, reason: str,
           loc: tuple[str, ...] = REASON_LOC) -> Audit:
    return Audit.of(actor, uow.clock.now(), reason, loc)


def handle_set_dispatch_policy(cmd: SetDispatchPolicy, uow: UnitOfWork) -> DispatchPolicyRecord:
    with uow:
        record = dispatch_policies.put_policy(uow.session, cmd.scope, cmd.body, cmd.version,
                                              _audit(uow, cmd.actor, cmd.reason))
        uow.commit()
    return record


def handle_remove_dispatch_policy(cmd: RemoveDispatchPolicy,
                                  uow: UnitOfWork) -> DispatchPolicyRecord:
    with uow:
        record = dispatch_policies.delete_policy(
            uow.session, cmd.scope, cmd.version,
            _audit(uow, cmd.actor, cmd.reason, cmd.reason_loc))
        uow.commit()
    return record


def handle_change_technician_settings(cmd: ChangeTechnicianSettings,
                                      uow: UnitOfWork) -> TechnicianRecord:
    """Deactivating a technician ends his sessions in the same transaction."""
    with uow:
        record = technician_settings.update_technician(
            uow.session, cmd.technician_id, cmd.changes, cmd.version,
            _audit(uow, cmd.actor, cmd.reason))
        uow.commit()
    return record


def handle_change_client_policy(cmd: ChangeClientPolicy, uow: UnitOfWork) -> ClientPolicyOut:
    """The next arriving order of the client follows the new policy."""
    with uow:
        changed = intake_settings.update_client(uow.session, cmd.code, cmd.change,
                                                _audit(uow, cmd.actor, cmd.change.reason))
        uow.commit()
    return changed


def handle_list_on_blacklist(cmd: ListOnBlacklist, uow: UnitOfWork) -> BlacklistEntryOut:
    with uow:
        entry = intake_settings.add_entry(uow.session, cmd.entry,
                                          _audit(uow, cmd.actor, cmd.entry.reason))
        uow.commit()
    return entry


def handle_remove_from_blacklist(cmd: RemoveFromBlacklist, uow: UnitOfWork) -> BlacklistEntryOut:
    with uow:
        entry = intake_settings.remove_entry(uow.session, cmd.entry_id,
                                             _audit(uow, cmd.actor, cmd.reason))
        uow.commit()
    return entry


def handle_change_user(cmd: ChangeUser, uow: UnitOfWork) -> UserRecord:
    """Deactivating an account revokes its tokens in the same transaction; an admin cannot
    deactivate his own (the last admin would lock everyone out of the accounts)."""
    if cmd.user_id == cmd.actor_id and cmd.changes.get("active") is False:
        raise Refused("不能停用自己的账号 (you cannot deactivate your own account)")
    with uow:
        user = people.change_user(uow.session, cmd.user_id, cmd.changes, cmd.version,
                                  _audit(uow, cmd.actor, cmd.reason))
        uow.commit()
    return user
