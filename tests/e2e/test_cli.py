"""The `lastmile` command as a user meets it: --help everywhere, and `demo` on a machine
without a screen (it must say so and keep the backend up, never die with Qt's plugin error)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LASTMILE = [sys.executable, "-m", "console.cli"]
REPO = Path(__file__).resolve().parents[2]


def _no_screen_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["LASTMILE_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.parametrize(("args", "expected"), [
    ([], ["serve", "console", "demo", "simulate"]),
    (["serve"], ["--demo", "--simulate", "--database-url", "--port", "--speed"]),
    (["console"], ["--server", "--user", "--tile-url"]),
    (["demo"], ["--tour", "--no-simulator", "--database-url", "--tile-url", "--speed"]),
    (["simulate"], ["--days", "--orders-per-day", "--seed", "--database-url", "--policy",
                    "--dispatch-seconds"]),
])
def test_every_command_has_help(args: list[str], expected: list[str]) -> None:
    out = subprocess.run([*LASTMILE, *args, "--help"], capture_output=True, text=True,
                         cwd=REPO, check=True).stdout
    for word in expected:
        assert word in out


def test_console_without_a_screen_says_so_plainly(tmp_path: Path) -> None:
    done = subprocess.run([*LASTMILE, "console"], capture_output=True, text=True, cwd=REPO,
                          env=_no_screen_env(tmp_path), timeout=60)
    assert done.returncode == 2
    assert "No screen is available" in done.stdout
    assert "qt.qpa" not in done.stderr and "Traceback" not in done.stderr


def test_demo_without_a_screen_keeps_the_backend_running(tmp_path: Path) -> None:
    env = _no_screen_env(tmp_path)
    db = tmp_path / "demo.db"
    proc = subprocess.Popen(
        [*LASTMILE, "demo", "--port", "0", "--database-url", f"sqlite:///{db}"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "No screen is available" in line:
                break
        output = "".join(lines)
        assert "No screen is available" in output, output
        assert "password for all: demo" in output
        url = re.search(r"running at (http://\S+)", output)
        assert url, output
        health = httpx.get(f"{url.group(1)}/v1/health", timeout=5)
        assert health.status_code == 200 and health.json()["database"] == "ok"
        assert proc.poll() is None  # still serving consoles elsewhere
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "qt.qpa" not in "".join(lines)
    with pytest.raises(httpx.HTTPError):  # the backend went with the demo
        httpx.get(f"{url.group(1)}/v1/health", timeout=5)


def _simulate(tmp_path: Path, hash_seed: str) -> subprocess.CompletedProcess[str]:
    env = {**_no_screen_env(tmp_path), "PYTHONHASHSEED": hash_seed}
    return subprocess.run([*LASTMILE, "simulate", "--days", "1", "--orders-per-day", "20",
                           "--seed", "5"], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=600)


def test_simulate_prints_one_json_line_and_replays_a_seed_in_another_process(
        tmp_path: Path) -> None:
    # Another interpreter, another string hash seed: nothing may depend on set or dict luck.
    runs = [_simulate(tmp_path, hash_seed) for hash_seed in ("1", "2")]
    summaries = []
    for done in runs:
        assert done.returncode == 0, done.stderr[-3000:]
        lines = done.stdout.splitlines()
        assert len(lines) == 1, done.stdout[:2000]
        summaries.append(json.loads(lines[0]))
        assert "INFO" in done.stderr  # the story goes to stderr, never into the JSON line
    summary = summaries[0]
    assert summary["simulated_days"] == 1 and summary["orders_per_day"] == 20
    assert sum(summary["arrivals"].values()) == 20
    assert sum(summary["orders_by_state"].values()) == summary["orders"] > 0
    assert summary["wall_seconds"] > 0 and summary["orders_per_second"] > 0
    for line in summaries:
        for wall in ("wall_seconds", "day_seconds", "orders_per_second", "seconds_by_event"):
            line.pop(wall)
    assert summaries[0] == summaries[1]


def test_simulate_refuses_a_bad_policy_file_plainly(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"stages": "soon"}', encoding="utf-8")
    done = subprocess.run([*LASTMILE, "simulate", "--orders-per-day", "5", "--policy",
                           str(policy)], capture_output=True, text=True, cwd=REPO,
                          env=_no_screen_env(tmp_path), timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "policy" in done.stderr and "Traceback" not in done.stderr
