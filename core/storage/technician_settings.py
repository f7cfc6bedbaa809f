"""A technician's dispatch settings (capacity, skills, certificates, active): versioned changes
with a reason, each logged with who, when, before and after.

The change is one conditional UPDATE on the version read, so of two supervisors editing the
same technician from the same version one wins and the other gets StaleTechnician.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.storage.people import revoke_user_tokens
from core.storage.tables import TechnicianRecord, TechnicianSettingsLogRecord

SETTINGS = ("daily_capacity", "skills", "qualifications", "active")
MAX_CAPACITY = 200
MAX_NAMES = 30
MAX_NAME_LENGTH = 40
MAX_REASON = 500


class TechnicianSettingsError(Exception):
    """A change of a technician's dispatch settings that cannot be made."""


class InvalidSetting(TechnicianSettingsError):
    """A value the settings cannot take; `field` names it (as the wire does)."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class UnknownTechnician(TechnicianSettingsError):
    def __init__(self, technician_id: int) -> None:
        self.technician_id = technician_id
        super().__init__(f"没有编号为 {technician_id} 的师傅（no technician {technician_id}）")


class StaleTechnician(TechnicianSettingsError):
    def __init__(self, technician_id: int, expected: int, current: int) -> None:
        self.current = current
        super().__init__(f"该师傅的设置已被他人修改：你的版本 {expected}，当前版本 {current}"
                         f"（technician {technician_id}'s settings changed meanwhile: "
                         f"you had version {expected}, current is {current}）")


def settings_of(record: TechnicianRecord) -> dict[str, Any]:
    """The settings as logged and compared."""
    return {"daily_capacity": record.daily_capacity, "skills": list(record.skills or []),
            "qualifications": list(record.qualifications or []), "active": bool(record.active)}


def _capacity(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
        raise InvalidSetting("daily_capacity", f"每日容量须为 0 到 {MAX_CAPACITY} 的整数"
                                               f"（a whole number from 0 to {MAX_CAPACITY}）")
    return value


def _names(field: str, value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        raise InvalidSetting(field, "须为名称列表（a list of names）")
    names: list[str] = []
    for raw in value:
        name = raw.strip() if isinstance(raw, str) else ""
        if not name:
            raise InvalidSetting(field, "名称不能为空（a name cannot be empty）")
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidSetting(field, f"“{name}” 太长，最多 {MAX_NAME_LENGTH} 个字"
                                        f"（at most {MAX_NAME_LENGTH} characters）")
        if name in names:
            raise InvalidSetting(field, f"“{name}” 重复（given twice）")
        names.append(name)
    if len(names) > MAX_NAMES:
        raise InvalidSetting(field, f"最多 {MAX_NAMES} 项（at most {MAX_NAMES} names）")
    return names


def normalise(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as stored: only known settings, each checked (InvalidSetting names the field)."""
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise InvalidSetting(unknown[0], "不是可修改的派单设置（not a dispatch setting）")
    out: dict[str, Any] = {}
    if "daily_capacity" in changes:
        out["daily_capacity"] = _capacity(changes["daily_capacity"])
    for field in ("skills", "qualifications"):
        if field in changes:
            out[field] = _names(field, changes[field])
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise InvalidSetting("active", "须为 true 或 false（true or false）")
        out["active"] = changes["active"]
    return out


def checked_reason(reason: str) -> str:
    why = reason.strip()
    if not why:
        raise InvalidSetting("reason", "请说明原因（say why）")
    if len(why) > MAX_REASON:
        raise InvalidSetting("reason", f"原因最多 {MAX_REASON} 字（at most {MAX_REASON} "
                                       f"characters）")
    return why


def update_technician(session: Session, technician_id: int, changes: Mapping[str, Any],
                      version: int, actor: str, reason: str, now: datetime) -> TechnicianRecord:
    """Change some settings from the version seen; returns the record as it is now.

    Raises UnknownTechnician, InvalidSetting (naming the field; a reason is required) and
    StaleTechnician when someone changed the technician meanwhile. Saving values equal to the
    current ones is not worth a version or a log line.
    """
    why = checked_reason(reason)
    wanted = normalise(changes)
    record = session.get(TechnicianRecord, technician_id)
    if record is None:
        raise UnknownTechnician(technician_id)
    if record.version != version:
        raise StaleTechnician(technician_id, version, record.version)
    before = settings_of(record)
    after = {**before, **wanted}
    if after == before:
        return record
    done = session.execute(
        update(TechnicianRecord)
        .where(TechnicianRecord.id == technician_id, TechnicianRecord.version == version)
        .values(**wanted, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(select(TechnicianRecord.version)
                                 .where(TechnicianRecord.id == technician_id))
        raise StaleTechnician(technician_id, version, int(current or 0))
    if before["active"] and not after["active"]:
        # He leaves: his sessions end with this change, not when their 12 hours run out.
        revoke_user_tokens(session, technician_id=technician_id)
    session.add(TechnicianSettingsLogRecord(technician_id=technician_id, at=now, actor=actor,
                                            reason=why, before=before, after=after))
    session.flush()
    session.refresh(record)
    return record


def technician_log(session: Session, technician_id: int,
                   limit: int = 100) -> list[TechnicianSettingsLogRecord]:
    """The technician's setting changes, newest first."""
    return list(session.scalars(
        select(TechnicianSettingsLogRecord)
        .where(TechnicianSettingsLogRecord.technician_id == technician_id)
        .order_by(TechnicianSettingsLogRecord.id.desc()).limit(limit)))
