"""Logging in (argon2 password check, bearer tokens) and who am I."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter

from core.contracts import LoginRequest, TokenOut, UserOut
from core.orders.lifecycle import Role
from core.server.deps import AnyUser, DbSession, Uow, utcnow
from core.server.problems import PROBLEM_RESPONSES, ProblemError
from core.storage.people import issue_token, user_by_name

router = APIRouter(prefix="/v1", tags=["auth"])
_hasher = PasswordHasher()


@cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _password_ok(password_hash: str | None, password: str) -> bool:
    try:
        # Unknown users cost the same argon2 check, so timing does not reveal who exists.
        return _hasher.verify(password_hash or _decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@router.post("/auth/login", response_model=TokenOut, responses=PROBLEM_RESPONSES)
def login(body: LoginRequest, session: DbSession, uow: Uow) -> TokenOut:
    user = user_by_name(session, body.username)
    if user is not None:
        session.expunge(user)  # keep its loaded fields; rollback would expire them
    session.rollback()  # the slow password check must not hold a transaction open
    if not _password_ok(user.password_hash if user else None, body.password) or user is None:
        raise ProblemError(401, "wrong user name or password",
                           headers={"WWW-Authenticate": "Bearer"})
    with uow:
        issued = issue_token(uow.session, user, utcnow())
        uow.commit()
    return TokenOut(
        access_token=issued.token, expires_at=issued.expires_at,
        user=UserOut(username=user.username, display_name=user.display_name,
                     role=Role(user.role), technician_id=user.technician_id),
    )


@router.get("/me", response_model=UserOut, responses=PROBLEM_RESPONSES)
def me(user: AnyUser) -> UserOut:
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   technician_id=user.technician_id)
