"""Verification codes, clients' code policies and the SMS outbox: tables and queries.

A code row keeps the code's salted keyed hash (never the code), its policy at issue time and
each fact with who and when: issued, used, locked, voided. The outbox keeps every SMS until the
provider took it (core.services.fieldwork.sms); a code's SMS holds the code sealed under the
server key, cleared once sent or dropped. The key (`code_key`) never enters the database.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.codes import KEY_BYTES, CodePolicy
from core.storage.db import data_dir, is_postgres
from core.storage.intake.clients import client_policy
from core.storage.tables import Base, ClientRecord, OrderRecord
from core.storage.types import BigId, UTCDateTime

KEY_ENV = "LASTMILE_CODE_KEY"
KEY_FILE = "code.key"
DEFAULT_POLICY = "default"  # the policy row of clients without one of their own
PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"
_keys: dict[str, bytes] = {}
_keys_lock = threading.Lock()


class CodePolicyRecord(Base):
    """A client's code policy ('default': every client without one); audited changes."""

    __tablename__ = "verification_code_policies"
    client_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    digits: Mapped[int] = mapped_column(Integer)
    valid_hours: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VerificationCodeRecord(Base):
    """One code of an order; the order's current code is its newest one not voided."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_order_id", "order_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    digits: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str] = mapped_column(String(64), default="")
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str] = mapped_column(String(64), default="")
    void_reason: Mapped[str] = mapped_column(Text, default="")


class SmsOutboxRecord(Base):
    """One SMS to send: pending until the provider takes it (sent) or refuses it for good."""

    __tablename__ = "sms_outbox"
    __table_args__ = (Index("ix_sms_outbox_status_next_try_at", "status", "next_try_at"),
                      Index("ix_sms_outbox_order_id", "order_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    code_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("verification_codes.id"))
    phone: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    sealed: Mapped[str] = mapped_column(String(64), default="")  # the code, enciphered
    status: Mapped[str] = mapped_column(String(16))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime)
    provider_id: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")


def code_key() -> bytes:
    """The key of the codes' hashes and sealed SMS: LASTMILE_CODE_KEY (every server of one
    database must share it), else a key file made once in the data directory (mode 0600).

    Never in the database: a copy of it alone tells nobody a code. A new key makes the live
    codes unusable (the desk issues new ones)."""
    raw = os.environ.get(KEY_ENV, "")
    if raw:
        key = raw.encode()
        if len(key) < KEY_BYTES:
            raise RuntimeError(f"{KEY_ENV} must have at least {KEY_BYTES} characters")
        return key
    path = data_dir() / KEY_FILE
    with _keys_lock:
        if str(path) not in _keys:
            _keys[str(path)] = _read_or_make_key(path)
        return _keys[str(path)]


def _read_or_make_key(path: Path) -> bytes:
    """The key in the file; the first caller writes it whole before it appears (a link is
    atomic), so a server starting beside it never reads a half-written key."""
    if not path.exists():
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(KEY_BYTES))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return path.read_bytes().strip()


def policy_of(row: CodePolicyRecord | None) -> CodePolicy:
    if row is None:
        return CodePolicy()
    return CodePolicy(row.digits, timedelta(hours=row.valid_hours), row.max_attempts)


def policy_of_client(session: Session,
                     client_code: str) -> tuple[CodePolicyRecord | None, CodePolicy]:
    """The client's policy row (its own, else the default's, else None) and its policy."""
    for code in (client_code, DEFAULT_POLICY):
        row = session.get(CodePolicyRecord, code)
        if row is not None:
            return row, policy_of(row)
    return None, CodePolicy()


def policy_for_order(session: Session, platform: str) -> CodePolicy:
    """The policy of the order's client, as intake knows the client from the platform."""
    return policy_of_client(session, client_policy(session, platform, "").code)[1]


def client_exists(session: Session, client_code: str) -> bool:
    """A known client, or the default every client without a policy of its own inherits."""
    return client_code == DEFAULT_POLICY or session.get(ClientRecord, client_code) is not None


def lock_order(session: Session, order_id: int) -> bool:
    """Hold the order's row until commit (PostgreSQL): one issue at a time per order."""
    found = session.scalar(select(OrderRecord.id).where(OrderRecord.id == order_id)
                           .with_for_update())
    return found is not None


def current_code(session: Session, order_id: int, *,
                 for_update: bool = False) -> VerificationCodeRecord | None:
    """The order's newest code not voided (locked and read afresh when asked)."""
    stmt = (select(VerificationCodeRecord)
            .where(VerificationCodeRecord.order_id == order_id,
                   VerificationCodeRecord.voided_at.is_(None))
            .order_by(VerificationCodeRecord.id.desc()).limit(1))
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def codes_of(session: Session, order_id: int) -> list[VerificationCodeRecord]:
    """Every code of the order, newest first."""
    return list(session.scalars(select(VerificationCodeRecord)
                                .where(VerificationCodeRecord.order_id == order_id)
                                .order_by(VerificationCodeRecord.id.desc())))


def void_codes(session: Session, order_id: int, at: datetime, by: str, reason: str) -> int:
    """Void the order's codes not yet voided and drop their unsent SMS; how many codes."""
    voided = session.execute(
        update(VerificationCodeRecord)
        .where(VerificationCodeRecord.order_id == order_id,
               VerificationCodeRecord.voided_at.is_(None))
        .values(voided_at=at, voided_by=by, void_reason=reason))
    cancel_unsent(session, order_id, "核销码已作废 (the code was replaced)")
    return int(voided.rowcount)  # type: ignore[attr-defined]


def cancel_unsent(session: Session, order_id: int, why: str) -> None:
    """Drop the order's code SMS still pending: the code they carry is no longer wanted."""
    session.execute(update(SmsOutboxRecord)
                    .where(SmsOutboxRecord.order_id == order_id,
                           SmsOutboxRecord.code_id.is_not(None),
                           SmsOutboxRecord.status == PENDING)
                    .values(status=CANCELLED, sealed="", last_error=why))


def queue_sms(session: Session, *, order_id: int, code_id: int | None, phone: str, text: str,
              sealed: str, at: datetime) -> SmsOutboxRecord:
    """Queue one SMS in the caller's transaction, due at once."""
    row = SmsOutboxRecord(order_id=order_id, code_id=code_id, phone=phone, text=text,
                          sealed=sealed, status=PENDING, tries=0, next_try_at=at,
                          provider_id="", created_at=at, last_error="")
    session.add(row)
    session.flush()
    return row


def due_sms(session: Session, now: datetime, limit: int,
            ids: Sequence[int] | None = None) -> list[SmsOutboxRecord]:
    """Pending SMS due now, oldest first, locked for this sender (others skip them)."""
    stmt = (select(SmsOutboxRecord)
            .where(SmsOutboxRecord.status == PENDING, SmsOutboxRecord.next_try_at <= now)
            .order_by(SmsOutboxRecord.next_try_at, SmsOutboxRecord.id).limit(limit))
    if ids is not None:
        stmt = stmt.where(SmsOutboxRecord.id.in_(list(ids)))
    if is_postgres(session.get_bind()):
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def sms_of_codes(session: Session, code_ids: Sequence[int]) -> dict[int, SmsOutboxRecord]:
    """Each code's latest SMS."""
    found: dict[int, SmsOutboxRecord] = {}
    if not code_ids:
        return found
    rows = session.scalars(select(SmsOutboxRecord)
                           .where(SmsOutboxRecord.code_id.in_(list(code_ids)))
                           .order_by(SmsOutboxRecord.id))
    for row in rows:
        if row.code_id is not None:
            found[row.code_id] = row
    return found
