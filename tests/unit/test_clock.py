"""The one clock: the clocks themselves, and that nothing else reads the wall clock."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import ScaledClock, SimulatedClock

REPO = Path(__file__).resolve().parents[2]
START = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
# Calls that read the wall clock: the time of day, not a duration.
WALL_READS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
              ("date", "today"), ("time", "time")}


class Ticking:
    """A base clock moved by hand, standing in for the wall clock."""

    def __init__(self) -> None:
        self.at = START

    def now(self) -> datetime:
        return self.at


def test_a_simulated_clock_stands_still_until_moved() -> None:
    clock = SimulatedClock(START)
    assert clock.now() == clock.now() == START
    assert clock.advance(timedelta(minutes=5)) == START + timedelta(minutes=5)
    assert clock.jump_to(START + timedelta(hours=2)) == START + timedelta(hours=2)


def test_a_simulated_clock_never_runs_backwards() -> None:
    clock = SimulatedClock(START + timedelta(hours=1))
    assert clock.jump_to(START) == START + timedelta(hours=1)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_a_simulated_clock_needs_a_time_zone() -> None:
    with pytest.raises(ValueError):
        SimulatedClock(datetime(2026, 12, 7))


def test_a_scaled_clock_runs_speed_times_faster_than_its_base() -> None:
    base = Ticking()
    clock = ScaledClock(60, base)
    base.at += timedelta(seconds=2)
    assert clock.now() == START + timedelta(minutes=2)


def _wall_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in WALL_READS):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_only_core_clock_reads_the_wall_clock() -> None:
    sources = [p for p in (REPO / "core").rglob("*.py")
               if "migrations" not in p.parts and p != REPO / "core" / "clock.py"]
    assert len(sources) > 100
    reads = [hit for p in sources for hit in _wall_reads(p)]
    assert reads == []


def test_the_scan_sees_a_wall_clock_read() -> None:
    probe = REPO / "core" / "clock.py"
    assert _wall_reads(probe)  # SystemClock reads it: the scan must see that
