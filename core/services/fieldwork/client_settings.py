"""A client's own setting (verification requirements, review policy): shown with where it
comes from, changed from the version seen with a reason, every change audited.

One `ClientSetting` per kind of setting names its table (core.storage.client_settings), its
audit_log kind, how the rule reads and writes its values and the built-in value; a client
without its own row follows 'default', and that the built-in value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.storage.audited import Audit, AuditLog, Named, check_version, lock
from core.storage.client_settings import DEFAULT, ClientSettingRow, new_row, setting_row
from core.storage.fieldwork.codes import client_exists
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

Value = TypeVar("Value")
Source = Literal["own", "default", "built_in"]


@dataclass(frozen=True)
class SettingShown(Generic[Value]):
    client_code: str
    source: Source
    value: Value
    version: int
    updated_by: str
    updated_at: datetime | None


@dataclass(frozen=True)
class ClientSetting(Generic[Value]):
    """How one kind of client setting is stored, read and audited."""

    record: type[Any]  # a table with ClientSettingRow's columns
    log_kind: str
    title: Named  # the setting as messages name it: ("核验要求", "verification requirements")
    parse: Callable[[Mapping[str, Any]], Value]  # ValueError for values the rule refuses
    values: Callable[[Value], dict[str, Any]]
    built_in: Value

    @property
    def log(self) -> AuditLog[AuditLogRecord, Any]:
        return AuditLog.shared(self.log_kind)

    def of_client(self, session: Session, client_code: str
                  ) -> tuple[ClientSettingRow | None, Value]:
        """The client's row (its own, else the default's, else None) and its value."""
        row = setting_row(session, self.record, client_code)
        return row, self.built_in if row is None else self.parse(row.rules)

    def _shown(self, client_code: str, row: ClientSettingRow | None,
               value: Value) -> SettingShown[Value]:
        if row is None:
            return SettingShown(client_code, "built_in", value, 0, "", None)
        if row.client_code != client_code:
            return SettingShown(client_code, "default", value, 0, "", None)
        return SettingShown(client_code, "own", value, int(row.version), row.updated_by,
                            row.updated_at)

    def show(self, client_code: str, uow: UnitOfWork) -> SettingShown[Value]:
        """A client's setting: its own, or what it inherits (version 0)."""
        with uow.reads() as session:
            refuse_unknown(session, client_code)
            row, value = self.of_client(session, client_code)
            return self._shown(client_code, row, value)

    def change(self, client_code: str, values: Mapping[str, Any], version: int, reason: str,
               actor: str, uow: UnitOfWork) -> SettingShown[Value]:
        """The versioned, audited edit (Stale 409; NoReason and Invalid 422; NotFound 404 for
        an unknown client); a client's first edit starts from version 0."""
        now = uow.clock.now()
        audit = Audit.of(actor, now, reason)
        try:
            wanted = self.values(self.parse(values))
        except (ValueError, TypeError) as exc:
            raise Invalid(f"{self.title.zh}无效 (invalid {self.title.en}: {exc})",
                          loc=("body",)) from exc
        name = Named(f"该客户的{self.title.zh}", f"{self.title.en} of {client_code}")
        with uow:
            refuse_unknown(uow.session, client_code)
            row = lock(uow.session, self.record, self.record.client_code == client_code)
            if row is None:
                check_version(name, version, 0)
                _, inherited = self.of_client(uow.session, client_code)
                row = new_row(self.record, client_code, self.values(inherited))
                uow.session.add(row)
            record = row

            def write(after: dict[str, Any]) -> None:
                record.rules = after["rules"]
                record.updated_by, record.updated_at = actor, now

            self.log.change(uow.session, client_code, row, seen=version, name=name,
                            before={"rules": dict(row.rules)}, after={"rules": wanted},
                            audit=audit, write=write)
            uow.commit()
            return self._shown(client_code, row, self.parse(row.rules))

    def entries(self, client_code: str, uow: UnitOfWork,
                limit: int = 100) -> list[AuditLogRecord]:
        """The client's changes, newest first ('default' for the default's)."""
        with uow.reads() as session:
            return self.log.entries(session, client_code or DEFAULT, limit)


def refuse_unknown(session: Session, client_code: str) -> None:
    """NotFound unless the client exists ('default' always does)."""
    if not client_exists(session, client_code):
        raise NotFound(f"没有客户 {client_code} (there is no client {client_code})")
