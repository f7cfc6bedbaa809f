"""How long one console's change takes to reach another console's store, over real HTTP.

Run: python -m bench.propagation [--actions 200] [--orders 300] [--database-url URL] [--quick]

The backend runs as in production (`core.server.app.serve`: uvicorn in a child process on a
free port; a temp SQLite demo database by default). Two consoles (LastmileClient + OrderStore +
SyncEngine each, like the e2e tests) sign in as agent and supervisor; console 1 freezes and
unfreezes demo orders one after another, sending the version it holds; each change is timed
from sending the action until console 2's store holds the new version. The floor is a
GET /v1/health round trip from console 1, interleaved with the actions in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

# Qt before pydantic: shiboken's import hook inspects modules as they load and, with pydantic
# half-imported, trips pydantic's lazy attributes (`python -c "import console.client"` fails).
import PySide6.QtCore  # noqa: F401

from bench.common import Timing, emit_json, print_table, ratio
from bench.databases import ensure_postgres_database, is_postgres_url, sqlite_url
from console.client import LastmileClient
from console.store import OrderStore, StoreChange
from console.sync import ConnectionState, SyncEngine
from core.contracts import ActionRequest
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.orders.lifecycle import OrderState
from core.storage.db import make_engine, migrate

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
CHANGE_TIMEOUT = 10.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.propagation", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--actions", type=int, default=200, help="changes made by console 1")
    parser.add_argument("--orders", type=int, default=300, help="demo orders to seed")
    parser.add_argument("--targets", type=int, default=10, help="orders the actions rotate over")
    parser.add_argument("--database-url", help="database for the backend (seeded when empty); "
                        "default: SQLite in a temp dir")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.actions, args.orders, args.targets = 6, 20, 3
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Backend:
    """`lastmile serve` on the filled database in a child process; its log goes to a file."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with log.open("ab") as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "console.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), "--database-url", database_url],
                cwd=ROOT, env=env, stdout=out, stderr=out,
            )

    async def ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as http:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    raise RuntimeError(f"backend exited: {self._log.read_text()[-2000:]}")
                try:
                    if (await http.get("/v1/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        raise RuntimeError(f"backend did not start: {self._log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)


class Console:
    """One console's network side: client, store and sync engine."""

    def __init__(self, url: str) -> None:
        self.client = LastmileClient(url)
        self.store = OrderStore()
        self.engine = SyncEngine(self.client, self.store, retry_initial=0.05, retry_max=0.5)
        self._task: asyncio.Task[None] | None = None

    async def sign_in(self, username: str) -> None:
        await self.client.login(username, "demo")
        self._task = asyncio.create_task(self.engine.run())
        deadline = time.monotonic() + START_TIMEOUT
        while self.engine.state is not ConnectionState.LIVE:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{username}'s console did not go live: {self.engine.reason}")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        self.engine.stop()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=10)
        await self.client.aclose()


class Arrival:
    """Notes when a store first holds an order at (at least) a given version."""

    def __init__(self, store: OrderStore) -> None:
        self._want: tuple[int, int] | None = None
        self._seen = asyncio.Event()
        self.at = 0.0
        store.subscribe(self._on_change)

    def expect(self, order_id: int, version: int) -> None:
        self._want, self.at = (order_id, version), 0.0
        self._seen.clear()

    async def wait(self) -> float:
        await asyncio.wait_for(self._seen.wait(), timeout=CHANGE_TIMEOUT)
        return self.at

    def _on_change(self, change: StoreChange) -> None:
        if self._want is None or self._seen.is_set():
            return
        order_id, version = self._want
        if any(r.id == order_id and r.version >= version for r in change.rows):
            self.at = time.perf_counter()
            self._seen.set()


async def measure(url: str, args: argparse.Namespace) -> dict[str, Any]:
    sender, receiver = Console(url), Console(url)
    await sender.sign_in("agent")
    await receiver.sign_in("supervisor")
    try:
        open_rows = sorted((r for r in sender.store.rows.values()
                            if r.state is not OrderState.FROZEN), key=lambda r: r.id)
        targets = {r.id: r.version for r in open_rows[: args.targets]}
        if not targets:
            raise RuntimeError("no open demo orders to act on")
        frozen = dict.fromkeys(targets, False)
        arrival = Arrival(receiver.store)
        await sender.client.health()  # warm the connection like the actions' one
        propagation: list[float] = []
        round_trips: list[float] = []
        health: list[float] = []
        ids = list(targets)
        for n in range(args.actions):
            t0 = time.perf_counter()
            await sender.client.health()
            health.append((time.perf_counter() - t0) * 1000)
            order_id = ids[n % len(ids)]
            action = "unfreeze" if frozen[order_id] else "freeze"
            arrival.expect(order_id, targets[order_id] + 1)
            t0 = time.perf_counter()
            detail = await sender.client.act(order_id, ActionRequest(
                action=action, version=targets[order_id], reason=f"bench {action} {n}"))
            acked = time.perf_counter()
            seen = await arrival.wait()
            round_trips.append((acked - t0) * 1000)
            propagation.append((seen - t0) * 1000)
            targets[order_id], frozen[order_id] = detail.version, not frozen[order_id]
    finally:
        await sender.close()
        await receiver.close()
    prop, rtt, floor = Timing(tuple(propagation)), Timing(tuple(round_trips)), Timing(tuple(health))
    return {
        "actions": len(propagation),
        "propagation": {"p50_ms": prop.p50, "p95_ms": prop.p95, "max_ms": max(prop.samples)},
        "action_round_trip": {"p50_ms": rtt.p50, "p95_ms": rtt.p95},
        "health_floor": {"p50_ms": floor.p50, "p95_ms": floor.p95},
        "ratio_p50": ratio(prop.p50, floor.p50),
        "ratio_p95": ratio(prop.p95, floor.p95),
    }


def seed(url: str, orders: int) -> bool:
    engine = make_engine(url)
    try:
        migrate(engine)
        return seed_demo(engine, build(seed=7, orders=orders))
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lastmile-bench-") as folder:
        url = args.database_url or sqlite_url(Path(folder))
        if is_postgres_url(url):
            ensure_postgres_database(url)
        seeded = seed(url, args.orders)
        print(f"{'seeded' if seeded else 'reusing'} the demo database; starting the backend")
        backend = Backend(url, Path(folder) / "backend.log")
        try:
            asyncio.run(backend.ready())
            print(f"backend up at {backend.url}; {args.actions} freeze/unfreeze actions")
            results = asyncio.run(measure(backend.url, args))
        finally:
            backend.stop()
    prop, rtt, floor = results["propagation"], results["action_round_trip"], results[
        "health_floor"]
    print(f"\nchange propagation, console 1 -> console 2 ({results['actions']} changes; ms)")
    print_table(["measure", "p50", "p95", "x floor p50", "x floor p95"], [
        ["send -> in store 2", prop["p50_ms"], prop["p95_ms"], results["ratio_p50"],
         results["ratio_p95"]],
        ["action round trip", rtt["p50_ms"], rtt["p95_ms"],
         ratio(rtt["p50_ms"], floor["p50_ms"]), ratio(rtt["p95_ms"], floor["p95_ms"])],
        ["floor: GET /v1/health", floor["p50_ms"], floor["p95_ms"], 1.0, 1.0],
    ])
    figures = {"bench": "propagation", "backend": "postgresql" if is_postgres_url(url)
               else "sqlite", "transport": "uvicorn subprocess, HTTP on 127.0.0.1", **results}
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
