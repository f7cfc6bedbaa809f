"""Ctrl+C reaches the console while Qt runs its loop in C++, and leaves the handlers as found."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from console.app import stop_on_interrupt
from console.event_loop import ConsoleEventLoop


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_cancels_the_console_task(qapp: QApplication, sig: signal.Signals) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    loop = ConsoleEventLoop(qapp)
    closed: list[bool] = []

    async def console() -> int:
        # Sent from a Qt timer while the coroutine waits: only Qt's loop is running.
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), sig))
        try:
            await asyncio.Event().wait()
        finally:
            closed.append(True)  # the console's clean-up still runs
        return 0

    timed_out: list[bool] = []

    def give_up() -> None:
        timed_out.append(True)
        task.cancel()

    try:
        task = loop.create_task(console())
        # A console deaf to the signal would wait forever: fail instead.
        loop.call_later(10, give_up)
        with stop_on_interrupt(loop, task), pytest.raises(asyncio.CancelledError):
            loop.run_until_complete(task)
    finally:
        loop.close()
    assert timed_out == []
    assert closed == [True]
    assert {s: signal.getsignal(s) for s in before} == before
