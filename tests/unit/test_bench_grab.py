"""The grab contention benchmark at a small size: exactly one of the simultaneous claims wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench_help import help_of

ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_has_exactly_one_winner_per_database() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.grab_contention", "--quick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "grab_contention" and figures["claims"] == 50
    assert "sqlite" in figures["databases"]
    for name, result in figures["databases"].items():
        assert result["winners"] == 1, name
        assert result["refusals"] == {"409": 49}, name  # every loser is told it was taken
        assert result["stored"] == {"offer_status": "claimed", "claim_attempts": 50,
                                    "order_state": "accepted", "claim_events": 1,
                                    "claimed_by_holds_order": True}, name
        for timing in (result["claim"], result["health_floor"]):
            assert 0 < timing["p50_ms"] <= timing["p99_ms"], name
        assert result["ratio_p50"] > 0
        # CPU per request from /proc (Linux here): present, and never negative.
        assert all(v is None or v >= 0 for v in result["backend_cpu_ms"].values()), name


def test_help_names_the_options() -> None:
    text = help_of("grab_contention")
    assert "--quick" in text and "--postgres" in text
