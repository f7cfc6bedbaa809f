"""Running coroutines from Qt slots without blocking the GUI thread (on the qasync loop)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from console.errors import Offline
from console.presenters.messages import MessageRoute

T = TypeVar("T")
# Tasks are only weakly referenced by the loop; keep them until they finish.
_RUNNING: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], route: MessageRoute, doing: str = "") -> asyncio.Task[T]:
    """Start a coroutine; its exception (other than cancellation) goes to the message route."""
    task = asyncio.ensure_future(coro)
    _RUNNING.add(task)

    def finished(done: asyncio.Task[T]) -> None:
        _RUNNING.discard(done)
        if done.cancelled():
            return
        exc = done.exception()
        if exc is not None:
            route.report(exc, doing)

    task.add_done_callback(finished)
    return task


async def ask(dialog: QDialog, opened: Callable[[QDialog], None] | None = None) -> bool:
    """Open a dialog window-modally and wait, without a nested event loop, for its answer.

    `opened` is called once the dialog is open (tests and scripted tours answer through it).
    """
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not answer.done():
            answer.set_result(result == QDialog.DialogCode.Accepted.value)

    dialog.finished.connect(finished)
    dialog.open()
    if opened is not None:
        opened(dialog)
    try:
        return await answer
    finally:
        dialog.finished.disconnect(finished)


class DialogHost:
    """Opens its dialogs one at a time, as `current` while open; `on_open` sees each as it opens
    (tests and scripted tours answer through it). Mixed into the presenters that ask questions."""

    current: QDialog | None = None
    on_open: Callable[[QDialog], None] | None = None

    async def _open(self, dialog: QDialog) -> bool:
        self.current = dialog
        try:
            return await ask(dialog, self.on_open)
        finally:
            self.current = None
            dialog.deleteLater()


def loop_running() -> bool:
    """Whether an asyncio loop runs here (plain Qt, as in some tests, has none to await on)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Polling:
    """One fetch of a list at a time, for the presenters that keep a list current.

    `refresh(force=True)` while a fetch runs asks for one more after it. A failing fetch is
    reported once per run of failures (a box every few seconds would bury the agent; the
    connection light already says when the server is away, so Offline is only logged).

    With `every_ms` it also fetches on a timer (`start()`/`stop()`) while `visible()`: a list
    nobody looks at costs the server nothing. `hidden_every_ms` lets a hidden list still
    refresh that rarely (for counts shown in a tab title); it always fetches once at start.
    The timer is a child of `owner` (the view): it goes with the window and cannot tick into
    deleted widgets.

    With `min_interval_ms` fetches start at least that far apart: a refresh sooner is held
    (`held()`) until the interval has passed, however many come meanwhile. Without a `route`
    failures only go to the log (a background fetch nobody asked for), as a warning once per
    run of failures.
    """

    def __init__(self, fetch: Callable[[], Coroutine[Any, Any, None]],
                 route: MessageRoute | None, doing: str, log: logging.Logger,
                 handled: Callable[[Exception], bool] | None = None, *,
                 every_ms: int = 0, owner: QObject | None = None,
                 visible: Callable[[], bool] = lambda: True,
                 hidden_every_ms: int | None = None, min_interval_ms: int = 0) -> None:
        """`handled(exc)`: True when the presenter dealt with that failure itself."""
        self._fetch, self._route, self._doing, self._log = fetch, route, doing, log
        self.min_interval_ms = min_interval_ms
        self._held: QTimer | None = None  # made when first needed (most lists never wait)
        self._handled = handled
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.failing = False
        self._owner, self._visible, self._hidden_every_ms = owner, visible, hidden_every_ms
        self._since_fetch = QElapsedTimer()
        self.timer: QTimer | None = None
        if every_ms:
            self.timer = QTimer(owner)
            self.timer.setInterval(every_ms)
            self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Fetch on the timer from now on (and now, when on screen or never fetched yet)."""
        if self.timer is not None:
            self.timer.start()
        self.tick()

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.cancel()

    def tick(self) -> None:
        """Fetch if on screen, or hidden and not fetched for `hidden_every_ms`."""
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return
        if not self._visible():
            if self._hidden_every_ms is None:
                return
            if self._since_fetch.isValid() and (
                    self._since_fetch.elapsed() < self._hidden_every_ms):
                return
        self.refresh()

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def held(self) -> bool:
        """A fetch waits for `min_interval_ms` to pass since the last one started."""
        return self._held is not None and self._held.isActive()

    def refresh(self, force: bool = False) -> bool:
        """Start a fetch now (True), unless one runs (then `force` asks for one more after it)
        or one is held for the minimum interval."""
        if self.busy():
            self._again = self._again or force
            return False
        if self.held():
            return False
        wait = self._wait_ms()
        if wait > 0:
            self._hold(wait)
            return False
        return self._start_fetch()

    def cancel(self) -> None:
        """Drop the fetch under way, the one asked for after it and any held one."""
        self._again = False
        if self._held is not None:
            self._held.stop()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _wait_ms(self) -> int:
        if not self.min_interval_ms or not self._since_fetch.isValid():
            return 0
        return max(0, self.min_interval_ms - self._since_fetch.elapsed())

    def _hold(self, wait_ms: int) -> None:
        if self._held is None:
            self._held = QTimer(self._owner)
            self._held.setSingleShot(True)
            # When it fires the interval has passed (a coarse timer may be a little early).
            self._held.timeout.connect(self._start_fetch)
        self._held.start(wait_ms)

    def _start_fetch(self) -> bool:
        if not loop_running():
            return False
        self._task = asyncio.ensure_future(self._run())
        return True

    async def _run(self) -> None:
        self._since_fetch.start()
        try:
            await self._fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self._handled is not None and self._handled(exc):
                pass
            elif isinstance(exc, Offline) or self.failing:
                self._log.info("%s failed: %s", self._doing, exc)
            elif self._route is None:
                self._log.warning("%s failed: %s", self._doing, exc)
            else:
                self._route.report(exc, self._doing)
            self.failing = True
        else:
            self.failing = False
        finally:
            self._task = None
        if self._again:
            self._again = False
            self.refresh()


class PolledList:
    """What a presenter keeping a list current offers its desk and tests, all by its `polling`:
    start() and stop() the timer, tick(), refresh(force) and busy()."""

    polling: Polling

    def start(self) -> None:
        self.polling.start()

    def stop(self) -> None:
        self.polling.stop()

    def tick(self) -> None:
        self.polling.tick()

    def refresh(self, force: bool = False) -> None:
        """Fetch now, unless a fetch is under way (`force`: one more after it)."""
        self.polling.refresh(force)

    def busy(self) -> bool:
        return self.polling.busy()


class OneAction:
    """A presenter's user actions, one at a time: a second click while the first is sent does
    nothing. `view.set_busy` says so on screen; `after()` runs once each action ends."""

    def __init__(self, route: MessageRoute, view: QWidget,
                 after: Callable[[], None] | None = None) -> None:
        self._route, self._view, self._after = route, view, after
        self.acting = False

    def start(self, action: Coroutine[Any, Any, Any], doing: str, *, allowed: bool = True) -> None:
        if self.acting or not allowed:
            action.close()
            return
        spawn(self._run(action), self._route, doing)

    async def _run(self, action: Coroutine[Any, Any, Any]) -> Any:
        self.acting = True
        self._view.set_busy(True)  # type: ignore[attr-defined]
        try:
            return await action
        finally:
            self.acting = False
            if shiboken6.isValid(self._view):
                self._view.set_busy(False)  # type: ignore[attr-defined]
            if self._after is not None:
                self._after()
