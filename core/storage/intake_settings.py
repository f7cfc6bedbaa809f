"""Changing intake settings: clients' policies (optimistic version) and the blacklist, logged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contracts.intake import (
    BlacklistEntryIn,
    BlacklistEntryOut,
    ClientPolicyOut,
    ClientPolicyUpdate,
    SettingsChangeOut,
)
from core.intake.split import normalise_address, normalise_phone
from core.storage.tables import BlacklistRecord, ClientRecord, IntakeSettingsLogRecord

POLICY_FIELDS = ("audit_mode", "coverage_mode", "merge_window_minutes", "review_threshold")
# A listed address matches every order address containing it: a shorter one matches strangers.
MIN_ADDRESS_CHARS = 4


class SettingsError(Exception):
    """A change of intake settings that cannot be made."""


class UnknownClient(SettingsError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no client with code '{code}'")


class StalePolicy(SettingsError):
    def __init__(self, code: str, expected: int, current: int) -> None:
        self.current = current
        super().__init__(f"client '{code}' changed meanwhile: you had version {expected}, "
                         f"current is {current}")


class UnknownEntry(SettingsError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"no blacklist entry {entry_id}")


class EntryConflict(SettingsError):
    """Already removed, or already listed by another active entry."""


class BadEntry(SettingsError):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(reason)


def client_out(client: ClientRecord) -> ClientPolicyOut:
    return ClientPolicyOut.model_validate(client, from_attributes=True)


def list_clients(session: Session) -> list[ClientPolicyOut]:
    clients = session.scalars(select(ClientRecord).order_by(ClientRecord.code))
    return [client_out(c) for c in clients]


def update_client(session: Session, code: str, change: ClientPolicyUpdate, actor: str,
                  at: datetime) -> ClientPolicyOut:
    """Apply a policy change made on `change.version`; the next arriving order follows it."""
    client = session.scalars(
        select(ClientRecord).where(ClientRecord.code == code).with_for_update()).first()
    if client is None:
        raise UnknownClient(code)
    if client.version != change.version:
        raise StalePolicy(code, change.version, client.version)
    before = {name: getattr(client, name) for name in POLICY_FIELDS}
    after = {name: getattr(change, name) for name in POLICY_FIELDS}
    if after != before:  # saving an unchanged form is not a change worth a version or a log line
        for name, value in after.items():
            setattr(client, name, value)
        client.version += 1
        client.updated_by, client.updated_at = actor, at
        _log(session, at, actor, f"client:{code}", change.reason, before, after)
        session.flush()
    return client_out(client)


def entry_out(entry: BlacklistRecord) -> BlacklistEntryOut:
    return BlacklistEntryOut.model_validate(entry, from_attributes=True)


def list_blacklist(session: Session, active: bool | None = True) -> list[BlacklistEntryOut]:
    """Entries newest first; `active=None` lists removed ones too."""
    query = select(BlacklistRecord).order_by(BlacklistRecord.id.desc())
    if active is not None:
        query = query.where(BlacklistRecord.active == active)
    return [entry_out(e) for e in session.scalars(query)]


def add_entry(session: Session, entry: BlacklistEntryIn, actor: str,
              at: datetime) -> BlacklistEntryOut:
    """List a phone (stored normalised, as the audit compares it) and/or an address."""
    phone = normalise_phone(entry.phone) if entry.phone.strip() else ""
    address = entry.address.strip()
    if entry.phone.strip() and not phone.strip("*"):
        raise BadEntry("phone", "the phone has no digits")
    if address and len(normalise_address(address)) < MIN_ADDRESS_CHARS:
        raise BadEntry("address", f"give at least {MIN_ADDRESS_CHARS} characters of the "
                                  "address, or it would match unrelated orders")
    wanted = (phone, normalise_address(address))
    for listed in session.scalars(select(BlacklistRecord).where(BlacklistRecord.active)):
        if (normalise_phone(listed.phone), normalise_address(listed.address)) == wanted:
            raise EntryConflict(f"already listed as blacklist entry {listed.id}")
    record = BlacklistRecord(phone=phone, address=address, reason=entry.reason.strip(),
                             created_at=at, created_by=actor, active=True)
    session.add(record)
    session.flush()
    _log(session, at, actor, f"blacklist:{record.id}", record.reason, {}, _snapshot(record))
    return entry_out(record)


def remove_entry(session: Session, entry_id: int, reason: str, actor: str,
                 at: datetime) -> BlacklistEntryOut:
    """Mark an entry inactive (kept, with who removed it and why); it stops counting at once."""
    record = session.scalars(
        select(BlacklistRecord).where(BlacklistRecord.id == entry_id).with_for_update()).first()
    if record is None:
        raise UnknownEntry(entry_id)
    if not record.active:
        raise EntryConflict(f"blacklist entry {entry_id} was already removed by "
                            f"{record.removed_by or 'someone'}")
    before = _snapshot(record)
    record.active = False
    record.removed_by, record.removed_at, record.removed_reason = actor, at, reason.strip()
    _log(session, at, actor, f"blacklist:{entry_id}", record.removed_reason, before,
         _snapshot(record))
    session.flush()
    return entry_out(record)


def settings_log(session: Session, limit: int = 100) -> list[SettingsChangeOut]:
    """The latest changes, newest first."""
    rows = session.scalars(
        select(IntakeSettingsLogRecord).order_by(IntakeSettingsLogRecord.id.desc()).limit(limit))
    return [SettingsChangeOut.model_validate(r, from_attributes=True) for r in rows]


def _snapshot(entry: BlacklistRecord) -> dict[str, Any]:
    return {"phone": entry.phone, "address": entry.address, "active": entry.active}


def _log(session: Session, at: datetime, actor: str, subject: str, reason: str,
         before: dict[str, Any], after: dict[str, Any]) -> None:
    session.add(IntakeSettingsLogRecord(at=at, actor=actor, subject=subject, reason=reason,
                                        before=before, after=after))
