"""The console's loop can run again and again beside QtWebEngine without quitting the app."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.event_loop import ConsoleEventLoop
from ui.map_view import MapView


def test_loop_runs_repeatedly_without_announcing_quit(qtbot: QtBot, qapp: QApplication) -> None:
    view = MapView()
    qtbot.addWidget(view)
    quits: list[bool] = []
    qapp.aboutToQuit.connect(lambda: quits.append(True))

    async def tick(n: int) -> int:
        await asyncio.sleep(0.01)
        return n

    results = []
    for n in range(3):
        # asyncio.run stops its loop three times (main, async generators, executor).
        with asyncio.Runner(loop_factory=lambda: ConsoleEventLoop(qapp)) as runner:
            results.append(runner.run(tick(n)))

    assert results == [0, 1, 2]
    assert quits == []
