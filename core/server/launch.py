"""Run the backend for the CLI: migrate, seed the demo world when asked, serve, simulate."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from core.server.app import FeedAwareServer, create_app
from core.server.dispatcher import run_dispatcher
from core.server.poller import ERP_INBOX_ENV, POLL_SECONDS, run_poller
from core.storage.db import data_dir, make_engine, migrate
from core.storage.db import database_url as default_database_url

log = logging.getLogger(__name__)
# The demo polls its ERP inbox often, so dropped exports show up while one watches.
DEMO_POLL_SECONDS = 5


def prepare(database_url: str | None, demo: bool) -> tuple[str, FastAPI]:
    """Migrate (and seed a demo database when it is empty); return the URL and the app."""
    url = database_url or default_database_url()
    engine = make_engine(url)
    migrate(engine)
    if demo:
        from core.demo.dataset import build
        from core.storage.seed import add_missing_intake, seed_demo

        dataset = build()
        if seed_demo(engine, dataset):
            log.info("seeded the demo database")
        elif add_missing_intake(engine, dataset):
            log.info("added the conversion centre's demo setup to an older demo database")
    return url, create_app(engine)


def demo_inbox() -> Path:
    """The ERP inbox folder the demo's simulator drops exports into (and the poller reads)."""
    if not os.environ.get(ERP_INBOX_ENV):
        os.environ[ERP_INBOX_ENV] = str(data_dir() / "erp-inbox")
    os.environ.setdefault("LASTMILE_POLL_SECONDS", str(DEMO_POLL_SECONDS))
    inbox = Path(os.environ[ERP_INBOX_ENV])
    inbox.mkdir(parents=True, exist_ok=True)
    return inbox


async def _serve(server: FeedAwareServer, app: FastAPI, base_url: str, simulate: bool) -> None:
    serving = asyncio.create_task(server.serve())
    stop = asyncio.Event()
    inbox = demo_inbox() if simulate else None
    # The poller takes pull-style sources (ERP folders, HTTP endpoints) in beside the server.
    helpers = [asyncio.create_task(run_poller(
        app.state.engine, stop, on_commit=app.state.feed.poke, now=app.state.clock.now,
        interval=float(os.environ.get("LASTMILE_POLL_SECONDS", POLL_SECONDS))))]
    # Central dispatch, grab expiry and acceptance timeouts (LASTMILE_DISPATCH_SECONDS).
    helpers.append(asyncio.create_task(run_dispatcher(
        app.state.engine, stop, feed=app.state.feed, on_commit=app.state.feed.poke,
        clock=app.state.clock.now)))
    if simulate:
        from core.demo.simulator import run_simulator

        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        helpers.append(asyncio.create_task(run_simulator(base_url, stop, erp_inbox=inbox)))
    await asyncio.wait({serving}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    for task in helpers:
        task.cancel()
    await asyncio.gather(*helpers, return_exceptions=True)
    await serving


def run_backend(
    *, host: str, port: int, database_url: str | None, demo: bool, simulate: bool
) -> int:
    """Serve until interrupted; the simulator acts through the same HTTP API as any client."""
    url, app = prepare(database_url, demo)
    log.info("database: %s", url.split("@")[-1])  # never log a password in the URL
    # Every request at INFO would drown the simulator's story in the log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    config = uvicorn.Config(app, host=host, port=port, timeout_graceful_shutdown=5,
                            log_level=os.environ.get("LASTMILE_LOG_LEVEL", "info"),
                            access_log=False)
    server = FeedAwareServer(config, app.state.feed)
    asyncio.run(_serve(server, app, f"http://{host}:{port}", simulate))
    return 0
