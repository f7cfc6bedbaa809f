"""Helpers the Qt tests import by name (not from conftest: tests/integration has conftests too,
and whichever `conftest` module was imported first would win)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from console.presenters.messages import MessageRoute


class Messages(MessageRoute):
    """A message route that remembers what it showed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []
        self.message.connect(lambda level, text: self.shown.append((level, text)))


async def eventually(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Await until the condition holds, letting the qasync loop run (qtbot.waitUntil cannot)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
