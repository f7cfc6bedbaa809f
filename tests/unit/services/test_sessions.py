"""The sign-in and sign-out handlers on a real SQLite unit of work (no HTTP): a token at the
unit of work's clock for a right password, one refusal for a wrong password or an unknown name
(both checked against a real hash), deactivated accounts refused, the guard's throttle on a
clock the test turns, and sign-out revoking the one token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher
from order_world import T0, WANG, engine, world_template
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from core.clock import SimulatedClock
from core.orders.lifecycle import Role
from core.server.problems import problem_of
from core.services import sessions
from core.services.login_guard import LoginGuard, ThrottlePolicy
from core.services.sessions import (
    Deactivated,
    LockedOut,
    SignedIn,
    SignIn,
    SignOut,
    TooManyAtOnce,
    WrongCredentials,
    handle_sign_in,
    handle_sign_out,
)
from core.storage.people.accounts import TOKEN_LIFETIME, set_user_active, user_for_token
from core.storage.tables import TechnicianRecord, TokenRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
ADDRESS = "10.0.0.7"
POLICY = ThrottlePolicy(user_free_failures=2, address_free_failures=10, first_lock_s=30,
                        max_checks=2)


class TurnedClock:
    """The guard's clock (monotonic seconds), moved only by the test."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class CountingHasher(PasswordHasher):
    """The real argon2 check, counting the checks and the connections held during each."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.checks = 0
        self.connections_held: list[int] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checks += 1
        pool = self.engine.pool
        assert isinstance(pool, QueuePool)
        self.connections_held.append(pool.checkedout())
        return super().verify(hash, password)


@pytest.fixture
def clock() -> TurnedClock:
    return TurnedClock()


@pytest.fixture
def guard(clock: TurnedClock) -> LoginGuard:
    return LoginGuard(POLICY, clock)


@pytest.fixture
def hasher(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher(engine)
    monkeypatch.setattr(sessions, "_hasher", counting)
    yield counting


def _sign_in(engine: Engine, guard: LoginGuard, username: str = "agent",
             password: str = "demo") -> SignedIn:
    return handle_sign_in(SignIn(username, password, ADDRESS),
                          UnitOfWork(engine, clock=SimulatedClock(T0)), guard=guard)


def _tokens(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(TokenRecord)) or 0


def test_a_right_password_gets_a_committed_token_from_the_clocks_time(
    engine: Engine, guard: LoginGuard
) -> None:
    signed = _sign_in(engine, guard, "tech1")

    assert (signed.username, signed.display_name, signed.role, signed.technician_id) == (
        "tech1", "Wang Jian", Role.TECHNICIAN, WANG)
    assert signed.expires_at == T0 + TOKEN_LIFETIME
    with Session(engine) as session:
        user = user_for_token(session, signed.token, T0 + timedelta(hours=1))
        assert user is not None and user.username == "tech1"


def test_a_wrong_password_is_401_with_the_bearer_challenge_and_counted(
    engine: Engine, guard: LoginGuard
) -> None:
    with pytest.raises(WrongCredentials) as refused:
        _sign_in(engine, guard, "agent", "wrong")

    problem = problem_of(refused.value)
    assert problem.problem.status == 401
    assert problem.problem.detail == "用户名或密码错误 (wrong user name or password)"
    assert problem.headers == {"WWW-Authenticate": "Bearer"}
    assert _tokens(engine) == 0
    guard.failed("agent", ADDRESS)  # the second failure: still within the free allowance
    assert guard.failed("agent", ADDRESS) == 30  # so the handler's was the first


def test_an_unknown_name_gets_the_same_answer_after_the_same_check_with_no_connection_held(
    engine: Engine, guard: LoginGuard, hasher: CountingHasher
) -> None:
    with pytest.raises(WrongCredentials) as wrong_password:
        _sign_in(engine, guard, "agent", "wrong")
    with pytest.raises(WrongCredentials) as unknown:
        _sign_in(engine, guard, "nobody", "demo")

    assert unknown.value.message == wrong_password.value.message
    assert unknown.value.headers == wrong_password.value.headers
    # An argon2 check each (a decoy hash for the unknown name), with the database let go.
    assert hasher.checks == 2
    assert hasher.connections_held == [0, 0]


@pytest.mark.parametrize("who", ["user", "technician"])
def test_a_deactivated_account_is_refused_only_with_its_right_password(
    engine: Engine, guard: LoginGuard, who: str
) -> None:
    with Session(engine) as session, session.begin():
        if who == "user":
            set_user_active(session, "tech1", False)
        else:
            session.execute(update(TechnicianRecord).where(TechnicianRecord.id == WANG)
                            .values(active=False))

    with pytest.raises(WrongCredentials):
        _sign_in(engine, guard, "tech1", "wrong")  # a guess learns nothing of the account
    with pytest.raises(Deactivated) as refused:
        _sign_in(engine, guard, "tech1", "demo")

    assert problem_of(refused.value).problem.status == 403
    assert refused.value.message == "该账号已停用 (this account is deactivated)"
    assert _tokens(engine) == 0


def test_failures_past_the_allowance_lock_even_the_right_password_until_the_guards_clock_says(
    engine: Engine, guard: LoginGuard, clock: TurnedClock, hasher: CountingHasher
) -> None:
    for n in range(3):
        with pytest.raises(WrongCredentials):
            _sign_in(engine, guard, "agent", f"guess{n}")
    clock.now += 29

    with pytest.raises(LockedOut) as locked:
        _sign_in(engine, guard, "agent", "demo")

    assert hasher.checks == 3  # locked out before the password is looked at
    problem = problem_of(locked.value)
    assert problem.problem.status == 429
    assert problem.headers == {"Retry-After": "1"}
    assert problem.problem.detail == ("登录失败次数过多，请 1 秒后再试 "
                                      "(too many failed sign-ins; try again in 1 s)")
    assert _tokens(engine) == 0
    clock.now += 1
    assert _sign_in(engine, guard, "agent", "demo").username == "agent"


def test_a_right_password_clears_the_users_failures(engine: Engine, guard: LoginGuard) -> None:
    for n in range(2):
        with pytest.raises(WrongCredentials):
            _sign_in(engine, guard, "agent", f"guess{n}")

    _sign_in(engine, guard, "agent", "demo")

    assert guard.failed("agent", ADDRESS) is None  # counting starts afresh: no lockout


def test_with_every_check_slot_taken_a_sign_in_is_refused_at_once_and_not_counted(
    engine: Engine, guard: LoginGuard, hasher: CountingHasher
) -> None:
    with guard.checking(), guard.checking(), pytest.raises(TooManyAtOnce) as busy:
        _sign_in(engine, guard, "agent", "wrong")

    assert hasher.checks == 0
    problem = problem_of(busy.value)
    assert (problem.problem.status, problem.headers) == (429, {"Retry-After": "1"})
    assert busy.value.message == ("登录请求过多，请稍后再试 (too many sign-ins at once; "
                                  "try again in a second)")
    assert guard.retry_after("agent", ADDRESS) is None
    guard.failed("agent", ADDRESS)
    assert guard.failed("agent", ADDRESS) is None  # the refused attempt was not a failure


def test_sign_out_revokes_that_token_only(engine: Engine, guard: LoginGuard) -> None:
    first, second = _sign_in(engine, guard), _sign_in(engine, guard)
    soon = T0 + timedelta(minutes=1)

    revoked = handle_sign_out(SignOut(first.token), UnitOfWork(engine, clock=SimulatedClock(soon)))

    assert revoked is True
    with Session(engine) as session:
        assert user_for_token(session, first.token, soon) is None
        assert user_for_token(session, second.token, soon) is not None
    again = handle_sign_out(SignOut(first.token), UnitOfWork(engine, clock=SimulatedClock(soon)))
    assert again is False
