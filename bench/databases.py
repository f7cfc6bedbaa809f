"""Where a benchmark's database lives: a SQLite file in a temp dir, or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.engine import Engine

from core.storage.tables import OrderRecord, UserRecord


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'lastmile-bench.db'}"


def is_postgres_url(url: str) -> bool:
    return url.startswith("postgres")


def ensure_postgres_database(url: str) -> None:
    """Create the URL's database when it does not exist yet (the server must allow it)."""
    parsed = make_url(url)
    name = parsed.database
    if not name:
        raise ValueError(f"{url}: name a database")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def counts(engine: Engine) -> tuple[int, int]:
    """(users, orders) already in a migrated database."""
    with engine.connect() as conn:
        users = conn.scalar(select(func.count()).select_from(UserRecord)) or 0
        orders = conn.scalar(select(func.count()).select_from(OrderRecord)) or 0
    return users, orders
