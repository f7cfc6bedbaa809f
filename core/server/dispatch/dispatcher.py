"""The dispatcher: a background task that runs a dispatch round every few seconds and on news.

A round (core.services.dispatch.run_round) runs in a worker thread, so the server's
event loop never waits on the database. Rounds run every LASTMILE_DISPATCH_SECONDS (default
3; 0 turns the dispatcher off) and, when the change feed grows (an order arrived, a technician
refused), after a short pause that lets a burst of arrivals land in one batch. A failing round
is logged and retried with a growing pause; the dispatcher itself never dies of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from sqlalchemy import Engine

from core.clock import WALL_CLOCK, Clock
from core.server.tailer import FeedTailer
from core.services.dispatch import RoundReport, run_round

__all__ = ["DISPATCH_ENV", "RoundReport", "interval_from_env", "run_dispatcher", "run_round"]

log = logging.getLogger(__name__)
DISPATCH_ENV = "LASTMILE_DISPATCH_SECONDS"
DEFAULT_SECONDS = 3.0
SETTLE_SECONDS = 0.5  # after news, wait this long so a burst of arrivals is one batch
MAX_BACKOFF_SECONDS = 60.0


def interval_from_env() -> float:
    """Seconds between rounds from LASTMILE_DISPATCH_SECONDS; 0 (or less): no dispatcher."""
    raw = os.environ.get(DISPATCH_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_SECONDS
    except ValueError:
        log.warning("%s=%r is not a number of seconds; using %s", DISPATCH_ENV, raw,
                    DEFAULT_SECONDS)
        return DEFAULT_SECONDS


def _busy(report: RoundReport) -> bool:
    return bool(report.opened or report.assigned or report.withdrawn or report.escalated
                or report.offers_opened or report.offers_closed or report.stale
                or report.failed)


async def _pause(stop: asyncio.Event, news: asyncio.Event | None, seconds: float) -> None:
    """Until `seconds` pass, `stop` is set, or news came (then a short settle)."""
    waiters = {asyncio.create_task(stop.wait())}
    if news is not None:
        waiters.add(asyncio.create_task(news.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiters:
            task.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
    if news is not None and news.is_set() and not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SETTLE_SECONDS)


async def run_dispatcher(
    engine: Engine, stop: asyncio.Event, *, feed: FeedTailer | None = None,
    interval: float | None = None, on_commit: Callable[[], None] | None = None,
    clock: Clock = WALL_CLOCK,
) -> None:
    """Run rounds until `stop` is set; with a feed, also soon after the feed grows. Each round
    reads the time from `clock`: the app's (app.state.clock)."""
    seconds = interval_from_env() if interval is None else interval
    if seconds <= 0:
        log.info("dispatcher off (%s=%s)", DISPATCH_ENV, seconds)
        return
    log.info("dispatcher: a round every %.1f s and on new orders", seconds)
    failures = 0
    with contextlib.ExitStack() as stack:
        news = stack.enter_context(feed.subscribe()) if feed is not None else None
        while not stop.is_set():
            if news is not None:
                news.clear()  # cleared before the round: news during it triggers the next
            try:
                report = await asyncio.to_thread(run_round, engine, clock, on_commit)
            except Exception:  # the loop must outlive a bad round (the database may be away)
                failures += 1
                if failures == 1 or failures % 20 == 0:
                    log.exception("dispatch round failed (%d in a row)", failures)
            else:
                failures = 0
                log.log(logging.INFO if _busy(report) else logging.DEBUG, report.summary())
            pause = min(seconds * 2 ** failures, MAX_BACKOFF_SECONDS) if failures else seconds
            live = news if feed is not None and not feed.stopped and not failures else None
            await _pause(stop, live, pause)
