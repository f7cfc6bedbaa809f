"""The load benchmark at a small size: every request is answered, every 200 write is stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench_help import help_of

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_answers_every_client_and_stores_exactly_the_accepted_writes() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--quick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "load" and figures["clients"] == 40
    assert "sqlite" in figures["databases"]
    for name, result in figures["databases"].items():
        assert result["unanswered"] == 0, name
        assert set(result["statuses"]) <= {"200", "409", "503"}, name
        assert result["writes_stored"] == result["writes_ok"], name
        assert result["health_after_ok"], name
        assert 0 < result["all"]["p50_ms"] <= result["all"]["p99_ms"], name
        assert result["throughput_per_s"] > 0 and result["ratio_p99"] > 0, name


def test_help_names_the_options() -> None:
    text = help_of("load")
    assert "--quick" in text and "--clients" in text
