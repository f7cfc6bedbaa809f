"""Request bodies are bounded before they are read: 413 from Content-Length, else while streaming.

A pure ASGI middleware, so it sees every request before FastAPI or a route reads the body, and
counts the bytes `receive` hands over: a chunked body without Content-Length is stopped at the
limit too, before anything is hashed, parsed or stored. Limits per route, in bytes:

    webhooks, file import, dead-letter retry   LASTMILE_MAX_INTAKE_BYTES   8 MiB (the decode cap)
    order creation, bulk assignment            LASTMILE_MAX_BULK_BYTES     1 MiB
    a completion photo's upload                LASTMILE_MAX_PHOTO_BYTES    8 MiB (the route's cap)
    every other endpoint (sign-in, actions...) LASTMILE_MAX_BODY_BYTES     64 KiB
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.contracts import Problem
from core.fieldwork.photos import MAX_PHOTO_BYTES
from core.intake.adapters import platforms
from core.intake.adapters._fields import MAX_PAYLOAD_BYTES
from core.server.problems import TITLES, respond

log = logging.getLogger(__name__)
KIB = 1024
MIB = 1024 * KIB
ENV = {"default": "LASTMILE_MAX_BODY_BYTES", "bulk": "LASTMILE_MAX_BULK_BYTES",
       "intake": "LASTMILE_MAX_INTAKE_BYTES", "photo": "LASTMILE_MAX_PHOTO_BYTES"}
# POST /v1/intake/{platform} and /v1/intake/{platform}/import; a dead letter's retry may carry
# the whole (fixed) envelope.
INTAKE_PATH = re.compile(r"/v1/intake/(?P<platform>[^/]+)(?:/import)?")
RETRY_PATH = re.compile(r"/v1/intake/messages/\d+/retry")
# Order creation takes up to 200 lines; bulk assignment up to 500 assignments.
BULK_PATHS = frozenset({"/v1/orders", "/v1/dispatch/assign"})
# POST /v1/orders/{id}/photos: one image as the raw body (the route itself never takes more
# than core.fieldwork.photos.MAX_PHOTO_BYTES).
PHOTO_PATH = re.compile(r"/v1/orders/\d+/photos")


@dataclass(frozen=True)
class BodyLimits:
    """The largest body, in bytes, each kind of route accepts."""

    default: int = 64 * KIB
    bulk: int = 1 * MIB
    intake: int = MAX_PAYLOAD_BYTES
    photo: int = MAX_PHOTO_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BodyLimits:
        """The defaults, each replaced by its environment variable when set (a positive int)."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for kind, name in ENV.items():
            raw = env.get(name, "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) < 1:
                raise ValueError(f"{name} must be a positive number of bytes, not {raw!r}")
            values[kind] = int(raw)
        return cls(**values)

    @cached_property
    def _platforms(self) -> frozenset[str]:
        return frozenset(platforms())

    def for_route(self, method: str, path: str) -> int:
        """The limit of one request; routes that take no large body get the default."""
        if method != "POST":
            return self.default
        found = INTAKE_PATH.fullmatch(path)
        if (found and found["platform"] in self._platforms) or RETRY_PATH.fullmatch(path):
            return self.intake
        if path in BULK_PATHS:
            return self.bulk
        if PHOTO_PATH.fullmatch(path):
            return self.photo
        return self.default


class BodyLimit:
    """Answers 413 to a request whose body is over its route's limit, before the app reads it."""

    def __init__(self, app: ASGIApp, limits: BodyLimits | None = None) -> None:
        self.app = app
        self.limits = limits or BodyLimits.from_env()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        limit = self.limits.for_route(method, path)
        lengths = [value for name, value in scope["headers"] if name.lower() == b"content-length"]
        if len(lengths) > 1 or (lengths and not lengths[0].strip().isdigit()):
            await _refuse(400, "Content-Length 无效 (a single decimal Content-Length is "
                               "required)")(scope, receive, send)
            return
        if lengths and int(lengths[0]) > limit:
            log.info("refused %s %s: Content-Length %s over %d", method, path,
                     lengths[0][:20].decode("latin-1"), limit)
            await _too_large(limit)(scope, receive, send)
            return

        received, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # The app sees the client gone and stops reading; the 413 is sent below.
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # whatever the app makes of the cut-off body, the answer is the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over:
            log.info("refused %s %s: body over %d bytes while streaming", method, path, limit)
            if not started:
                await _too_large(limit)(scope, receive, send)


def _refuse(status: int, detail: str) -> ASGIApp:
    # The unread rest of the body makes the connection unusable for another request.
    return respond(Problem(title=TITLES[status], status=status, detail=detail),
                   {"connection": "close"})


def _too_large(limit: int) -> ASGIApp:
    return _refuse(413, f"请求体过大 (the body is larger than {limit} bytes)")
