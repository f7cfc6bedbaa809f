"""The settings handlers on a real SQLite unit of work: the change takes the clock's time and
the reason, commits, and refuses one's own deactivation before touching anything."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from core.clock import SimulatedClock
from core.errors import Refused
from core.services.settings import ChangeUser, handle_change_user
from core.storage.audited import NoReason, Stale
from core.storage.tables import AuditLogRecord, Base, TokenRecord, UserRecord
from core.storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine() -> Engine:
    engine = create_engine("sqlite://", poolclass=StaticPool,
                           connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for n, (name, role) in enumerate((("admin", "admin"), ("agent", "agent")), start=1):
            session.add(UserRecord(id=n, username=name, display_name=name, role=role,
                                   password_hash="x", active=True, version=1))
        session.flush()
        session.add(TokenRecord(token_sha256="a" * 64, user_id=2, created_at=AT,
                                expires_at=AT))
    return engine


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, clock=SimulatedClock(AT))


def _deactivate(user_id: int, version: int = 1, reason: str = "离职") -> ChangeUser:
    return ChangeUser(user_id, version, reason, "admin", 1, {"active": False})


def test_a_change_is_committed_at_the_clocks_time_and_ends_the_sessions(engine: Engine) -> None:
    user = handle_change_user(_deactivate(2), _uow(engine))

    assert (user.active, user.version) == (False, 2)
    with Session(engine) as session:
        [entry] = session.scalars(select(AuditLogRecord)).all()
        tokens = session.scalars(select(TokenRecord)).all()
    assert (entry.at, entry.actor, entry.reason) == (AT, "admin", "离职")
    assert tokens == []


def test_refusals_leave_everything_as_it_was(engine: Engine) -> None:
    handle_change_user(_deactivate(2), _uow(engine))

    with pytest.raises(Refused):
        handle_change_user(_deactivate(1), _uow(engine))
    with pytest.raises(NoReason):
        handle_change_user(_deactivate(2, version=2, reason=" "), _uow(engine))
    with pytest.raises(Stale):
        handle_change_user(ChangeUser(2, 1, "返岗", "admin", 1, {"active": True}), _uow(engine))

    with Session(engine) as session:
        assert [u.version for u in session.scalars(select(UserRecord).order_by(UserRecord.id))
                ] == [1, 2]
        assert len(session.scalars(select(AuditLogRecord)).all()) == 1
