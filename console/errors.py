"""Errors the console's network side raises: the server said no, or the server is unreachable."""

from __future__ import annotations

import json
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication

from console.language import Language, current, pick

# Gateway and availability answers mean "the backend is not there right now", not "your request
# was wrong": the sync engine retries them and the status bar says offline.
UNAVAILABLE_STATUSES = frozenset({502, 503, 504})


class ConsoleError(Exception):
    """Base of every error the console's client, store and sync engine raise."""


class ApiError(ConsoleError):
    """The server answered with an error (a Problem JSON body, RFC 9457 shape)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        current_version: int | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.status = status
        # The server writes "中文 (English)": every screen shows the person's language only
        # (console.language); `sent` keeps the text as it came, for the log.
        self.sent = detail
        self.title = pick(title)
        self.detail = pick(detail)
        self.current_version = current_version
        self.errors = [_picked(error) for error in errors or []]
        super().__init__(self._sentence())

    @property
    def fields(self) -> list[str]:
        """The request fields a 422 names, e.g. ["items", "0", "quantity"] -> "items.0.quantity"."""
        names = []
        for error in self.errors:
            loc = error.get("loc") or error.get("field")
            if isinstance(loc, list | tuple):
                # FastAPI prefixes the location with where the value came from.
                parts = [str(p) for p in loc if p not in ("body", "query", "path")]
                names.append(".".join(parts))
            elif loc:
                names.append(str(loc))
        return names

    def _sentence(self) -> str:
        title = self.title.strip().rstrip(".") or QCoreApplication.translate(
            "ApiError", "The server refused the request"
        )
        text = title
        if self.detail and self.detail.strip() != self.title.strip():
            detail = self.detail.strip().rstrip(".")
            # The title is the HTTP status's English phrase: a Chinese sentence goes without it.
            text = detail if current() is Language.ZH else f"{title}: {detail}"
        if self.fields and not any(f in text for f in self.fields):
            text += " ({})".format(", ".join(self.fields))
        return text + "."

    def __str__(self) -> str:
        return self._sentence()

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """Build the error from a response body, whatever the server (or a proxy) sent."""
        body: Any = None
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, httpx.ResponseNotRead):
            body = None
        if isinstance(body, dict) and ("title" in body or "detail" in body):
            version = body.get("current_version")
            errors = body.get("errors")
            return cls(
                int(body.get("status") or response.status_code),
                str(body.get("title") or response.reason_phrase),
                str(body.get("detail") or ""),
                current_version=version if isinstance(version, int) else None,
                errors=errors if isinstance(errors, list) else None,
            )
        return cls(response.status_code, response.reason_phrase, _excerpt(response))


def _picked(error: dict[str, Any]) -> dict[str, Any]:
    message = error.get("msg")
    return {**error, "msg": pick(message)} if isinstance(message, str) else error


class Offline(ConsoleError):
    """The backend is unreachable: connection refused, timed out, dropped, or answered 503."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class ProtocolError(ConsoleError):
    """The server sent something the console cannot read (a broken change-feed event)."""


def offline_from(exc: httpx.TransportError, base_url: str) -> Offline:
    """Name what went wrong with the connection in words a dispatcher understands."""
    if isinstance(exc, httpx.ConnectError):
        text = QCoreApplication.translate("Offline", "Cannot reach the server at {0}")
        return Offline(text.format(base_url))
    if isinstance(exc, httpx.TimeoutException):
        return Offline(QCoreApplication.translate("Offline", "The server did not answer in time"))
    return Offline(QCoreApplication.translate("Offline", "The connection to the server was lost"))


def offline_from_status(response: httpx.Response) -> Offline:
    """A 502/503/504: say so, with the server's own detail when it gave one."""
    problem = ApiError.from_response(response)
    text = QCoreApplication.translate("Offline", "The server is unavailable")
    if problem.detail:
        text = f"{text}: {problem.detail.rstrip('.')}"
    return Offline(text, status=response.status_code)


def _excerpt(response: httpx.Response) -> str:
    try:
        text = response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return ""
    text = " ".join(text.split())
    return text[:200]
