"""How far each polled source has been read; kept in the database so a restart goes on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.storage.tables import IntakeCursorRecord


def read_cursor(session: Session, source: str) -> str | None:
    found = session.get(IntakeCursorRecord, source)
    return found.cursor if found else None


def write_cursor(session: Session, source: str, cursor: str, at: datetime) -> None:
    """Set the source's cursor in the caller's transaction."""
    found = session.get(IntakeCursorRecord, source)
    if found is None:
        session.add(IntakeCursorRecord(source=source, cursor=cursor, updated_at=at))
    else:
        found.cursor, found.updated_at = cursor, at
    session.flush()
