"""Sign-in throttling (core.services.login_guard) on a clock the test turns: no sleeps."""

from __future__ import annotations

import logging

import pytest

from core.services.login_guard import Busy, LoginGuard, ThrottlePolicy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


POLICY = ThrottlePolicy(user_free_failures=3, address_free_failures=5, first_lock_s=30,
                        max_lock_s=120, forget_after_s=3600, max_checks=2)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock: Clock) -> LoginGuard:
    return LoginGuard(POLICY, clock)


def test_the_free_failures_lock_nothing(guard: LoginGuard) -> None:
    for _ in range(2):
        assert guard.failed("agent", "10.0.0.1") is None

    assert guard.retry_after("agent", "10.0.0.1") is None


def test_the_failure_past_the_allowance_locks_the_user_and_logs_it(
    guard: LoginGuard, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):
        guard.failed("agent", "10.0.0.1")
    with caplog.at_level(logging.WARNING, logger="core.server.login"):
        assert guard.failed("agent", "10.0.0.1") == 30

    assert guard.retry_after("agent", "10.0.0.9") == 30  # from any address
    assert guard.retry_after("finance", "10.0.0.1") is None  # another user from there
    assert guard.lockouts == 1
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "sign-in locked" in record.getMessage() and "'agent'" in record.getMessage()
    assert "10.0.0.1" in record.getMessage()


def test_each_failure_after_a_lockout_doubles_it_up_to_the_cap(
    guard: LoginGuard, clock: Clock
) -> None:
    for _ in range(3):
        guard.failed("agent", f"10.0.0.{_}")
    locks = []
    for _ in range(4):
        locks.append(guard.failed("agent", "10.0.1.1"))
        clock.now += locks[-1] or 0  # wait the lockout out, then fail again
        assert guard.retry_after("agent", "10.0.1.1") is None

    assert locks == [30, 60, 120, 120]


def test_one_address_guessing_many_users_is_locked(guard: LoginGuard) -> None:
    for n in range(5):
        assert guard.failed(f"user{n}", "10.0.0.1") is None

    assert guard.failed("user5", "10.0.0.1") == 30
    assert guard.retry_after("someone-else", "10.0.0.1") == 30


def test_the_lockout_ends_on_time(guard: LoginGuard, clock: Clock) -> None:
    for _ in range(4):
        guard.failed("agent", "10.0.0.1")
    clock.now += 29.5

    assert guard.retry_after("agent", "10.0.0.1") == 1
    clock.now += 0.5
    assert guard.retry_after("agent", "10.0.0.1") is None


def test_a_right_password_clears_the_user_but_not_the_address(guard: LoginGuard) -> None:
    for n in range(2):
        guard.failed("agent", "10.0.0.1")
        guard.failed(f"other{n}", "10.0.0.1")

    guard.succeeded("agent")

    assert guard.failed("agent", "10.0.0.2") is None  # the user starts afresh
    assert guard.failed("x", "10.0.0.1") is None  # the address's 5th failure
    assert guard.failed("y", "10.0.0.1") == 30  # and its 6th: the 4 before still count


def test_failures_are_forgotten_after_a_quiet_hour(guard: LoginGuard, clock: Clock) -> None:
    for _ in range(3):
        guard.failed("agent", "10.0.0.1")
    clock.now += 3601

    assert guard.failed("agent", "10.0.0.1") is None


def test_checks_past_the_cap_are_refused_at_once_not_queued(guard: LoginGuard) -> None:
    with guard.checking(), guard.checking():
        with pytest.raises(Busy):
            with guard.checking():
                pass

    with guard.checking():  # the slots are free again
        pass


def test_memory_is_bounded_by_forgetting_the_oldest_keys(clock: Clock) -> None:
    guard = LoginGuard(ThrottlePolicy(max_keys=10), clock)

    for n in range(100):
        guard.failed(f"user{n}", f"10.0.{n}.1")

    assert len(guard._failures) == 10
