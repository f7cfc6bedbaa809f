"""Moving a test database up or down the migrations to a revision (the migration tests').

Importable from every test below tests/integration (pytest puts this folder on sys.path for its
conftest.py).
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine

from core.storage.db import WRITE_OPTION, alembic_config


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    """Upgrade (or with `down`, downgrade) the database to `revision`."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        cfg = alembic_config(conn)
        (command.downgrade if down else command.upgrade)(cfg, revision)
