"""The one route for user-facing messages: short sentences on screen, details in the log."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.errors import ApiError, ConsoleError, Offline

translate = QCoreApplication.translate

log = logging.getLogger("lastmile.console")

INFO, WARNING, ERROR = "info", "warning", "error"


def describe(exc: BaseException) -> str:
    """An error in a sentence a dispatcher can act on; never a traceback."""
    if isinstance(exc, Offline):
        return translate("Messages", "Offline: {0}").format(
            exc.reason or translate("Messages", "the server cannot be reached")
        )
    if isinstance(exc, ApiError):
        if exc.status == 401:
            return translate("Messages", "Your sign-in has expired. Please sign in again.")
        if exc.status == 403:
            return translate("Messages", "Your role may not do this.")
        if exc.status == 404:
            return translate("Messages", "This order no longer exists.")
        if exc.status == 409 and (exc.current_version is not None or not exc.detail):
            return translate("Messages", "Someone else changed this order in the meantime.")
        return str(exc)  # the server's reason, in the person's language (ApiError picks it)
    if isinstance(exc, ConsoleError):
        return str(exc)
    return translate("Messages", "Something went wrong; the details are in the log.")


class MessageRoute(QObject):
    """Signals: message(level, text) — the window shows it (status bar, or a box for errors)."""

    message = Signal(str, str)

    def info(self, text: str) -> None:
        log.info("%s", text)
        self.message.emit(INFO, text)

    def warning(self, text: str) -> None:
        log.warning("%s", text)
        self.message.emit(WARNING, text)

    def error(self, text: str) -> None:
        log.error("%s", text)
        self.message.emit(ERROR, text)

    def report(self, exc: BaseException, doing: str = "") -> str:
        """Log an exception with its traceback and show it as one short sentence."""
        text = describe(exc)
        if doing:
            text = f"{doing}: {text}"
        if isinstance(exc, ConsoleError):
            log.warning("%s", text, exc_info=exc)
            level = WARNING if isinstance(exc, Offline) else ERROR
        else:
            log.error("%s", text, exc_info=exc)
            level = ERROR
        self.message.emit(level, text)
        return text


def is_cancellation(exc: BaseException) -> bool:
    return isinstance(exc, asyncio.CancelledError)
