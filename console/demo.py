"""`lastmile demo`: backend, demo data and simulator in a child process, then the console."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import platformdirs

from console.demo_people import DEMO_PASSWORD, DEMO_USERS
from console.screen import has_screen
from console.system_check import CANNOT_START_EXIT, console_can_start

READY_TIMEOUT_S = 120.0
PORT_IN_USE_EXIT = 4
_PR_SET_PDEATHSIG = 1


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


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on host:port (bound as uvicorn binds, SO_REUSEADDR)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def port_in_use_message(host: str, port: int) -> str:
    return (f"Port {port} on {host} is already in use, so this demo's backend cannot start there: "
            "another program listens on it (perhaps an earlier `lastmile demo` or `lastmile "
            f"serve`; `ss -ltnp 'sport = :{port}'` shows which). Stop it, or choose another "
            "port with --port N (--port 0 takes a free one).")


def _child_dies_with(parent: int) -> None:
    """In the backend child (Linux): receive SIGTERM when the demo dies, even by SIGKILL or a
    Qt abort, so no orphaned backend and simulator keep the port."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the demo died before prctl took effect
        os._exit(1)


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
    parent = os.getpid()
    guard = (lambda: _child_dies_with(parent)) if sys.platform.startswith("linux") else None
    with open(log_path, "ab") as log:  # the child keeps its own copy of the handle
        # Its own session: a Ctrl+C in the terminal reaches the demo only, which then stops
        # the backend once, by SIGTERM (a second signal would skip uvicorn's clean shutdown).
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=guard)


def wait_until_ready(url: str, backend: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if backend.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            if "address already in use" in tail.lower():
                host, _, port = url.removeprefix("http://").rpartition(":")
                raise SystemExit(port_in_use_message(host, int(port)))
            raise SystemExit(f"The backend stopped while starting (exit {backend.returncode}):"
                             f"\n{tail}")
        try:
            # Ours answers only while ours runs: another server on the port is not ours.
            if (httpx.get(f"{url}/v1/health", timeout=1.0).status_code == 200
                    and backend.poll() is None):
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
    speed: float = 1.0, tour_size: Sequence[tuple[int, int]] | None = None,
    tour_language: str = "zh_CN",
) -> int:
    # A terminated demo must take its backend with it: turn SIGTERM into a normal exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if tour_dir is not None and not has_screen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the tour needs no screen
    opens_console = tour_dir is not None or has_screen()
    # Before anything starts: a console that cannot open must not leave a backend behind.
    if opens_console and not console_can_start():
        return CANNOT_START_EXIT
    if port == 0:
        port = free_port(host)
    elif port_in_use(host, port):
        print(port_in_use_message(host, port))
        return PORT_IN_USE_EXIT
    url = f"http://{host}:{port}"
    log_path = data_dir() / "backend.log"
    backend = start_backend(host, port, database_url, simulate, log_path, speed)
    try:
        wait_until_ready(url, backend, log_path)
        print_welcome(url, log_path)
        if tour_dir is not None:
            from console.app import main as console_main

            return console_main(url, tour_dir=tour_dir, tour_size=tour_size,
                                tour_language=tour_language)
        if not opens_console:
            print("No screen is available here, so the console window cannot open; the backend "
                  + ("and simulator keep" if simulate else "keeps")
                  + " running — connect from elsewhere with "
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
            print("Stopping the backend" + (" and the simulator." if simulate else "."))
            sys.stdout.flush()
            backend.terminate()
            try:
                backend.wait(timeout=10)
            except subprocess.TimeoutExpired:
                backend.kill()
