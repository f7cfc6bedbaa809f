"""Audited changes: settings people change on purpose, each from the version they saw, with a
reason, logged with who, when, why, before and after.

The one way every such setting is changed: dispatch policies, technicians' dispatch settings,
clients' intake policies and the blacklist, users' accounts; next SLA standards, fee rules and
approvals. A feature needs a log (`AuditLog`) and, per use case, three calls:

    log = AuditLog.shared("sla_standard")            # or AuditLog(ItsOwnLogRecord, ...)
    audit = Audit.of(actor, uow.clock.now(), reason)  # NoReason (422) unless it says why
    row = lock(session, SlaStandardRecord, SlaStandardRecord.key == key)
    log.change(session, key, row, seen=version, name=Named("该时限", f"standard {key}"),
               before=values(row), after=wanted, audit=audit, write=set_values)

`change` is the versioned edit: `Stale` (409 with current_version) unless `seen` is the row's
version; nothing at all when after == before (no version, no log line); else `write(after)`
sets the columns, the version goes up by one and one log row says who, when, why, before and
after. `record_change` logs a change that has no version (a new blacklist entry); `entries` reads
the log back, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contracts.fields import MAX_REASON
from core.errors import Conflict, Invalid
from core.storage.tables import AuditLogRecord, Base
from core.text import says_something

Row = TypeVar("Row", bound=Base)
Key = TypeVar("Key")
Record = TypeVar("Record", bound=Base)
REASON_LOC: tuple[str, ...] = ("body", "reason")


class Named(NamedTuple):
    """What an edit changes, as messages name it: Chinese first, English after."""

    zh: str
    en: str


class NoReason(Invalid):
    """A change that does not say why (or says it at too great a length)."""


class Stale(Conflict):
    """A change made from a version that is no longer the current one."""

    def __init__(self, name: Named, seen: int, current: int) -> None:
        super().__init__(f"{name.zh}已被他人修改：你的版本 {seen}，当前版本 {current} "
                         f"({name.en} changed meanwhile: you had version {seen}, "
                         f"current is {current})", current_version=current)
        self.current = current


@dataclass(frozen=True)
class Audit:
    """Who makes a change, when, and why (trimmed; build it with `Audit.of`)."""

    actor: str
    at: datetime
    reason: str

    @classmethod
    def of(cls, actor: str, at: datetime, reason: str,
           loc: tuple[str, ...] = REASON_LOC) -> Audit:
        """The audit of a change; NoReason (naming `loc`) unless the reason says something."""
        why = reason.strip()
        if not says_something(why):
            raise NoReason("请说明原因 (say why)", loc=loc)
        if len(why) > MAX_REASON:
            raise NoReason(f"原因最多 {MAX_REASON} 字 (at most {MAX_REASON} characters)",
                           loc=loc)
        return cls(actor, at, why)


class Versioned(Protocol):
    """A row whose every audited change raises `version` by one."""

    version: Any


def check_version(name: Named, seen: int, current: int) -> None:
    """Stale unless the editor saw the current version."""
    if seen != current:
        raise Stale(name, seen, current)


def lock(session: Session, record: type[Record], *where: Any) -> Record | None:
    """The row to change, locked until commit (PostgreSQL; SQLite write transactions are serial
    already), read afresh: of two editors from one version exactly one passes the check."""
    return session.scalars(select(record).where(*where).with_for_update()
                           .execution_options(populate_existing=True)).first()


class AuditLog(Generic[Row, Key]):
    """Where one feature's changes are logged and read back.

    A log table has the columns id, at, actor, reason, before and after, plus those naming what
    changed: `subject(key)` gives their values for one subject, `fixed` those every row of this
    log carries (the shared table's kind).
    """

    def __init__(self, record: type[Row], subject: Callable[[Key], Mapping[str, Any]],
                 fixed: Mapping[str, Any] | None = None) -> None:
        self.record = record
        self.subject = subject
        self.fixed = dict(fixed or {})

    @classmethod
    def shared(cls, kind: str) -> AuditLog[AuditLogRecord, Any]:
        """A log in the shared `audit_log` table: a new feature needs no table of its own."""
        return AuditLog(AuditLogRecord, lambda key: {"subject": str(key)}, {"kind": kind})

    def record_change(self, session: Session, key: Key, audit: Audit,
                      before: Mapping[str, Any], after: Mapping[str, Any]) -> Row:
        """Log one change (also one without a version, e.g. a new entry: before is {})."""
        row = self.record(**self.fixed, **self.subject(key), at=audit.at, actor=audit.actor,
                          reason=audit.reason, before=dict(before), after=dict(after))
        session.add(row)
        return row

    def change(self, session: Session, key: Key, row: Versioned, *, seen: int, name: Named,
               before: Mapping[str, Any], after: Mapping[str, Any], audit: Audit,
               write: Callable[[dict[str, Any]], None]) -> bool:
        """The versioned edit of a (locked) row; whether anything changed.

        Stale unless `seen` is the row's version. Saving what is already there is not worth a
        version or a log line. `write(after)` sets the row's columns; the version is raised here.
        """
        check_version(name, seen, int(row.version))
        if dict(after) == dict(before):
            return False
        write(dict(after))
        row.version = int(row.version) + 1
        self.record_change(session, key, audit, before, after)
        session.flush()
        return True

    def entries(self, session: Session, key: Key | None = None, limit: int = 100) -> list[Row]:
        """The latest changes, newest first: of one subject, or of every subject of this log."""
        where = {**self.fixed, **(self.subject(key) if key is not None else {})}
        table_id = self.record.__table__.c.id
        return list(session.scalars(select(self.record).filter_by(**where)
                                    .order_by(table_id.desc()).limit(limit)))
