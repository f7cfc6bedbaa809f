"""The console's HTTP client for the Lastmile backend: typed calls, Problem JSON as ApiError.

LastmileClient holds the connection, sign-in and the change feed; each feature's calls are a
mixin in a module of its own (console/client/<feature>.py) on the one ApiCalls base.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from console.client.dispatch import DispatchCalls
from console.client.fieldwork import RiskCalls
from console.client.followups import FollowupCalls
from console.client.grab import GrabCalls
from console.client.intake import IntakeCalls
from console.client.orders import OrderCalls
from console.client.policies import PolicyCalls
from console.client.review import ReviewCalls
from console.client.routes import RouteCalls
from console.client.sla_board import SlaBoardCalls
from console.client.sla_limits import SlaLimitCalls
from console.client.sla_urges import SlaUrgeCalls
from console.client.sse import SseMessage, SseParser
from console.client.technicians import TechnicianCalls
from console.errors import (
    UNAVAILABLE_STATUSES,
    ApiError,
    Offline,
    ProtocolError,
    offline_from,
    offline_from_status,
)
from core.contracts import ChangeEvent, ChangePage, LoginRequest, TokenOut, UserOut


class LastmileClient(OrderCalls, IntakeCalls, PolicyCalls, GrabCalls, DispatchCalls, RouteCalls,
                     TechnicianCalls, RiskCalls, ReviewCalls, FollowupCalls, SlaLimitCalls,
                     SlaBoardCalls, SlaUrgeCalls):
    """Async client of the backend's /v1 API; one per signed-in console."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        stream_idle_timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token: str | None = None
        # The server pings the stream every 10 s; silence much longer means a dead connection.
        self._stream_timeout = httpx.Timeout(timeout, read=max(stream_idle_timeout, timeout))
        self._http = httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=timeout
        )

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> LastmileClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- calls ---------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> TokenOut:
        body = LoginRequest(username=username, password=password).model_dump()
        token = TokenOut.model_validate(await self._json("POST", "/v1/auth/login", json=body))
        self._token = token.access_token
        return token

    async def logout(self) -> None:
        """Sign out: the server revokes the token; this client forgets it either way."""
        headers, self._token = self._auth(), None
        if not headers:
            return
        try:
            response = await self._http.post("/v1/auth/logout", headers=headers)
        except httpx.TransportError as exc:
            raise offline_from(exc, self.base_url) from exc
        # 401: the token had already expired or been revoked, which is what was asked.
        if response.is_error and response.status_code != 401:
            raise self._error(response)

    async def me(self) -> UserOut:
        return UserOut.model_validate(await self._json("GET", "/v1/me"))

    async def health(self) -> dict[str, Any]:
        data = await self._json("GET", "/v1/health")
        if not isinstance(data, dict):
            raise ProtocolError(f"health answered {type(data).__name__}, not an object")
        return data

    async def changes(self, after: int, limit: int = 500) -> ChangePage:
        params = {"after": after, "limit": limit}
        return ChangePage.model_validate(await self._json("GET", "/v1/changes", params=params))

    async def stream(
        self, after: int, *, on_open: Callable[[], None] | None = None
    ) -> AsyncIterator[ChangeEvent]:
        """Follow the change feed live from `after`; raises Offline when the connection ends.

        `on_open` runs once the server has accepted the stream (before any event arrives), so
        a caller can tell "connected and idle" from "still connecting".
        """
        parser = SseParser()
        try:
            async with self._http.stream(
                "GET",
                "/v1/changes/stream",
                params={"after": after},
                headers={**self._auth(), "Accept": "text/event-stream"},
                timeout=self._stream_timeout,
            ) as response:
                if response.is_error:
                    await response.aread()
                    raise self._error(response)
                if on_open is not None:
                    on_open()
                async for line in response.aiter_lines():
                    message = parser.feed(line)
                    if message is not None and message.event == "change":
                        yield _change_event(message)
        except httpx.TransportError as exc:
            raise offline_from(exc, self.base_url) from exc
        # A feed never ends on its own: the server went away (restart, proxy timeout).
        raise offline_from(httpx.RemoteProtocolError("stream ended"), self.base_url)

    # -- plumbing ------------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def _json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        clean = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        headers = self._auth()
        if content_type:
            headers["Content-Type"] = content_type
        try:
            response = await self._http.request(
                method, path, params=clean or None, json=json, content=content, headers=headers
            )
        except httpx.TransportError as exc:
            raise offline_from(exc, self.base_url) from exc
        if response.is_error:
            raise self._error(response)
        try:
            return response.json()
        except ValueError as exc:
            raise ProtocolError(f"{method} {path}: the answer is not JSON") from exc

    async def _bytes(self, path: str) -> bytes:
        """A GET answered with bytes (a photo's thumbnail), refusals as `_json`'s."""
        try:
            response = await self._http.get(path, headers=self._auth())
        except httpx.TransportError as exc:
            raise offline_from(exc, self.base_url) from exc
        if response.is_error:
            raise self._error(response)
        return response.content

    @staticmethod
    def _error(response: httpx.Response) -> ApiError | Offline:
        if response.status_code in UNAVAILABLE_STATUSES:
            return offline_from_status(response)
        return ApiError.from_response(response)


def _change_event(message: SseMessage) -> ChangeEvent:
    try:
        return ChangeEvent.model_validate_json(message.data)
    except ValidationError as exc:
        raise ProtocolError(f"unreadable change event {message.id}: {exc}") from exc
