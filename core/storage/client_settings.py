"""Settings a client may have its own of, kept as one row per client with the values as JSON:
the client's own row, else the 'default' client's, else none (the rule's built-in values).

A table of such a setting has the columns client_code (the key), rules (JSON), version,
updated_by and updated_at (`ClientSettingRow`); its changes are audited in audit_log
(core.services.fieldwork.client_settings is the one use case of showing and changing them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from core.storage.tables import Base

DEFAULT = "default"  # the row of every client without one of its own


class ClientSettingRow(Protocol):
    client_code: Any
    rules: Any
    version: Any
    updated_by: Any
    updated_at: Any


Row = TypeVar("Row", bound=Base)


def setting_row(session: Session, record: type[Row], client_code: str) -> Row | None:
    """The client's own row, else the default's, else None."""
    for code in (client_code, DEFAULT):
        row = session.get(record, code) if code else None
        if row is not None:
            return row
    return None


def new_row(record: type[Row], client_code: str, rules: dict[str, Any]) -> Row:
    """A client's first row of its own, at version 0 (its first change raises it to 1)."""
    updated_at: datetime | None = None
    return record(client_code=client_code, rules=rules, version=0,
                  updated_by="", updated_at=updated_at)
