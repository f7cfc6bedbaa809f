"""Two backend processes on one PostgreSQL database: a change made through one reaches the
other's stream, and a stream ends cleanly when its server shuts down."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from core.demo.seed import seed_demo
from core.storage.db import make_engine, migrate

REPO = Path(__file__).resolve().parents[3]
START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "console.cli", "serve", "--host",
                                 "127.0.0.1", "--port", str(port), "--database-url", url],
                                cwd=REPO,
                                stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited:\n{log.read_text()}"
        try:
            if httpx.get(f"{base}/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a child process's start-up; there is no signal to wait on
    raise AssertionError(f"server did not start:\n{log.read_text()}")


def _changes(lines: Iterator[str]) -> Iterator[dict[str, object]]:
    data = None
    for line in lines:
        if line.startswith("data: "):
            data = json.loads(line[len("data: "):])
        elif line == "" and data is not None:
            yield data
            data = None


@pytest.mark.postgres
def test_a_change_through_one_process_reaches_a_stream_on_another(
    pg_url: str, tmp_path: Path, make_dataset: Callable[..., object]
) -> None:
    engine = make_engine(pg_url)
    migrate(engine)
    seed_demo(engine, make_dataset())  # type: ignore[arg-type]
    engine.dispose()
    (a, base_a), (b, base_b) = (_start(pg_url, tmp_path / "a.log"),
                                _start(pg_url, tmp_path / "b.log"))
    try:
        _wait_healthy(a, base_a, tmp_path / "a.log")
        _wait_healthy(b, base_b, tmp_path / "b.log")
        login = httpx.post(f"{base_a}/v1/auth/login",
                           json={"username": "agent", "password": "demo"}).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        feed_seq = httpx.get(f"{base_b}/v1/health").json()["feed_seq"]

        with httpx.stream("GET", f"{base_b}/v1/changes/stream", params={"after": feed_seq},
                          headers=headers, timeout=httpx.Timeout(15.0)) as stream:
            assert stream.status_code == 200
            done = httpx.post(f"{base_a}/v1/orders/1/actions", headers=headers,
                              json={"action": "audit", "version": 1})
            assert done.status_code == 200
            changes = _changes(stream.iter_lines())

            first = next(changes)  # a read timeout fails the test instead of hanging

            assert (first["kind"], first["order_id"]) == ("audit", 1)
            assert first["order"]["state"] == "audited"  # type: ignore[index]
            b.send_signal(signal.SIGTERM)
            assert list(changes) == []  # the stream ends when its server shuts down
        # uvicorn re-raises the signal after a graceful shutdown, hence -SIGTERM.
        assert b.wait(timeout=15) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in (tmp_path / "b.log").read_text()
    finally:
        for proc in (a, b):
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
