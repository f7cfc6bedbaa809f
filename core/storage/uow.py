"""The unit of work: one transaction around a use case; rolls back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from core.clock import WALL_CLOCK, Clock
from core.storage.db import EVENT_LOCK, WRITE_OPTION, is_postgres
from core.storage.orders import OrderRepository
from core.storage.tables import OrderEventRecord


class UnitOfWork:
    """`with UnitOfWork(engine) as uow: ...; uow.commit()` — leaving without commit rolls back."""

    def __init__(self, engine: Engine, on_commit: Callable[[], None] | None = None,
                 clock: Clock = WALL_CLOCK) -> None:
        # Handlers read the time from here: the composition root chose the clock (core.clock).
        self.clock = clock
        self._factory = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
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

    def commit(self) -> None:
        """Append the touched orders' events, then commit everything in one transaction."""
        rows = self.orders.pending_event_rows()
        if rows:
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
