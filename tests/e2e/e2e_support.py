"""End-to-end helpers: a real backend process, a network switch, a bounded wait."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
from support.waiting import eventually

from console.client import LastmileClient
from console.store import OrderStore
from console.sync import ConnectionState, SyncEngine
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.storage.db import make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
DEMO_ORDERS = 12


def seeded_demo(folder: Path, *, history: bool = True) -> str:
    """The URL of a migrated SQLite file in `folder` seeded with a small demo world (without
    `history`, every order is new)."""
    url = f"sqlite:///{folder / 'lastmile.db'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        seed_demo(engine, build(seed=7, orders=DEMO_ORDERS, history=history))
    finally:
        engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Backend:
    """One backend process; can be killed (an outage) and started again on the same port."""

    def __init__(self, database_url: str, port: int, log: Path, *, options: Sequence[str] = (),
                 dispatcher: bool = False) -> None:
        self.database_url = database_url
        self.port = port
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.options = tuple(options)  # more `lastmile serve` options: --demo, --speed N ...
        self.dispatcher = dispatcher
        self._proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if not self.dispatcher:
            # Most of these tests walk orders through dispatch by hand; the central dispatcher
            # would race them (tests/e2e/test_dispatch_flow.py runs it on purpose).
            env.setdefault("LASTMILE_DISPATCH_SECONDS", "0")
        # The same command a person runs: `lastmile serve` on the already seeded database.
        cmd = [sys.executable, "-m", "console.cli", "serve", *self.options,
               "--host", "127.0.0.1", "--port", str(self.port),
               "--database-url", self.database_url]
        with self.log.open("ab") as log:
            self._proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        """Until the backend answers; one that never does is killed, not left running."""
        try:
            await self._health()
        except BaseException:
            self.kill()
            raise

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def kill(self) -> None:
        """Die the hard way, as a crashed or unplugged server does: no goodbye to clients."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self._proc = None

    async def _health(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as http:
            while loop.time() < deadline:
                assert self._proc is not None
                if self._proc.poll() is not None:
                    raise RuntimeError(f"backend exited: {self.log.read_text()[-2000:]}")
                try:
                    if (await http.get("/v1/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        raise RuntimeError(f"backend did not start: {self.log.read_text()[-2000:]}")


class Gate(httpx.AsyncBaseTransport):
    """A real transport with a switch: closed, it refuses connections like a pulled cable."""

    def __init__(self) -> None:
        self.open = True
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.open:
            raise httpx.ConnectError("network unreachable", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Console:
    """What one running console has on the network side: client, store, sync engine."""

    def __init__(self, url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.client = LastmileClient(url, transport=transport)
        self.store = OrderStore()
        self.states: list[ConnectionState] = []
        self.engine = SyncEngine(
            self.client,
            self.store,
            on_state=lambda state, _reason: self.states.append(state),
            retry_initial=0.05,
            retry_max=0.2,
        )
        self._task: asyncio.Task[None] | None = None

    async def sign_in(self, username: str) -> Console:
        await self.client.login(username, "demo")
        self._task = asyncio.create_task(self.engine.run())
        await eventually(lambda: self.engine.state is ConnectionState.LIVE, timeout=10)
        return self

    async def close(self) -> None:
        self.engine.stop()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=10)
        await self.client.aclose()
