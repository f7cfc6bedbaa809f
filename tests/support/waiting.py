"""The one way a test waits for something another task, thread or process does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def eventually(condition: Callable[[], object], timeout: float = 5.0, *,
                     interval: float = 0.01) -> None:
    """Await until `condition()` holds, letting the running loop work meanwhile (on a qasync
    loop Qt's signals and timers fire too, which qtbot.waitUntil cannot give a coroutine);
    fail the test when it has not held within `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
