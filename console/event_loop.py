"""The console's asyncio loop: qasync, but without QApplication.exec() per run.

qasync runs every `run_forever` as `QApplication.exec()`, and each return from exec() emits
`aboutToQuit`, on which QtWebEngine tears itself down. A loop that runs more than once
(`asyncio.run` runs it three times; every async test runs it again) then crashes with SIGSEGV in
the next `QCoreApplication.exit()`. Running a nested QEventLoop instead processes the same events
and never announces that the application quits.
"""

from __future__ import annotations

import asyncio
from typing import Any

import qasync
import shiboken6
from PySide6.QtCore import QEventLoop as QtEventLoop


class ConsoleEventLoop(qasync.QEventLoop):
    """A qasync event loop that can start and stop any number of times."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._qt_loop: QtEventLoop | None = None

    def run_forever(self) -> int:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        self._set_running(True)
        self._before_run_forever()
        self._qt_loop = QtEventLoop()
        try:
            asyncio.events._set_running_loop(self)
            result: int = self._qt_loop.exec()
            return result
        finally:
            asyncio.events._set_running_loop(None)
            self._after_run_forever()
            self._set_running(False)
            self._qt_loop = None

    def stop(self) -> None:
        if not self.is_running():
            return
        self._set_running(False)
        if self._qt_loop is not None:
            self._qt_loop.exit()

    def close(self) -> None:
        super().close()
        # qasync leaves the closed loop's pending call_later timers registered; firing later on
        # an object being torn down, they crashed the next processEvents. Kill them now.
        timer = self._timer
        callbacks = timer._SimpleTimer__callbacks
        for timer_id in list(callbacks):
            timer.killTimer(timer_id)
        callbacks.clear()
        # The loop and its timer object form a reference cycle; left to the garbage collector,
        # the QObject may be destroyed on whatever thread runs the collection (Qt then cannot
        # unregister it, and a later event crashes). Destroy it here, on the loop's thread.
        shiboken6.delete(timer)

    def _set_running(self, running: bool) -> None:
        # qasync keeps the flag in a name-mangled attribute of its _QEventLoop base.
        self._QEventLoop__is_running = running
