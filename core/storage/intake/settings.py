"""Changing intake settings: clients' policies (versioned) and the blacklist, each change logged
(core.storage.audited)."""

from __future__ import annotations

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
from core.errors import Conflict, Invalid, NotFound
from core.intake.split import normalise_address, normalise_phone
from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.tables import BlacklistRecord, ClientRecord, IntakeSettingsLogRecord

POLICY_FIELDS = ("audit_mode", "coverage_mode", "merge_window_minutes", "review_threshold")
# A listed address matches every order address containing it: a shorter one matches strangers.
MIN_ADDRESS_CHARS = 4


INTAKE_LOG: AuditLog[IntakeSettingsLogRecord, str] = AuditLog(
    IntakeSettingsLogRecord, lambda subject: {"subject": subject})


class UnknownClient(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"没有代码为 '{code}' 的客户 (no client with code '{code}')")


class UnknownEntry(NotFound):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"没有编号为 {entry_id} 的黑名单条目 (no blacklist entry {entry_id})")


class EntryConflict(Conflict):
    """Already removed, or already listed by another active entry."""


class BadEntry(Invalid):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, loc=("body", field))
        self.field = field


def client_out(client: ClientRecord) -> ClientPolicyOut:
    return ClientPolicyOut.model_validate(client, from_attributes=True)


def list_clients(session: Session) -> list[ClientPolicyOut]:
    clients = session.scalars(select(ClientRecord).order_by(ClientRecord.code))
    return [client_out(c) for c in clients]


def update_client(session: Session, code: str, change: ClientPolicyUpdate,
                  audit: Audit) -> ClientPolicyOut:
    """Apply a policy change made on `change.version`; the next arriving order follows it."""
    client = lock(session, ClientRecord, ClientRecord.code == code)
    if client is None:
        raise UnknownClient(code)

    def write(values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(client, name, value)
        client.updated_by, client.updated_at = audit.actor, audit.at

    INTAKE_LOG.change(session, f"client:{code}", client, seen=change.version,
                      name=Named(f"客户 '{code}' 的策略", f"client '{code}'"),
                      before={name: getattr(client, name) for name in POLICY_FIELDS},
                      after={name: getattr(change, name) for name in POLICY_FIELDS},
                      audit=audit, write=write)
    return client_out(client)


def entry_out(entry: BlacklistRecord) -> BlacklistEntryOut:
    return BlacklistEntryOut.model_validate(entry, from_attributes=True)


def list_blacklist(session: Session, active: bool | None = True) -> list[BlacklistEntryOut]:
    """Entries newest first; `active=None` lists removed ones too."""
    query = select(BlacklistRecord).order_by(BlacklistRecord.id.desc())
    if active is not None:
        query = query.where(BlacklistRecord.active == active)
    return [entry_out(e) for e in session.scalars(query)]


def add_entry(session: Session, entry: BlacklistEntryIn, audit: Audit) -> BlacklistEntryOut:
    """List a phone (stored normalised, as the audit compares it) and/or an address."""
    phone = normalise_phone(entry.phone) if entry.phone.strip() else ""
    address = entry.address.strip()
    if entry.phone.strip() and not phone.strip("*"):
        raise BadEntry("phone", "电话里没有数字 (the phone has no digits)")
    if address and len(normalise_address(address)) < MIN_ADDRESS_CHARS:
        raise BadEntry("address", f"地址至少写 {MIN_ADDRESS_CHARS} 个字，否则会误配无关订单 "
                                  f"(give at least {MIN_ADDRESS_CHARS} characters of the "
                                  "address, or it would match unrelated orders)")
    wanted = (phone, normalise_address(address))
    for listed in session.scalars(select(BlacklistRecord).where(BlacklistRecord.active)):
        if (normalise_phone(listed.phone), normalise_address(listed.address)) == wanted:
            raise EntryConflict(f"已在黑名单中，条目 {listed.id} "
                                f"(already listed as blacklist entry {listed.id})")
    record = BlacklistRecord(phone=phone, address=address, reason=audit.reason,
                             created_at=audit.at, created_by=audit.actor, active=True)
    session.add(record)
    session.flush()
    INTAKE_LOG.record_change(session, f"blacklist:{record.id}", audit, {}, _snapshot(record))
    return entry_out(record)


def remove_entry(session: Session, entry_id: int, audit: Audit) -> BlacklistEntryOut:
    """Mark an entry inactive (kept, with who removed it and why); it stops counting at once."""
    record = lock(session, BlacklistRecord, BlacklistRecord.id == entry_id)
    if record is None:
        raise UnknownEntry(entry_id)
    if not record.active:
        by = record.removed_by or "someone"
        raise EntryConflict(f"黑名单条目 {entry_id} 已被 {record.removed_by or '他人'} 移除 "
                            f"(blacklist entry {entry_id} was already removed by {by})")
    before = _snapshot(record)
    record.active = False
    record.removed_by, record.removed_at, record.removed_reason = (
        audit.actor, audit.at, audit.reason)
    INTAKE_LOG.record_change(session, f"blacklist:{entry_id}", audit, before, _snapshot(record))
    session.flush()
    return entry_out(record)


def settings_log(session: Session, limit: int = 100) -> list[SettingsChangeOut]:
    """The latest changes, newest first."""
    return [SettingsChangeOut.model_validate(r, from_attributes=True)
            for r in INTAKE_LOG.entries(session, limit=limit)]


def _snapshot(entry: BlacklistRecord) -> dict[str, Any]:
    return {"phone": entry.phone, "address": entry.address, "active": entry.active}
