"""The unit of work: one transaction around a use case; rolls back unless committed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from core.clock import WALL_CLOCK, Clock
from core.storage.db import EVENT_LOCK, WRITE_OPTION, is_postgres
from core.storage.orders.repository import OrderRepository
from core.storage.tables import OrderEventRecord

_FACTORY_ATTRIBUTE = "_lastmile_write_sessions"
_FACTORIES_LOCK = threading.Lock()


def _write_sessions(engine: Engine) -> sessionmaker[Session]:
    """One write-session factory per engine, made once and kept on the engine (it lives and
    goes with it): a unit of work is made per request, the factory is not."""
    factory: sessionmaker[Session] | None = getattr(engine, _FACTORY_ATTRIBUTE, None)
    if factory is None:
        with _FACTORIES_LOCK:
            factory = getattr(engine, _FACTORY_ATTRIBUTE, None)
            if factory is None:
                factory = sessionmaker(bind=engine.execution_options(**{WRITE_OPTION: True}),
                                       expire_on_commit=False)
                setattr(engine, _FACTORY_ATTRIBUTE, factory)
    return factory


class UnitOfWork:
    """`with UnitOfWork(engine) as uow: ...; uow.commit()` — leaving without commit rolls back."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] | None = None,
                 clock: Clock = WALL_CLOCK) -> None:
        # Handlers read the time from here: the composition root chose the clock (core.clock).
        self.clock = clock
        self.engine = engine
        self._factory = _write_sessions(engine)
        self._on_commit = on_commit
        self._postgres = is_postgres(engine)

    def __enter__(self) -> UnitOfWork:
        self.session: Session = self._factory()
        self.orders = OrderRepository(self.session)
        self.committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.session.rollback()
        self.session.close()

    @contextmanager
    def reads(self) -> Iterator[Session]:
        """A short read session beside the unit of work's transaction: no write lock is taken
        (SQLite write sessions begin IMMEDIATE), so a handler can rank or check before it
        writes without holding the database."""
        with Session(self.engine) as session:
            yield session

    def commit(self) -> None:
        """Append the touched orders' events, then commit everything in one transaction."""
        rows = self.orders.pending_event_rows()
        if rows:
            # Every order change passes here: its SLA deadlines follow in the same transaction
            # (before the event lock below, which must stay the last lock taken).
            from core.storage.sla.deadlines import refresh_deadlines

            refresh_deadlines(self.session, {r["order_id"] for r in rows}, pending=rows)
            if self._postgres:
                # Feed readers page by "seq > cursor". PostgreSQL hands out sequence numbers at
                # insert time but transactions commit in any order, so a reader could see seq 11
                # committed, move its cursor to 11, and never see seq 10 that commits a moment
                # later. Holding this lock from the first event insert until commit makes
                # event-writing transactions commit in seq order. It is taken last, after all
                # row locks, so holders never wait on another writer's row (no deadlocks).
                self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
            self.session.execute(insert(OrderEventRecord), rows)
        self.session.commit()
        self.committed = True
        self.orders.forget_pending()
        if self._on_commit is not None and rows:
            self._on_commit()

    def rollback(self) -> None:
        self.session.rollback()
