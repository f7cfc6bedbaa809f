"""`--speed N`: the demo's backend and simulator share a clock N times as fast as the wall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.cli import build_parser
from core.clock import ScaledClock
from core.demo.agent_desk import DISPATCH_PATIENCE
from core.demo.centre import REVIEW_PATIENCE
from core.demo.simulator import Simulator
from core.server.launch import MIN_DISPATCH_SECONDS, dispatch_interval


class StoppedClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_speed_is_a_positive_number(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_parser().parse_args([command, "--speed", "60"]).speed == 60
    assert build_parser().parse_args([command]).speed == 1
    for bad in ("0", "-5"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--speed", bad])
    assert "must be more than 0" in capsys.readouterr().err


def test_a_scaled_clock_runs_n_times_as_fast() -> None:
    base = StoppedClock()
    clock = ScaledClock(60, base)
    start = clock.now()
    base.at += timedelta(seconds=2)
    assert clock.now() - start == timedelta(minutes=2)


def test_dispatch_rounds_keep_their_interval_in_the_clocks_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTMILE_DISPATCH_SECONDS", "30")
    assert dispatch_interval(1) == 30
    assert dispatch_interval(10) == 3  # 30 seconds of a ten-times clock
    assert dispatch_interval(600) == MIN_DISPATCH_SECONDS  # never a busy loop
    monkeypatch.setenv("LASTMILE_DISPATCH_SECONDS", "0")
    assert dispatch_interval(60) == 0  # off stays off


def test_on_a_fast_clock_the_stand_ins_keep_their_patience_in_its_time() -> None:
    # The clock already runs 60 times as fast: 4 minutes of it pass in 4 real seconds.
    fast = Simulator("http://demo", speed=60, clock=ScaledClock(60, StoppedClock()))
    assert fast._agent.patience == DISPATCH_PATIENCE
    assert fast._review_patience == REVIEW_PATIENCE
    # On the wall clock the pace alone shortens it (LASTMILE_DEMO_SPEED in end-to-end tests).
    hurried = Simulator("http://demo", speed=10)
    assert hurried._agent.patience == DISPATCH_PATIENCE / 10
