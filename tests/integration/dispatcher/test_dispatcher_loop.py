"""The background dispatcher: rounds on a timer and on feed news, survives failing rounds."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest
from sqlalchemy import Engine
from support.waiting import eventually
from test_dispatcher_support import (
    classify,
    order,
    order_ids,
)

from core.clock import WALL_CLOCK, Clock
from core.orders.lifecycle import OrderState
from core.server.dispatch import dispatcher
from core.server.dispatch.dispatcher import DISPATCH_ENV, interval_from_env, run_dispatcher
from core.server.tailer import FeedTailer
from core.services.dispatch import RoundReport


def now() -> datetime:
    return WALL_CLOCK.now()


@pytest.mark.parametrize(("raw", "seconds"), [("", 3.0), ("0.5", 0.5), ("0", 0.0),
                                              ("soon", 3.0)])
def test_interval_comes_from_the_environment(monkeypatch, raw, seconds):
    monkeypatch.setenv(DISPATCH_ENV, raw)
    assert interval_from_env() == seconds


async def test_news_on_the_feed_brings_a_round_long_before_the_timer(
        world: Engine, monkeypatch: pytest.MonkeyPatch):
    rounds: list[RoundReport] = []
    real = dispatcher.run_round

    def counted(engine: Engine, clock: Clock, on_commit=None) -> RoundReport:
        rounds.append(real(engine, clock, on_commit))
        return rounds[-1]

    monkeypatch.setattr(dispatcher, "run_round", counted)
    feed = FeedTailer(world, poll_seconds=0.05)
    await feed.start()
    stop = asyncio.Event()
    task = asyncio.create_task(run_dispatcher(world, stop, feed=feed, interval=600,
                                              on_commit=feed.poke, clock=WALL_CLOCK))
    try:
        await eventually(lambda: rounds, 10)  # the first round ran and found nothing to do
        assert rounds[0].orders == 0
        first = order_ids(world)[0]
        await asyncio.to_thread(classify, world, first, now())
        await eventually(lambda: order(world, first).state is OrderState.ASSIGNED, 10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await feed.stop()


async def test_a_failing_round_is_logged_and_the_loop_goes_on(
        world: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    calls: list[int] = []
    real = dispatcher.run_round

    def flaky(engine: Engine, clock: Clock, on_commit=None) -> RoundReport:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(engine, clock, on_commit)

    monkeypatch.setattr(dispatcher, "run_round", flaky)
    first = order_ids(world)[0]
    classify(world, first, now())
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="core.server.dispatch.dispatcher"):
        task = asyncio.create_task(run_dispatcher(world, stop, interval=0.05, clock=WALL_CLOCK))
        try:
            await eventually(lambda: order(world, first).state is OrderState.ASSIGNED, 10)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert "dispatch round failed (1 in a row)" in caplog.text
    assert "dispatch round: 1 orders; opened 1, assigned 1" in caplog.text


async def test_an_interval_of_zero_turns_the_dispatcher_off(world: Engine):
    stop = asyncio.Event()
    await asyncio.wait_for(run_dispatcher(world, stop, interval=0), 1)
    assert order(world, order_ids(world)[0]).state is OrderState.NEW
