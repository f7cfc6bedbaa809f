"""Signing in and out: a bearer token for a right password, throttled; sign-out revokes it.

A sign-in is decided in three steps, so the slow part never holds the database:
  1. the throttle (`LoginGuard`) may refuse at once (429, Retry-After: the lockout's seconds);
  2. a short read looks the user up and whether they may sign in, and is closed;
  3. the argon2 check runs with no session open, in one of the guard's few slots (429,
     Retry-After: 1 when all are taken). An unknown user costs the same check against a decoy
     hash, so timing does not reveal who exists. A failure is counted by the guard (401, the
     same answer for a wrong password and an unknown name); a right password clears the user's
     failures, then a deactivated account is refused (403), else a token is issued and committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import LastmileError, Refused
from core.orders.lifecycle import Role
from core.services.login_guard import Busy, LoginGuard
from core.storage.people.accounts import is_active, issue_token, revoke_token, user_by_name
from core.storage.uow import UnitOfWork

_hasher = PasswordHasher()


class WrongCredentials(LastmileError):
    """No such user, or not their password: one answer for both."""

    status = 401

    def __init__(self) -> None:
        super().__init__("用户名或密码错误 (wrong user name or password)",
                         headers={"WWW-Authenticate": "Bearer"})


class Deactivated(Refused):
    """The password is right but the account (or its technician) is deactivated."""

    def __init__(self) -> None:
        super().__init__("该账号已停用 (this account is deactivated)")


class TooManySignIns(LastmileError):
    """Not checked now; `retry_after`: seconds until it may be (the Retry-After header)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class LockedOut(TooManySignIns):
    """Too many failures by this user name or from this address: locked for a while."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"登录失败次数过多，请 {seconds} 秒后再试 "
                         f"(too many failed sign-ins; try again in {seconds} s)", seconds)


class TooManyAtOnce(TooManySignIns):
    """Every password-check slot is taken: refused at once rather than queued."""

    def __init__(self) -> None:
        super().__init__("登录请求过多，请稍后再试 (too many sign-ins at once; "
                         "try again in a second)", 1)


@dataclass(frozen=True)
class SignIn:
    """A sign-in attempt; `address`: the peer it came from (the throttle counts per address)."""

    username: str
    password: str
    address: str


@dataclass(frozen=True)
class SignedIn:
    """The bearer token (valid until `expires_at`) and who it signs in."""

    token: str
    expires_at: datetime
    username: str
    display_name: str
    role: Role
    technician_id: int | None


@dataclass(frozen=True)
class SignOut:
    """The caller's token stops working at once (their other sessions keep theirs)."""

    token: str


@cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _password_ok(password_hash: str | None, password: str) -> bool:
    try:
        # Unknown users cost the same argon2 check, so timing does not reveal who exists.
        return _hasher.verify(password_hash or _decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def handle_sign_in(cmd: SignIn, uow: UnitOfWork, *, guard: LoginGuard) -> SignedIn:
    """A token for 12 hours; LockedOut or TooManyAtOnce (429), WrongCredentials (401),
    Deactivated (403)."""
    wait = guard.retry_after(cmd.username, cmd.address)
    if wait is not None:
        raise LockedOut(wait)
    with uow.reads() as session:
        user = user_by_name(session, cmd.username)
        active = user is not None and is_active(session, user)
        if user is not None:
            session.expunge(user)  # keeps its loaded fields once the session is gone
    # The read session is closed: the slow password check holds no transaction open.
    try:
        with guard.checking():
            ok = _password_ok(user.password_hash if user else None, cmd.password)
    except Busy:
        raise TooManyAtOnce from None
    if not ok or user is None:
        guard.failed(cmd.username, cmd.address)
        raise WrongCredentials
    guard.succeeded(cmd.username)
    if not active:
        raise Deactivated
    with uow:
        issued = issue_token(uow.session, user, uow.clock.now())
        uow.commit()
    return SignedIn(issued.token, issued.expires_at, user.username, user.display_name,
                    Role(user.role), user.technician_id)


def handle_sign_out(cmd: SignOut, uow: UnitOfWork) -> bool:
    """Revoke the token; False when it was not a live one."""
    with uow:
        revoked = revoke_token(uow.session, cmd.token)
        uow.commit()
    return revoked
