"""Running coroutines from Qt slots without blocking the GUI thread (on the qasync loop)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog

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
