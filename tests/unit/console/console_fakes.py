"""A small in-memory Lastmile backend behind httpx.MockTransport, for client and sync tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

from core.contracts import ChangeEvent, ChangePage, OrderPage, OrderRow
from core.orders.lifecycle import TERMINAL, OrderState

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def make_row(order_id: int, version: int = 1, state: OrderState = OrderState.NEW) -> OrderRow:
    return OrderRow(
        id=order_id,
        order_no=f"LM{order_id:06d}",
        platform="own",
        customer_name=f"Customer {order_id}",
        county_adcode="110105",
        county_name="朝阳区",
        city="北京",
        service_type=None,
        state=state,
        technician_id=None,
        technician_name="",
        lng=116.4,
        lat=39.9,
        version=version,
        created_at=T0,
        state_changed_at=T0,
    )


def make_event(seq: int, row: OrderRow) -> ChangeEvent:
    return ChangeEvent(
        seq=seq,
        kind="state_changed",
        from_state=None,
        to_state=row.state,
        actor="agent",
        actor_role="agent",
        reason="",
        at=T0,
        version=row.version,
        data={},
        order_id=row.id,
        order=row,
    )


def sse(event: ChangeEvent) -> bytes:
    return f"id: {event.seq}\nevent: change\ndata: {event.model_dump_json()}\n\n".encode()


class FakeBackend:
    """Orders, a change feed and live streams; can go down and come back, or lose its database."""

    def __init__(self, orders: int = 0) -> None:
        self.rows: dict[int, OrderRow] = {}
        self.events: list[ChangeEvent] = []
        self.up = True
        self.requests: list[str] = []
        # Statuses to answer the next requests with, as a sick server would.
        self.failures: list[int] = []
        self._streams: list[asyncio.Queue[ChangeEvent | None]] = []
        for i in range(1, orders + 1):
            self.write(i, OrderState.NEW)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    @property
    def seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    @property
    def live_streams(self) -> int:
        return len(self._streams)

    def write(self, order_id: int, state: OrderState) -> ChangeEvent:
        """Change an order (creating it if new) and publish the event."""
        old = self.rows.get(order_id)
        row = make_row(order_id, (old.version + 1) if old else 1, state)
        self.rows[order_id] = row
        event = make_event(self.seq + 1, row)
        self.events.append(event)
        for queue in self._streams:
            queue.put_nowait(event)
        return event

    def go_down(self) -> None:
        """The server dies: new requests are refused and open streams break."""
        self.up = False
        for queue in self._streams:
            queue.put_nowait(None)

    def come_back(self) -> None:
        self.up = True

    def lose_database(self, orders: int) -> None:
        """A fresh database: the feed starts again from 1."""
        self.rows, self.events = {}, []
        for i in range(100, 100 + orders):
            self.write(i, OrderState.NEW)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.url.path)
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        if self.failures:
            status = self.failures.pop(0)
            return _json({"title": "Internal error", "status": status, "detail": "boom"}, status)
        params = request.url.params
        path = request.url.path
        if path == "/v1/health":
            return _json({"status": "ok", "database": "ok", "feed_seq": self.seq})
        if path == "/v1/orders":
            return self._orders(int(params.get("limit", "500")), params.get("cursor"))
        if path == "/v1/changes":
            after, limit = int(params["after"]), int(params.get("limit", "500"))
            page = [e for e in self.events if e.seq > after][:limit]
            return _json(ChangePage(events=page, last_seq=self.seq).model_dump(mode="json"))
        if path == "/v1/changes/stream":
            return self._stream(int(params["after"]))
        return _json({"title": "Not found", "status": 404, "detail": path}, 404)

    def _orders(self, limit: int, cursor: str | None) -> httpx.Response:
        open_rows = sorted(
            (r for r in self.rows.values() if r.state not in TERMINAL), key=lambda r: r.id
        )
        start = int(cursor or 0)
        rows = open_rows[start : start + limit]
        more = start + limit < len(open_rows)
        page = OrderPage(rows=rows, next_cursor=str(start + limit) if more else None,
                         feed_seq=self.seq)
        return _json(page.model_dump(mode="json"))

    def _stream(self, after: int) -> httpx.Response:
        queue: asyncio.Queue[ChangeEvent | None] = asyncio.Queue()
        for event in self.events:
            if event.seq > after:
                queue.put_nowait(event)
        self._streams.append(queue)

        async def body() -> AsyncIterator[bytes]:
            try:
                yield b": ping\n\n"
                while True:
                    event = await queue.get()
                    if event is None:
                        raise httpx.ReadError("connection reset by peer")
                    yield sse(event)
            finally:
                self._streams.remove(queue)

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


def _json(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(),
                          headers={"content-type": "application/json"})
