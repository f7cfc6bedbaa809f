"""The photo benchmark at a small size: an order with 8 photos opened over HTTP, every photo
judged ok, the timings sane and compared with reading the files from disk (no timing is
asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench_help import help_of

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bench.photos", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_quick_run_opens_the_order_and_compares_with_the_disk() -> None:
    done = _run("--quick")

    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert (figures["bench"], figures["photos"], figures["pixels"]) == ("photos", 8, "800x600")
    assert figures["flagged"] == 0  # taken at the visit, at the address: evidence as it should be
    assert 0 < figures["thumbnail_bytes_mean"] < figures["photo_bytes_mean"]
    for name in ("open", "open_parallel", "disk_read", "uncached"):
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"], name
    assert figures["ratio_open_to_disk_p50"] > 0 and figures["ratio_uncached_to_open_p50"] > 0
    assert figures["target_ms"] == 300 and isinstance(figures["within_target"], bool)
    assert "open / disk_read" in done.stdout


def test_help_names_the_options() -> None:
    text = help_of("photos")
    assert "--quick" in text and "--photos" in text
