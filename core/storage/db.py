"""Where the database lives, how to connect to it, and how to bring its schema up to date."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool

MIGRATIONS = Path(__file__).parent / "migrations"
# Arbitrary constants for PostgreSQL advisory locks, shared by every backend process.
SCHEMA_LOCK = 0x4C4D0001
EVENT_LOCK = 0x4C4D0002
# Held by the one backend process whose dispatcher runs a round (core.storage.dispatch.rounds).
DISPATCH_LOCK = 0x4C4D0003
# Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE_OPTION = "lastmile_write"
# At most this many connections per process (LASTMILE_DB_CONNECTIONS); the server admits
# requests and runs worker threads in proportion to it (core.server.load).
DEFAULT_CONNECTIONS = 54
# Kept open between bursts; connections above this close when they are returned.
KEPT_CONNECTIONS = 10
# A checkout never waits when the server's limits hold; this only bounds a surprise.
POOL_WAIT_SECONDS = 10.0


def database_url() -> str:
    """LASTMILE_DATABASE_URL, or a SQLite file in the user's data directory.

    LASTMILE_DATA_DIR moves that directory (tests and side-by-side demos use it).
    """
    url = os.environ.get("LASTMILE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'lastmile.db'}"


def data_dir() -> Path:
    """The user's data directory for Lastmile (LASTMILE_DATA_DIR moves it); created if missing."""
    folder = Path(os.environ.get("LASTMILE_DATA_DIR") or platformdirs.user_data_dir("lastmile"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pool_connections() -> int:
    """How many connections one process may open (LASTMILE_DB_CONNECTIONS, at least 7)."""
    raw = os.environ.get("LASTMILE_DB_CONNECTIONS", "")
    return max(7, int(raw)) if raw.strip().isdigit() else DEFAULT_CONNECTIONS


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for SQLite (WAL, foreign keys, busy timeout) or PostgreSQL (psycopg 3).

    Pooled engines open at most pool_connections() connections. SQL errors never carry their
    parameters (customers' names, phones and addresses stay out of logs).
    """
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    kwargs.setdefault("hide_parameters", True)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    if "poolclass" not in kwargs and not in_memory:
        total = pool_connections()
        kwargs.setdefault("pool_size", min(KEPT_CONNECTIONS, total))
        kwargs.setdefault("max_overflow", max(0, total - kwargs["pool_size"]))
        kwargs.setdefault("pool_timeout", POOL_WAIT_SECONDS)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so we can choose BEGIN vs BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer that first reads and then writes would fail at once with SQLITE_BUSY when
        # another writer committed in between (WAL snapshots cannot be upgraded); taking the
        # write lock at BEGIN makes it wait for busy_timeout instead.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def pool_capacity(engine: Engine) -> int | None:
    """Connections the engine's pool can hand out at once; None when it has no bound."""
    pool = engine.pool
    if isinstance(pool, QueuePool) and pool._max_overflow >= 0:  # -1: no bound
        return pool.size() + pool._max_overflow
    return None


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


@contextmanager
def schema_lock(conn: Connection) -> Iterator[None]:
    """Serialise schema changes and seeding between processes starting together (PostgreSQL)."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
    yield


def alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; safe from several processes)."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn, schema_lock(conn):
        command.upgrade(alembic_config(conn), "head")
