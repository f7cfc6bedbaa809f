"""The audited-change helper on its own (SQLite in memory): reasons, versions, no-op saves,
the log's rows and its reading, and the shared log's kinds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid
from core.storage.audited import Audit, AuditLog, Named, NoReason, Stale, lock
from core.storage.tables import AuditLogRecord, Base, UserRecord

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NAME = Named("该用户", "user 1")
LOG = AuditLog.shared("user")


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(UserRecord(id=1, username="agent", display_name="客服", role="agent",
                               password_hash="x", active=True, version=1))
        session.flush()
        yield session


def _user(session: Session) -> UserRecord:
    found = lock(session, UserRecord, UserRecord.id == 1)
    assert found is not None
    return found


def _deactivate(session: Session, seen: int, reason: str = "离职",
                at: datetime = AT) -> bool:
    user = _user(session)

    def write(values: dict[str, Any]) -> None:
        user.active = values["active"]

    return LOG.change(session, 1, user, seen=seen, name=NAME, before={"active": user.active},
                      after={"active": False}, audit=Audit.of("admin", at, reason), write=write)


@pytest.mark.parametrize("reason", ["", "   ", "\u200b", "x" * 501])
def test_a_change_must_say_why(reason: str) -> None:
    with pytest.raises(NoReason) as refused:
        Audit.of("admin", AT, reason, ("query", "reason"))

    assert isinstance(refused.value, Invalid) and refused.value.status == 422
    assert refused.value.loc == ("query", "reason")
    assert refused.value.message.startswith(("请说明原因", "原因最多"))


def test_a_reason_is_kept_trimmed() -> None:
    assert Audit.of("admin", AT, "  离职\n交接完毕 ").reason == "离职\n交接完毕"


def test_a_change_raises_the_version_and_logs_who_when_why_before_after(
        session: Session) -> None:
    assert _deactivate(session, seen=1)

    user = _user(session)
    [entry] = session.scalars(select(AuditLogRecord)).all()
    assert (user.active, user.version) == (False, 2)
    assert (entry.kind, entry.subject, entry.actor, entry.reason) == ("user", "1", "admin", "离职")
    assert (entry.before, entry.after, entry.at) == ({"active": True}, {"active": False}, AT)


def test_a_stale_version_is_a_conflict_with_the_current_one(session: Session) -> None:
    _deactivate(session, seen=1)

    with pytest.raises(Stale) as stale:
        _deactivate(session, seen=1)

    assert isinstance(stale.value, Conflict) and stale.value.status == 409
    assert stale.value.current_version == 2
    assert stale.value.message.startswith("该用户已被他人修改")
    assert "user 1 changed meanwhile: you had version 1, current is 2" in stale.value.message


def test_saving_what_is_there_costs_no_version_and_no_log_line(session: Session) -> None:
    _deactivate(session, seen=1)

    assert not _deactivate(session, seen=2)

    assert _user(session).version == 2
    assert len(session.scalars(select(AuditLogRecord)).all()) == 1


def test_the_log_reads_newest_first_per_subject_and_kind(session: Session) -> None:
    other = AuditLog.shared("fee_rule")
    audit = Audit.of("finance", AT, "调价")
    other.record_change(session, 1, audit, {"fen": 100}, {"fen": 120})
    _deactivate(session, seen=1, at=AT + timedelta(minutes=1))
    LOG.record_change(session, 7, Audit.of("admin", AT, "新建"), {}, {"active": True})
    session.flush()

    assert [e.reason for e in LOG.entries(session)] == ["新建", "离职"]
    assert [e.reason for e in LOG.entries(session, 1)] == ["离职"]
    assert [e.reason for e in LOG.entries(session, limit=1)] == ["新建"]
    assert [e.after for e in other.entries(session, 1)] == [{"fen": 120}]
