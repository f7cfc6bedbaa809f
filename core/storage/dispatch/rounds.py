"""What a dispatch round needs from storage besides its snapshot (core.storage.dispatch.snapshot).

The round itself (plan, apply per order, escalate failures) is a use case:
core.services.dispatch. Here: the one-dispatcher lock, an order's stored version, whether any
offer went stale, and how to tell the database's own trouble from an order's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from core.storage.db import DISPATCH_LOCK, is_postgres
from core.storage.grab.pool import stale_offers
from core.storage.tables import OrderRecord


@contextmanager
def only_dispatcher(engine: Engine) -> Iterator[bool]:
    """Whether this round may run: on PostgreSQL several backend processes may share the
    database, and only one of them dispatches at a time (the others skip the round; versions
    would keep them safe, but two would open an offer for the same order twice)."""
    if not is_postgres(engine):
        yield True
        return
    with engine.connect() as conn:
        got = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": DISPATCH_LOCK}))
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DISPATCH_LOCK})
            conn.commit()


def stored_version(session: Session, order_id: int) -> int | None:
    """The order's version as stored now (None: no such order)."""
    return session.scalar(select(OrderRecord.version).where(OrderRecord.id == order_id))


def any_stale_offers(engine: Engine) -> bool:
    """Whether an open offer's order left the pool; read outside any write transaction, so the
    usual round (none) takes no write lock for it."""
    with Session(engine) as session:
        return bool(stale_offers(session))


def error_text(exc: BaseException) -> str:
    """The error in one short line: the driver's message, never the SQL or its parameters
    (they hold customers' data, and the text goes into a note a person reads)."""
    source = getattr(exc, "orig", None) or exc
    lines = str(source).strip().splitlines()
    return f"{type(source).__name__}: {lines[0] if lines else ''}"


def transient(exc: BaseException) -> bool:
    """The database's trouble (locked, deadlock, connection gone), not the order's: next round."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)

