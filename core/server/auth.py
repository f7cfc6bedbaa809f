"""Signing in (argon2 password check, throttled), bearer tokens, signing out, and who am I."""

from __future__ import annotations

import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Request, Response

from core.contracts import LoginRequest, TokenOut, UserOut
from core.orders.lifecycle import Role
from core.server.deps import AnyUser, BearerToken, DbSession, Now, Uow
from core.server.login_guard import Busy, LoginGuard
from core.server.problems import PROBLEM_RESPONSES, ProblemError
from core.storage.people.accounts import is_active, issue_token, revoke_token, user_by_name

router = APIRouter(prefix="/v1", tags=["auth"])
_hasher = PasswordHasher()
_guard_lock = threading.Lock()


@cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _password_ok(password_hash: str | None, password: str) -> bool:
    try:
        # Unknown users cost the same argon2 check, so timing does not reveal who exists.
        return _hasher.verify(password_hash or _decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def login_guard(request: Request) -> LoginGuard:
    """The app's sign-in throttle (one per app; tests put one with their own clock in place)."""
    state = request.app.state
    with _guard_lock:  # two first sign-ins at once must not each make a guard of their own
        guard: LoginGuard | None = getattr(state, "login_guard", None)
        if guard is None:
            guard = state.login_guard = LoginGuard()
    return guard


def _address(request: Request) -> str:
    # The peer address; behind a proxy that is the proxy (README: throttling limits).
    return request.client.host if request.client else "unknown"


def _too_many(seconds: int, detail: str) -> ProblemError:
    return ProblemError(429, detail, headers={"Retry-After": str(seconds)})


WRONG = "用户名或密码错误 (wrong user name or password)"


@router.post("/auth/login", response_model=TokenOut,
             responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[422] | {
                 "description": "too many failed sign-ins, or too many at once: see Retry-After"}})
def login(body: LoginRequest, request: Request, session: DbSession, uow: Uow,
          now: Now) -> TokenOut:
    """A bearer token for 12 hours; failures back off per user and address (429)."""
    guard, address = login_guard(request), _address(request)
    wait = guard.retry_after(body.username, address)
    if wait is not None:
        raise _too_many(wait, f"登录失败次数过多，请 {wait} 秒后再试 "
                              f"(too many failed sign-ins; try again in {wait} s)")
    user = user_by_name(session, body.username)
    active = user is not None and is_active(session, user)
    if user is not None:
        session.expunge(user)  # keep its loaded fields; rollback would expire them
    session.rollback()  # the slow password check must not hold a transaction open
    try:
        with guard.checking():
            ok = _password_ok(user.password_hash if user else None, body.password)
    except Busy:
        raise _too_many(1, "登录请求过多，请稍后再试 (too many sign-ins at once; "
                           "try again in a second)") from None
    if not ok or user is None:
        guard.failed(body.username, address)
        raise ProblemError(401, WRONG, headers={"WWW-Authenticate": "Bearer"})
    guard.succeeded(body.username)
    if not active:
        raise ProblemError(403, "该账号已停用 (this account is deactivated)")
    with uow:
        issued = issue_token(uow.session, user, now)
        uow.commit()
    return TokenOut(
        access_token=issued.token, expires_at=issued.expires_at,
        user=UserOut(username=user.username, display_name=user.display_name,
                     role=Role(user.role), technician_id=user.technician_id),
    )


@router.post("/auth/logout", status_code=204, responses=PROBLEM_RESPONSES)
def logout(user: AnyUser, token: BearerToken, uow: Uow) -> Response:
    """Sign out: the caller's token stops working at once (other sessions keep theirs)."""
    with uow:
        revoke_token(uow.session, token)
        uow.commit()
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, responses=PROBLEM_RESPONSES)
def me(user: AnyUser) -> UserOut:
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   technician_id=user.technician_id)
