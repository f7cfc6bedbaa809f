"""Orders: the queue's list, one order, its actions, new orders, and the region list."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts import ActionRequest, OrderCreate, OrderDetail, OrderPage, OrderRow, RegionOut

_REGIONS = TypeAdapter(list[RegionOut])
_Wire = dict[str, object]
# Actions the action route refuses, sent where the backend takes them: (path, body).
_OWN_ROUTES: dict[str, Callable[[ActionRequest], tuple[str, _Wire]]] = {
    "complete": lambda r: ("complete", {"version": r.version, "note": r.reason}),
    "cannot_complete": lambda r: ("cannot-complete", {
        "version": r.version, "reason_code": r.code, "note": r.reason}),
    "verify": lambda r: ("verification-review", {
        "version": r.version, "approve": True, "reason": r.reason}),
}


class OrderCalls(ApiCalls):
    """The order queue and one order's detail and actions (every desk uses them)."""

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
        if request.action == "check_in":
            # Recorded for the technician from the desk: no device, so no position; the
            # backend asks for the reason and flags the check-in as skipped.
            await self._json("POST", f"/v1/orders/{order_id}/check-in", json={
                "version": request.version, "position": None, "reason": request.reason})
            return await self.order(order_id)
        if request.action == "appoint":
            await self._book(order_id, request)
            return await self.order(order_id)
        if request.action in _OWN_ROUTES:
            # Completed for the technician (the backend checks the evidence), reported as not
            # possible with its code, or approved in the verification review: each its route.
            path, wire = _OWN_ROUTES[request.action](request)
            await self._json("POST", f"/v1/orders/{order_id}/{path}", json=wire)
            return await self.order(order_id)
        body = request.model_dump(mode="json", exclude_none=True)
        if "grab_price_fen" in request.model_fields_set:
            body["grab_price_fen"] = request.grab_price_fen  # null clears the price
        data = await self._json("POST", f"/v1/orders/{order_id}/actions", json=body)
        return OrderDetail.model_validate(data)

    async def _book(self, order_id: int, request: ActionRequest) -> None:
        """A booking goes to its own route, which keeps the slot and issues the completion
        code. From the desk it is the customer's on the phone: a reschedule says so (a 202,
        past the client's limit, waits for a supervisor and leaves the order as it was)."""
        wire = request.model_dump(mode="json", include={"version", "start", "end", "reason"})
        if (await self.order(order_id)).state == "appointed":
            wire["reason_code"] = "customer_request"
        await self._json("POST", f"/v1/orders/{order_id}/appointment", json=wire)

    async def regions(self, level: str | None = None, parent: str | None = None) -> list[RegionOut]:
        params = {"level": level, "parent": parent}
        return _REGIONS.validate_python(await self._json("GET", "/v1/regions", params=params))
