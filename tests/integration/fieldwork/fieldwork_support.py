"""Helpers field execution's HTTP tests share (fixtures are in this folder's conftest)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.storage.tables import UserRecord


def technician_id(engine: Engine, username: str) -> int:
    """The technician id behind a technician's login."""
    with Session(engine) as session:
        found = session.scalar(select(UserRecord.technician_id)
                               .where(UserRecord.username == username))
    assert found is not None, username
    return found
