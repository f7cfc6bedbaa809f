"""`lastmile demo`: backend, demo data and simulator in a child process, then the console."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import platformdirs

from console.demo_people import DEMO_PASSWORD, DEMO_USERS
from console.screen import has_screen

READY_TIMEOUT_S = 120.0


def data_dir() -> Path:
    """Where the console and the demo keep their files (LASTMILE_DATA_DIR overrides)."""
    path = Path(os.environ.get("LASTMILE_DATA_DIR") or platformdirs.user_data_dir("lastmile"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def start_backend(
    host: str, port: int, database_url: str | None, simulate: bool, log_path: Path,
    speed: float = 1.0,
) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "console.cli", "serve", "--demo", "--host", host,
           "--port", str(port)]
    if database_url:
        cmd += ["--database-url", database_url]
    if simulate:
        cmd.append("--simulate")
    if speed != 1:
        cmd += ["--speed", repr(speed)]
    with open(log_path, "ab") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(url: str, backend: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if backend.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SystemExit(f"The backend stopped while starting (exit {backend.returncode}):"
                             f"\n{tail}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"The backend did not answer at {url} within {READY_TIMEOUT_S:.0f} s; "
                     f"see {log_path}")


def print_welcome(url: str, log_path: Path) -> None:
    print(f"Lastmile backend with demo data is running at {url} (API docs: {url}/docs)")
    print(f"Backend log: {log_path}")
    print(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for user, role in DEMO_USERS:
        print(f"  {user:<11} {role}")
    sys.stdout.flush()


def run_demo(
    *, host: str, port: int, database_url: str | None, tour_dir: Path | None, simulate: bool,
    speed: float = 1.0,
) -> int:
    # A terminated demo must take its backend with it: turn SIGTERM into a normal exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if port == 0:
        port = free_port(host)
    url = f"http://{host}:{port}"
    log_path = data_dir() / "backend.log"
    backend = start_backend(host, port, database_url, simulate, log_path, speed)
    try:
        wait_until_ready(url, backend, log_path)
        print_welcome(url, log_path)
        if tour_dir is not None:
            # The tour needs no screen: it renders offscreen when there is none.
            if not has_screen():
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            from console.app import main as console_main

            return console_main(url, tour_dir=tour_dir)
        if not has_screen():
            print("No screen is available here, so the console window cannot open; the backend "
                  f"and simulator keep running — connect from elsewhere with "
                  f"`lastmile console --server {url}`"
                  + (" (other machines need `lastmile demo --host 0.0.0.0`)"
                     if host.startswith("127.") or host == "localhost" else "")
                  + "; Ctrl+C stops.")
            sys.stdout.flush()
            return backend.wait()
        from console.app import main as console_main

        return console_main(url)
    except KeyboardInterrupt:
        return 0
    finally:
        if backend.poll() is None:
            backend.terminate()
            try:
                backend.wait(timeout=10)
            except subprocess.TimeoutExpired:
                backend.kill()
