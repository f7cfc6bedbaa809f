"""Users, login tokens and technicians."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.orders.lifecycle import OrderState
from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.tables import (
    AuditLogRecord,
    OrderRecord,
    ServicePointRecord,
    TechnicianRecord,
    TokenRecord,
    UserRecord,
)

TOKEN_LIFETIME = timedelta(hours=12)
# The states in which an order occupies a technician today.
BUSY_STATES = (
    OrderState.ASSIGNED, OrderState.ACCEPTED, OrderState.APPOINTED, OrderState.CHECKED_IN
)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_by_name(session: Session, username: str) -> UserRecord | None:
    return session.scalar(select(UserRecord).where(UserRecord.username == username))


def issue_token(session: Session, user: UserRecord, now: datetime) -> IssuedToken:
    """A new random bearer token; only its SHA-256 is stored, so a leaked table grants nothing."""
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME
    # Expired tokens of this user are dead weight; drop them while we are here.
    session.execute(
        delete(TokenRecord).where(TokenRecord.user_id == user.id, TokenRecord.expires_at <= now)
    )
    session.add(
        TokenRecord(token_sha256=_digest(token), user_id=user.id, created_at=now,
                    expires_at=expires)
    )
    return IssuedToken(token, expires)


def is_active(session: Session, user: UserRecord) -> bool:
    """A user may sign in while active, and a technician's user while the technician is."""
    if not user.active:
        return False
    if user.technician_id is None:
        return True
    return bool(session.scalar(
        select(TechnicianRecord.active).where(TechnicianRecord.id == user.technician_id)))


def user_for_token(session: Session, token: str, now: datetime) -> UserRecord | None:
    """The user a live token belongs to, or None when it is unknown, expired, or its person
    was deactivated (checked on every request, so deactivation works even where its tokens
    were not revoked, e.g. a user set inactive in the database by hand)."""
    return session.scalar(
        select(UserRecord)
        .join(TokenRecord, TokenRecord.user_id == UserRecord.id)
        .outerjoin(TechnicianRecord, TechnicianRecord.id == UserRecord.technician_id)
        .where(TokenRecord.token_sha256 == _digest(token), TokenRecord.expires_at > now,
               UserRecord.active.is_(True),
               or_(UserRecord.technician_id.is_(None), TechnicianRecord.active.is_(True)))
    )


def revoke_token(session: Session, token: str) -> bool:
    """Sign-out: the token stops working at once; False when it was not a live token."""
    done = session.execute(delete(TokenRecord).where(TokenRecord.token_sha256 == _digest(token)))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def revoke_user_tokens(session: Session, *, user_id: int | None = None,
                       technician_id: int | None = None) -> int:
    """Every token of a user (or of a technician's user): how many were revoked."""
    users = select(UserRecord.id)
    if user_id is not None:
        users = users.where(UserRecord.id == user_id)
    elif technician_id is not None:
        users = users.where(UserRecord.technician_id == technician_id)
    else:
        raise ValueError("name a user or a technician")
    done = session.execute(delete(TokenRecord).where(TokenRecord.user_id.in_(users)))
    return int(done.rowcount)  # type: ignore[attr-defined]


def set_user_active(session: Session, username: str, active: bool) -> UserRecord | None:
    """Activate or deactivate a user; deactivating revokes his tokens in the same transaction."""
    user = user_by_name(session, username)
    if user is None:
        return None
    if user.active != active:  # unaudited (scripts, tests): PATCH /v1/users/{id} logs
        user.active, user.version = active, user.version + 1
    if not active:
        revoke_user_tokens(session, user_id=user.id)
    session.flush()
    return user


USER_LOG = AuditLog.shared("user")
USER_SETTINGS = ("active",)


class UnknownUser(NotFound):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"没有编号为 {user_id} 的用户 (no user {user_id})")


def users(session: Session) -> list[UserRecord]:
    """Every user, by id."""
    return list(session.scalars(select(UserRecord).order_by(UserRecord.id)))


def user_settings(user: UserRecord) -> dict[str, Any]:
    """An account's settings as logged and compared."""
    return {"active": bool(user.active)}


def change_user(session: Session, user_id: int, changes: Mapping[str, Any], version: int,
                audit: Audit) -> UserRecord:
    """Change an account from the version seen (Stale if changed meanwhile); deactivating it
    revokes its tokens in the same transaction. Saving what is there changes nothing."""
    user = lock(session, UserRecord, UserRecord.id == user_id)
    if user is None:
        raise UnknownUser(user_id)
    before = user_settings(user)

    def write(values: dict[str, Any]) -> None:
        user.active = values["active"]

    changed = USER_LOG.change(session, user_id, user, seen=version,
                              name=Named("该用户", f"user {user_id}"), before=before,
                              after={**before, **changes}, audit=audit, write=write)
    if changed and before["active"] and not user.active:
        revoke_user_tokens(session, user_id=user_id)
    return user


def user_log(session: Session, user_id: int, limit: int = 100) -> list[AuditLogRecord]:
    """An account's changes, newest first."""
    return USER_LOG.entries(session, user_id, limit)


@dataclass(frozen=True)
class TechnicianView:
    record: TechnicianRecord
    service_point: str
    load_today: int


def technicians(
    session: Session, *, ids: list[int] | None = None, active_only: bool = False
) -> list[TechnicianView]:
    """Technicians with their service point's name and how many orders they hold right now."""
    load = (
        select(OrderRecord.technician_id, func.count().label("n"))
        .where(OrderRecord.state.in_([s.value for s in BUSY_STATES]))
        .where(OrderRecord.technician_id.is_not(None))
        .group_by(OrderRecord.technician_id)
        .subquery()
    )
    stmt = (
        select(TechnicianRecord, ServicePointRecord.name, func.coalesce(load.c.n, 0))
        .outerjoin(ServicePointRecord, ServicePointRecord.id == TechnicianRecord.service_point_id)
        .outerjoin(load, load.c.technician_id == TechnicianRecord.id)
        .order_by(TechnicianRecord.id)
    )
    if ids is not None:
        stmt = stmt.where(TechnicianRecord.id.in_(ids))
    if active_only:
        stmt = stmt.where(TechnicianRecord.active.is_(True))
    return [
        TechnicianView(tech, point or "", int(n)) for tech, point, n in session.execute(stmt).all()
    ]


def technician(session: Session, technician_id: int) -> TechnicianView | None:
    found = technicians(session, ids=[technician_id])
    return found[0] if found else None
