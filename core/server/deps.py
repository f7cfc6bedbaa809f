"""Request dependencies: the database session, the caller, and who may call what."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import Clock
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.problems import ProblemError
from core.server.tailer import FeedTailer
from core.storage.people.accounts import user_for_token
from core.storage.uow import UnitOfWork

DESK_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.FINANCE, Role.ADMIN)
INTAKE_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
ALL_ROLES = (*DESK_ROLES, Role.TECHNICIAN)

_bearer = HTTPBearer(auto_error=False, description="token from POST /v1/auth/login")
CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def request_now(clock: Annotated[Clock, Depends(get_clock)]) -> datetime:
    """The time of this request, read once from the app's clock (core.clock)."""
    return clock.now()


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: Role
    technician_id: int | None

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.technician_id)


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_feed(request: Request) -> FeedTailer:
    feed: FeedTailer = request.app.state.feed
    return feed


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A read session for the request; writes go through a UnitOfWork.

    Closed as soon as the response is built (DbSession's scope="function"), not after it
    was sent: a slow client never holds a pooled connection (see core.server.load).
    """
    with Session(engine) as session:
        yield session


async def get_uow(
    engine: Annotated[Engine, Depends(get_engine)],
    feed: Annotated[FeedTailer, Depends(get_feed)],
    clock: Annotated[Clock, Depends(get_clock)],
) -> UnitOfWork:
    # A commit wakes this process's feed tailer at once instead of at its next poll.
    return UnitOfWork(engine, on_commit=feed.poke, clock=clock)


EngineDep = Annotated[Engine, Depends(get_engine)]
DbSession = Annotated[Session, Depends(get_session, scope="function")]
Uow = Annotated[UnitOfWork, Depends(get_uow)]
Feed = Annotated[FeedTailer, Depends(get_feed)]
ClockDep = Annotated[Clock, Depends(get_clock)]
Now = Annotated[datetime, Depends(request_now)]


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The bearer token the request carries; 401 when there is none."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(401, "请先登录 (log in first: send 'Authorization: Bearer <token>')",
                           headers=CHALLENGE)
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


def user_of(engine: Engine, token: str, now: datetime) -> CurrentUser | None:
    """The person behind a live token now (None: unknown, expired, revoked or deactivated)."""
    # A short session of its own: long-lived routes (the SSE stream) must not hold one open.
    with Session(engine) as session:
        user = user_for_token(session, token, now)
        if user is None:
            return None
        return CurrentUser(user.id, user.username, user.display_name, Role(user.role),
                           user.technician_id)


def authenticated(engine: EngineDep, token: BearerToken, now: Now) -> CurrentUser:
    """The caller behind the bearer token; 401 when it is unknown, expired or revoked, or its
    person was deactivated."""
    user = user_of(engine, token, now)
    if user is None:
        raise ProblemError(401, "登录已失效，请重新登录 (the token is unknown, expired or "
                                "revoked; log in again)", headers=CHALLENGE)
    return user


def allow(*roles: Role) -> Callable[[CurrentUser], Awaitable[CurrentUser]]:
    """A dependency that admits only the given roles (403 for the others)."""
    allowed = frozenset(roles)

    async def check(user: Annotated[CurrentUser, Depends(authenticated)]) -> CurrentUser:
        if user.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise ProblemError(403, f"你的角色无权执行此操作 (role '{user.role.value}' may not "
                                    f"do this (allowed: {names}))")
        return user

    return check


AnyUser = Annotated[CurrentUser, Depends(allow(*ALL_ROLES))]
DeskUser = Annotated[CurrentUser, Depends(allow(*DESK_ROLES))]
IntakeUser = Annotated[CurrentUser, Depends(allow(*INTAKE_ROLES))]
TechnicianUser = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN))]
