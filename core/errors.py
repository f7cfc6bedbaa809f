"""The one base of every refusal a rule, a handler or storage raises on purpose.

Each error carries the HTTP status the server answers with and a message, Chinese first with
the English after it; `core.server.problems` maps the whole tree in one place, so a router
never catches a domain error to translate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class LastmileError(Exception):
    """A refusal with its status; `loc` names the request field at fault when there is one,
    `current_version` the version a stale write should retry from, `headers` what the answer
    must carry besides (a 401's WWW-Authenticate, a 429's Retry-After), and `detail` (when set)
    is the answer's one-line detail where "field: message" would not read well."""

    status: ClassVar[int] = 422
    detail: str | None = None

    def __init__(self, message: str, *, loc: tuple[str | int, ...] | None = None,
                 current_version: int | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.current_version = current_version
        self.headers = dict(headers) if headers else None


class NotFound(LastmileError):
    status = 404


class Refused(LastmileError):
    """Not allowed for this caller (a role, an ownership, an eligibility rule)."""

    status = 403


class Conflict(LastmileError):
    """The thing changed meanwhile, or the request clashes with its current state."""

    status = 409


class Gone(LastmileError):
    status = 410


class Invalid(LastmileError):
    """The request's content does not fit the rule."""

    status = 422
