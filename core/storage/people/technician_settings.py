"""A technician's dispatch settings (capacity, skills, certificates, active): versioned changes
with a reason, each logged with who, when, before and after (core.storage.audited).

The row is locked before its version is checked, so of two supervisors editing the same
technician from the same version one wins and the other gets Stale (409).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.people.accounts import revoke_user_tokens
from core.storage.tables import TechnicianRecord, TechnicianSettingsLogRecord

SETTINGS = ("daily_capacity", "skills", "qualifications", "active")
MAX_CAPACITY = 200
MAX_NAMES = 30
MAX_NAME_LENGTH = 40


TECHNICIAN_LOG: AuditLog[TechnicianSettingsLogRecord, int] = AuditLog(
    TechnicianSettingsLogRecord, lambda technician_id: {"technician_id": technician_id})


class InvalidSetting(Invalid):
    """A value the settings cannot take; `field` names it (as the wire does)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, loc=("body", field))
        self.field = field


class UnknownTechnician(NotFound):
    def __init__(self, technician_id: int) -> None:
        super().__init__(f"没有编号为 {technician_id} 的师傅 (no technician {technician_id})")
        self.technician_id = technician_id


def settings_of(record: TechnicianRecord) -> dict[str, Any]:
    """The settings as logged and compared."""
    return {"daily_capacity": record.daily_capacity, "skills": list(record.skills or []),
            "qualifications": list(record.qualifications or []), "active": bool(record.active)}


def _capacity(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
        raise InvalidSetting("daily_capacity", f"每日容量须为 0 到 {MAX_CAPACITY} 的整数 "
                                               f"(a whole number from 0 to {MAX_CAPACITY})")
    return value


def _names(field: str, value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        raise InvalidSetting(field, "须为名称列表 (a list of names)")
    names: list[str] = []
    for raw in value:
        name = raw.strip() if isinstance(raw, str) else ""
        if not name:
            raise InvalidSetting(field, "名称不能为空 (a name cannot be empty)")
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidSetting(field, f"“{name}” 太长，最多 {MAX_NAME_LENGTH} 个字"
                                        f" (at most {MAX_NAME_LENGTH} characters)")
        if name in names:
            raise InvalidSetting(field, f"“{name}” 重复 (given twice)")
        names.append(name)
    if len(names) > MAX_NAMES:
        raise InvalidSetting(field, f"最多 {MAX_NAMES} 项 (at most {MAX_NAMES} names)")
    return names


def normalise(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as stored: only known settings, each checked (InvalidSetting names the field)."""
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise InvalidSetting(unknown[0], "不是可修改的派单设置 (not a dispatch setting)")
    out: dict[str, Any] = {}
    if "daily_capacity" in changes:
        out["daily_capacity"] = _capacity(changes["daily_capacity"])
    for field in ("skills", "qualifications"):
        if field in changes:
            out[field] = _names(field, changes[field])
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise InvalidSetting("active", "须为 true 或 false (true or false)")
        out["active"] = changes["active"]
    return out


def update_technician(session: Session, technician_id: int, changes: Mapping[str, Any],
                      version: int, audit: Audit) -> TechnicianRecord:
    """Change some settings from the version seen; returns the record as it is now.

    Raises UnknownTechnician, InvalidSetting (naming the field) and Stale when someone changed
    the technician meanwhile. Saving values equal to the current ones is not worth a version or
    a log line.
    """
    wanted = normalise(changes)
    record = lock(session, TechnicianRecord, TechnicianRecord.id == technician_id)
    if record is None:
        raise UnknownTechnician(technician_id)
    before = settings_of(record)

    def write(values: dict[str, Any]) -> None:
        for name in SETTINGS:
            setattr(record, name, values[name])

    changed = TECHNICIAN_LOG.change(
        session, technician_id, record, seen=version,
        name=Named("该师傅的设置", f"technician {technician_id}'s settings"),
        before=before, after={**before, **wanted}, audit=audit, write=write)
    if changed and before["active"] and not record.active:
        # He leaves: his sessions end with this change, not when their 12 hours run out.
        revoke_user_tokens(session, technician_id=technician_id)
    return record


def technician_log(session: Session, technician_id: int,
                   limit: int = 100) -> list[TechnicianSettingsLogRecord]:
    """The technician's setting changes, newest first."""
    return TECHNICIAN_LOG.entries(session, technician_id, limit)
