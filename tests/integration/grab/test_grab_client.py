"""The console's client against the real grab API: the pool monitor's call, a technician's claim."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient
from grab_support import engine_of, offer, token_headers

from console.client import LastmileClient
from console.errors import ApiError


def _client(app: object, headers: dict[str, str]) -> LastmileClient:
    client = LastmileClient("http://grab.test",
                            transport=httpx.ASGITransport(app=app))  # type: ignore[arg-type]
    client.token = headers["Authorization"].removeprefix("Bearer ")
    return client


def test_the_console_reads_the_pool_and_a_technician_claims(grab_client: TestClient) -> None:
    engine = engine_of(grab_client)
    offer(engine, 1, price=1000)
    app = grab_client.app

    async def run() -> None:
        async with _client(app, token_headers(engine, "tech1")) as tech, \
                _client(app, token_headers(engine, "supervisor")) as desk:
            (listed,) = await tech.grab_offers()
            claimed = await tech.claim_offer(listed.order_id, listed.version)
            assert claimed.order.state == "accepted"
            with pytest.raises(ApiError) as refused:
                await tech.claim_offer(listed.order_id)
            assert refused.value.status == 409
            summary = await desk.grab_pool()
            assert (summary.claimed, summary.below_floor, summary.claim_attempts) == (1, 1, 2)
            assert summary.rows[0].claimed_by_name == "Wang Jian"
            assert (await desk.grab_pool(status="open")).rows == []

    asyncio.run(run())
