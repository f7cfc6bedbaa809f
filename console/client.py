"""The console's HTTP client for the Lastmile backend: typed calls, Problem JSON as ApiError."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from console.client_dispatch import DispatchCalls
from console.client_grab import GrabCalls
from console.client_intake import IntakeCalls
from console.client_policies import PolicyCalls
from console.client_routes import RouteCalls
from console.client_technicians import TechnicianCalls
from console.errors import (
    UNAVAILABLE_STATUSES,
    ApiError,
    Offline,
    ProtocolError,
    offline_from,
    offline_from_status,
)
from core.contracts import (
    ActionRequest,
    ChangeEvent,
    ChangePage,
    LoginRequest,
    OrderCreate,
    OrderDetail,
    OrderPage,
    OrderRow,
    RegionOut,
    TechnicianOut,
    TokenOut,
    UserOut,
)
from core.contracts.dispatch import CandidateOut

M = TypeVar("M", bound=BaseModel)
_CANDIDATES = TypeAdapter(list[CandidateOut])
_TECHNICIANS = TypeAdapter(list[TechnicianOut])
_REGIONS = TypeAdapter(list[RegionOut])
_ROWS = TypeAdapter(list[OrderRow])


@dataclass
class SseMessage:
    """One server-sent event as the wire framed it."""

    event: str = "message"
    data: str = ""
    id: str | None = None


@dataclass
class SseParser:
    """Turns text/event-stream lines into messages (WHATWG rules, minus retry)."""

    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _id: str | None = None

    def feed(self, line: str) -> SseMessage | None:
        """Take one line (without its end-of-line); return a message when a blank line ends one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):  # a comment, e.g. the server's ": ping" keep-alive
            return None
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> SseMessage | None:
        # Per the spec a block without data lines is no event (it may only set the id).
        message = None
        if self._data:
            message = SseMessage(self._event or "message", "\n".join(self._data), self._id)
        self._event, self._data = "", []
        return message


class LastmileClient(IntakeCalls, PolicyCalls, GrabCalls, DispatchCalls, RouteCalls,
                     TechnicianCalls):
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

    async def orders(
        self,
        *,
        state: str | Iterable[str] | None = None,
        county: str | None = None,
        city: str | None = None,
        service_type: str | None = None,
        platform: str | None = None,
        q: str | None = None,
        open_only: bool = True,
        sort: str = "created_at",
        direction: str = "desc",
        limit: int = 500,
        cursor: str | None = None,
    ) -> OrderPage:
        if state is not None and not isinstance(state, str):
            state = ",".join(state)
        params = {
            "state": state,
            "county": county,
            "city": city,
            "service_type": service_type,
            "platform": platform,
            "q": q,
            # open=false would mean "closed only"; not restricting to open means leaving it out.
            "open": "true" if open_only else None,
            "sort": sort,
            "direction": direction,
            "limit": limit,
            "cursor": cursor,
        }
        return OrderPage.model_validate(await self._json("GET", "/v1/orders", params=params))

    async def all_open_orders(self) -> tuple[list[OrderRow], int]:
        """Every open order, page by page; with the feed position of the first page."""
        rows: list[OrderRow] = []
        page = await self.orders(limit=1000)
        feed_seq = page.feed_seq
        rows.extend(page.rows)
        while page.next_cursor:
            page = await self.orders(limit=1000, cursor=page.next_cursor)
            rows.extend(page.rows)
        # Rows of later pages may be newer than feed_seq; applying the feed after it is
        # still right because the store keeps the higher version.
        return rows, feed_seq

    async def create_order(self, order: OrderCreate) -> OrderDetail:
        body = order.model_dump(mode="json", exclude_none=True)
        return OrderDetail.model_validate(await self._json("POST", "/v1/orders", json=body))

    async def order(self, order_id: int) -> OrderDetail:
        return OrderDetail.model_validate(await self._json("GET", f"/v1/orders/{order_id}"))

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail:
        body = request.model_dump(mode="json", exclude_none=True)
        if "grab_price_fen" in request.model_fields_set:
            body["grab_price_fen"] = request.grab_price_fen  # null clears the price
        data = await self._json("POST", f"/v1/orders/{order_id}/actions", json=body)
        return OrderDetail.model_validate(data)

    async def candidates(self, order_id: int) -> list[CandidateOut]:
        """Every active technician for the order, ranked; rule breaks flagged, not hidden."""
        data = await self._json("GET", f"/v1/orders/{order_id}/candidates")
        return _CANDIDATES.validate_python(data)

    async def technicians(self) -> list[TechnicianOut]:
        return _TECHNICIANS.validate_python(await self._json("GET", "/v1/technicians"))

    async def my_orders(self) -> list[OrderRow]:
        """A technician's own open orders."""
        return _ROWS.validate_python(await self._json("GET", "/v1/technicians/me/orders"))

    async def regions(self, level: str | None = None, parent: str | None = None) -> list[RegionOut]:
        params = {"level": level, "parent": parent}
        return _REGIONS.validate_python(await self._json("GET", "/v1/regions", params=params))

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
