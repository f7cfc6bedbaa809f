"""bench.simulate at a tiny size ends with a sane JSON line (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench_help import help_of

ROOT = Path(__file__).resolve().parents[2]


def test_simulate_reports_the_day_against_intake_alone() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bench.simulate", "--quick", "--no-postgres"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                          check=False)

    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "simulate" and figures["orders"] == 20
    sqlite = figures["results"]["sqlite"]
    assert 0 < sqlite["completed"] <= sqlite["orders"]
    for key in ("orders_per_s", "intake_orders_per_s", "ratio_to_intake", "completed_per_s",
                "national_day_ratio"):
        assert sqlite[key] > 0, key
    assert sqlite["seconds_by_event"]["arrive"] > 0 and sqlite["dispatch_rounds"] > 0


def test_help_describes_the_benchmark() -> None:
    text = help_of("simulate")
    assert "--quick" in text and "--postgres" in text
