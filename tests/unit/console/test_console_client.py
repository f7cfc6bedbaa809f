"""LastmileClient against httpx.MockTransport: requests, Problem mapping, Offline, SSE."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console_fakes import make_event, make_row, sse

from console.client import LastmileClient, SseParser
from console.errors import ApiError, Offline, ProtocolError
from core.contracts import ActionRequest, ChangeEvent, OrderDetail, OrderPage
from core.orders.lifecycle import OrderState

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler) -> LastmileClient:
    return LastmileClient("http://lastmile.test", transport=httpx.MockTransport(handler))


def problem(status: int, **body: object) -> httpx.Response:
    headers = {"content-type": "application/problem+json"}
    return httpx.Response(status, json={"status": status, **body}, headers=headers)


def page(rows: list[int], next_cursor: str | None, feed_seq: int) -> httpx.Response:
    body = OrderPage(rows=[make_row(i) for i in rows], next_cursor=next_cursor, feed_seq=feed_seq)
    return httpx.Response(200, json=body.model_dump(mode="json"))


async def test_login_keeps_the_token_and_sends_it_afterwards() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        if request.url.path == "/v1/auth/login":
            return httpx.Response(200, json={
                "access_token": "tok-1",
                "expires_at": datetime(2026, 11, 26, tzinfo=UTC).isoformat(),
                "user": {"username": "agent", "display_name": "Agent", "role": "agent"},
            })
        return httpx.Response(200, json={"status": "ok", "database": "ok", "feed_seq": 3})

    client = client_for(handler)

    token = await client.login("agent", "demo")
    health = await client.health()

    assert token.user.username == "agent"
    assert client.token == "tok-1"
    assert seen == [None, "Bearer tok-1"]
    assert health["feed_seq"] == 3


async def test_stale_version_becomes_api_error_with_current_version() -> None:
    client = client_for(lambda r: problem(
        409, title="Stale version", detail="order 5 changed meanwhile", current_version=4
    ))

    with pytest.raises(ApiError) as caught:
        await client.act(5, ActionRequest(action="audit", version=3))

    err = caught.value
    assert (err.status, err.title, err.current_version) == (409, "Stale version", 4)
    assert err.detail == "order 5 changed meanwhile"
    assert str(err) == "Stale version: order 5 changed meanwhile."


async def test_validation_problem_names_the_field() -> None:
    client = client_for(lambda r: problem(
        422, title="Invalid request", detail="",
        errors=[{"loc": ["body", "reason"], "msg": "Field required"}],
    ))

    with pytest.raises(ApiError) as caught:
        await client.act(5, ActionRequest(action="cancel", version=3))

    assert caught.value.fields == ["reason"]
    assert str(caught.value) == "Invalid request (reason)."


async def test_error_without_problem_body_still_reads_as_a_sentence() -> None:
    client = client_for(lambda r: httpx.Response(500, text="<html>boom</html>"))

    with pytest.raises(ApiError) as caught:
        await client.order(1)

    assert caught.value.status == 500
    assert str(caught.value) == "Internal Server Error: <html>boom</html>."


async def test_database_unavailable_is_offline() -> None:
    client = client_for(lambda r: problem(503, title="Unavailable", detail="database is down"))

    with pytest.raises(Offline) as caught:
        await client.health()

    assert caught.value.status == 503
    assert "database is down" in caught.value.reason


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.ReadError("reset")]
)
async def test_transport_errors_are_offline(error: httpx.TransportError) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    client = client_for(handler)

    with pytest.raises(Offline):
        await client.technicians()


async def test_open_orders_are_the_default() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return page([1], None, 7)

    client = client_for(handler)

    await client.orders()

    assert seen[0].params["open"] == "true"


async def test_order_filters_go_into_the_query() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return page([1], None, 7)

    client = client_for(handler)

    await client.orders(state=["new", "audited"], county="110105", open_only=False, limit=50)

    params = seen[0].params
    assert params["state"] == "new,audited"
    assert params["county"] == "110105"
    assert params["limit"] == "50"
    assert "open" not in params  # all orders, not only closed ones
    assert "q" not in params and "cursor" not in params


async def test_all_open_orders_follows_the_cursor_and_keeps_the_first_feed_seq() -> None:
    pages = {None: page([1, 2], "c2", 10), "c2": page([3], "c3", 12), "c3": page([4], None, 13)}
    client = client_for(lambda r: pages[r.url.params.get("cursor")])

    rows, feed_seq = await client.all_open_orders()

    assert [r.id for r in rows] == [1, 2, 3, 4]
    assert feed_seq == 10


async def test_action_sends_only_the_fields_given() -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return problem(404, title="Not found", detail="no order 9")

    client = client_for(handler)

    with pytest.raises(ApiError):
        await client.act(9, ActionRequest(action="assign", version=2, technician_id=4))

    assert bodies == [{"action": "assign", "version": 2, "reason": "", "technician_id": 4}]


async def test_a_check_in_from_the_desk_goes_to_the_check_in_route_without_a_position() -> None:
    sent: list[tuple[str, str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, request.url.path,
                     json.loads(request.content) if request.content else None))
        return problem(404, title="Not found", detail="no order 9")

    client = client_for(handler)

    with pytest.raises(ApiError):
        await client.act(9, ActionRequest(action="check_in", version=6, reason="电话确认已到"))

    assert sent == [("POST", "/v1/orders/9/check-in",
                     {"version": 6, "position": None, "reason": "电话确认已到"})]


def _detail(order_id: int, version: int, state: OrderState) -> dict[str, object]:
    row = make_row(order_id, version, state).model_dump(mode="json")
    return OrderDetail(**row, platform_order_id="P1", customer_phone="13800000001",
                       address="a road", province="北京市", skills=[], items=[], amount_fen=0,
                       appointment_start=None, appointment_end=None, parent_id=None,
                       frozen_from=None, allowed_actions=[], timeline=[]
                       ).model_dump(mode="json")


@pytest.mark.parametrize(("state", "reason_code"), [
    (OrderState.ACCEPTED, None), (OrderState.APPOINTED, "customer_request")])
async def test_an_appointment_from_the_desk_goes_to_the_appointment_route(
        state: OrderState, reason_code: str | None) -> None:
    sent: list[tuple[str, str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, request.url.path,
                     json.loads(request.content) if request.content else None))
        if request.method == "GET":
            return httpx.Response(200, json=_detail(9, 6, state))
        return httpx.Response(200, json={})

    client = client_for(handler)
    start = datetime(2026, 11, 26, 1, tzinfo=UTC)

    await client.act(9, ActionRequest(action="appoint", version=6, reason="客户要求",
                                      start=start, end=start + timedelta(hours=2)))

    body: dict[str, object] = {"version": 6, "start": "2026-11-26T01:00:00Z",
                               "end": "2026-11-26T03:00:00Z", "reason": "客户要求"}
    if reason_code is not None:  # a reschedule from the desk: the customer asked for it
        body["reason_code"] = reason_code
    assert [s for s in sent if s[0] == "POST"] == [
        ("POST", "/v1/orders/9/appointment", body)]
    assert not [s for s in sent if s[1].endswith("/actions")]


def stream_of(*chunks: bytes) -> Handler:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    return lambda r: httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=body()
    )


async def collect(client: LastmileClient, after: int = 0) -> tuple[list[ChangeEvent], Exception]:
    events: list[ChangeEvent] = []
    with pytest.raises(Exception) as caught:  # every stream ends in an error; callers check which
        async for event in client.stream(after):
            events.append(event)
    assert isinstance(caught.value, Exception)
    return events, caught.value


async def test_stream_skips_pings_and_reads_events_split_across_chunks() -> None:
    first, second = make_event(5, make_row(1, 2)), make_event(6, make_row(2, 1))
    wire = b": ping\n\n" + sse(first) + b": ping\n\n" + sse(second)
    client = client_for(stream_of(wire[:30], wire[30:100], wire[100:]))

    events, ended = await collect(client)

    assert [e.seq for e in events] == [5, 6]
    assert events[0].order.version == 2
    assert isinstance(ended, Offline)  # a feed that ends means the server went away


async def test_stream_joins_multi_line_data_and_accepts_crlf() -> None:
    event = make_event(8, make_row(3, 4))
    lines = json.dumps(event.model_dump(mode="json"), indent=1).splitlines()
    wire = "id: 8\r\nevent: change\r\n" + "".join(f"data: {ln}\r\n" for ln in lines) + "\r\n"
    client = client_for(stream_of(wire.encode()))

    events, _ = await collect(client)

    assert events == [event]


async def test_stream_ignores_other_event_types() -> None:
    event = make_event(2, make_row(1))
    client = client_for(stream_of(b"event: hello\ndata: {}\n\n" + sse(event)))

    events, _ = await collect(client)

    assert [e.seq for e in events] == [2]


async def test_dropped_stream_is_offline_after_the_events_before_it() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield sse(make_event(1, make_row(1)))
        raise httpx.ReadError("connection reset by peer")

    client = client_for(lambda r: httpx.Response(200, content=body()))

    events, ended = await collect(client)

    assert [e.seq for e in events] == [1]
    assert isinstance(ended, Offline)


async def test_stream_refused_is_api_error() -> None:
    client = client_for(lambda r: problem(401, title="Not signed in", detail="token expired"))

    _, ended = await collect(client)

    assert isinstance(ended, ApiError) and ended.status == 401


async def test_unreadable_event_is_a_protocol_error() -> None:
    client = client_for(stream_of(b"id: 1\nevent: change\ndata: {not json\n\n"))

    _, ended = await collect(client)

    assert isinstance(ended, ProtocolError)


async def test_stream_asks_for_events_after_the_cursor_with_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return stream_of(b": ping\n\n")(request)

    client = client_for(handler)
    client.token = "tok"

    await collect(client, after=41)

    assert seen[0].url.path == "/v1/changes/stream"
    assert seen[0].url.params["after"] == "41"
    assert seen[0].headers["authorization"] == "Bearer tok"


def test_sse_parser_follows_the_field_rules() -> None:
    parser = SseParser()
    lines = ["event: change", "id: 7", "data:a", "data:  b", "retry: 5", ": comment", "", "", "x"]

    messages = [m for m in map(parser.feed, lines) if m is not None]

    assert len(messages) == 1
    assert (messages[0].event, messages[0].id, messages[0].data) == ("change", "7", "a\n b")


@pytest.mark.parametrize(("request_", "path", "body"), [
    (ActionRequest(action="complete", version=6, reason="师傅电话报完工"), "complete",
     {"version": 6, "note": "师傅电话报完工"}),
    (ActionRequest(action="cannot_complete", version=6, code="customer_absent",
                   reason="客户不在家"), "cannot-complete",
     {"version": 6, "reason_code": "customer_absent", "note": "客户不在家"}),
    (ActionRequest(action="verify", version=6, reason="证据已核对"), "verification-review",
     {"version": 6, "approve": True, "reason": "证据已核对"}),
])
async def test_completion_cannot_complete_and_verify_go_to_their_own_routes(
        request_: ActionRequest, path: str, body: dict[str, object]) -> None:
    sent: list[tuple[str, str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, request.url.path,
                     json.loads(request.content) if request.content else None))
        return problem(404, title="Not found", detail="no order 9")

    client = client_for(handler)

    with pytest.raises(ApiError):
        await client.act(9, request_)

    assert sent == [("POST", f"/v1/orders/9/{path}", body)]  # never /actions
