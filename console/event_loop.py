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

    def _set_running(self, running: bool) -> None:
        # qasync keeps the flag in a name-mangled attribute of its _QEventLoop base.
        self._QEventLoop__is_running = running
