"""Signing in and out (core.services.sessions), and who am I: HTTP in, a command, HTTP out."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from core.contracts import LoginRequest, TokenOut, UserOut
from core.server.deps import AnyUser, BearerToken, Uow
from core.server.problems import PROBLEM_RESPONSES
from core.services.login_guard import LoginGuard
from core.services.sessions import SignIn, SignOut, handle_sign_in, handle_sign_out

router = APIRouter(prefix="/v1", tags=["auth"])
_guard_lock = threading.Lock()


def login_guard(request: Request) -> LoginGuard:
    """The app's sign-in throttle (one per app; tests put one with their own clock in place)."""
    state = request.app.state
    with _guard_lock:  # two first sign-ins at once must not each make a guard of their own
        guard: LoginGuard | None = getattr(state, "login_guard", None)
        if guard is None:
            guard = state.login_guard = LoginGuard()
    return guard


Guard = Annotated[LoginGuard, Depends(login_guard)]


def _address(request: Request) -> str:
    # The peer address; behind a proxy that is the proxy (README: throttling limits).
    return request.client.host if request.client else "unknown"


@router.post("/auth/login", response_model=TokenOut,
             responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[422] | {
                 "description": "too many failed sign-ins, or too many at once: see Retry-After"}})
def login(body: LoginRequest, request: Request, uow: Uow, guard: Guard) -> TokenOut:
    """A bearer token for 12 hours; failures back off per user and address (429)."""
    signed = handle_sign_in(SignIn(body.username, body.password, _address(request)), uow,
                            guard=guard)
    return TokenOut(
        access_token=signed.token, expires_at=signed.expires_at,
        user=UserOut(username=signed.username, display_name=signed.display_name,
                     role=signed.role, technician_id=signed.technician_id),
    )


@router.post("/auth/logout", status_code=204, responses=PROBLEM_RESPONSES)
def logout(user: AnyUser, token: BearerToken, uow: Uow) -> Response:
    """Sign out: the caller's token stops working at once (other sessions keep theirs)."""
    handle_sign_out(SignOut(token), uow)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, responses=PROBLEM_RESPONSES)
def me(user: AnyUser) -> UserOut:
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   technician_id=user.technician_id)
