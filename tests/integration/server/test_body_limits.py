"""Bodies over their route's limit are refused (413) before they are read: by Content-Length,
and while streaming when there is none; nothing is hashed, parsed or stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from starlette.types import Message

from core.demo.dataset import DemoDataset
from core.demo.platforms import own as own_shop
from core.demo.seed import DEMO_INTAKE_SECRETS
from core.server.app import create_app
from core.server.limits import MIB, BodyLimits
from core.storage.tables import IntakeMessageRecord, OrderRecord, TokenRecord

INTAKE_LIMIT = 4096  # set small through the environment for these tests
PROBLEM = "application/problem+json"


@pytest.fixture
def world_dataset(make_dataset: Callable[..., DemoDataset]) -> DemoDataset:
    """The shared world (api_world.py) without orders: what is stored starts empty."""
    return make_dataset(orders=0)


@pytest.fixture(autouse=True)
def small_intake_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse, so it is set before the shared `api` builds the app (which reads it then)."""
    monkeypatch.setenv("LASTMILE_MAX_INTAKE_BYTES", str(INTAKE_LIMIT))


def stored(engine: Engine) -> tuple[int, int, int]:
    """(intake messages, orders, tokens) in the database."""
    def count(session: Session, table: type) -> int:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)

    with Session(engine) as session:
        return (count(session, IntakeMessageRecord), count(session, OrderRecord),
                count(session, TokenRecord))


def own_order(address: str = "北京市朝阳区建国路88号") -> bytes:
    record = {"platform": "demo-own", "platform_order_id": "SHOP000000000001",
              "customer_name": "张三", "customer_phone": "13812345678", "address": address,
              "items": [{"sku": "AC-KFR35", "name": "空调挂机", "quantity": 1,
                         "unit_price_fen": 289900}]}
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def signed_headers(body: bytes) -> dict[str, str]:
    return dict(own_shop.signed(body, DEMO_INTAKE_SECRETS["own"], datetime.now(UTC)).headers)


def chunks(body: bytes, size: int = 1024) -> Iterator[bytes]:
    """The body as a stream: httpx sends it chunked, without Content-Length."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def test_a_signed_webhook_within_the_limit_passes(api: TestClient, world: Engine) -> None:
    body = own_order()

    response = api.post("/v1/intake/own", content=body, headers=signed_headers(body))

    assert response.status_code == 200, response.text
    assert stored(world)[:2] == (1, 1)


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_signed_webhook_over_the_limit_is_413_and_nothing_is_kept(
    streamed: bool, api: TestClient, world: Engine
) -> None:
    body = own_order(address="北京市朝阳区建国路88号" + "很" * INTAKE_LIMIT)
    before = stored(world)

    response = api.post("/v1/intake/own", content=chunks(body) if streamed else body,
                        headers=signed_headers(body))

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert f"larger than {INTAKE_LIMIT} bytes" in response.json()["detail"]
    assert stored(world) == before


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_file_import_over_the_limit_is_413_and_nothing_is_kept(
    streamed: bool, api: TestClient, world: Engine, auth: Login
) -> None:
    body = b"\xef\xbb\xbf" + "订单号,手机\n".encode() + b"E1,13800000001\n" * INTAKE_LIMIT
    headers = {**auth("agent"), "content-type": "text/csv"}
    before = stored(world)

    response = api.post("/v1/intake/erp/import", content=chunks(body) if streamed else body,
                        headers=headers)

    assert response.status_code == 413
    assert stored(world) == before


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_sign_in_over_64_kib_is_413_before_any_password_check(
    streamed: bool, api: TestClient, world: Engine
) -> None:
    body = json.dumps({"username": "agent", "password": "demo" + "x" * 70_000}).encode()
    before = stored(world)

    response = api.post("/v1/auth/login", content=chunks(body) if streamed else body,
                        headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert "larger than 65536 bytes" in response.json()["detail"]
    assert stored(world) == before


def test_an_ordinary_json_endpoint_over_64_kib_is_413(api: TestClient, auth: Login) -> None:
    agent = auth("agent")
    body = json.dumps({"reason": "x" * 70_000}).encode()

    response = api.post("/v1/intake/blacklist", content=body,
                        headers={**agent, "content-type": "application/json"})

    assert response.status_code == 413


async def test_a_streamed_body_is_no_longer_read_once_it_is_over_the_limit(
    world: Engine
) -> None:
    # At the ASGI boundary, as a server streams a chunked body: the app stops pulling chunks.
    app = create_app(world, poll_seconds=0.05)
    chunk, pulled, sent = b"x" * 1024, [], []

    async def receive() -> Message:
        pulled.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": len(pulled) < 1000}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/v1/intake/own", "raw_path":
             b"/v1/intake/own", "query_string": b"", "root_path": "",
             "headers": [(b"content-type", b"application/json"),
                         (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}

    await app(scope, receive, send)

    assert sum(pulled) <= INTAKE_LIMIT + len(chunk)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert [m["type"] for m in sent].count("http.response.start") == 1


def test_limits_per_route_and_from_the_environment() -> None:
    limits = BodyLimits.from_env({"LASTMILE_MAX_BODY_BYTES": "1000",
                                  "LASTMILE_MAX_BULK_BYTES": "2000"})

    assert limits.for_route("POST", "/v1/auth/login") == 1000
    assert limits.for_route("POST", "/v1/orders") == 2000
    assert limits.for_route("POST", "/v1/dispatch/assign") == 2000
    for path in ("/v1/intake/tmall", "/v1/intake/erp/import", "/v1/intake/messages/7/retry"):
        assert limits.for_route("POST", path) == 8 * MIB
    # Fixed intake routes that share the webhook's shape are ordinary JSON endpoints.
    assert limits.for_route("POST", "/v1/intake/blacklist") == 1000
    assert limits.for_route("PUT", "/v1/intake/clients/demo-own") == 1000
    with pytest.raises(ValueError, match="LASTMILE_MAX_BODY_BYTES"):
        BodyLimits.from_env({"LASTMILE_MAX_BODY_BYTES": "lots"})
