"""LastmileClient.logout against httpx.MockTransport: the token is sent once, then forgotten."""

from __future__ import annotations

import httpx
import pytest

from console.client import LastmileClient
from console.errors import ApiError


def _client(status: int, seen: list[httpx.Request]) -> LastmileClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, headers={"content-type": "application/problem+json"},
                              json={"status": status} if status >= 400 else None)

    client = LastmileClient("http://lastmile.test", transport=httpx.MockTransport(handler))
    client.token = "tok-1"
    return client


async def test_logout_posts_the_token_and_forgets_it() -> None:
    seen: list[httpx.Request] = []
    client = _client(204, seen)

    await client.logout()
    await client.logout()  # nothing left to revoke: no second request

    assert [(r.method, r.url.path) for r in seen] == [("POST", "/v1/auth/logout")]
    assert seen[0].headers["authorization"] == "Bearer tok-1"
    assert client.token is None


async def test_a_token_already_dead_on_the_server_is_signed_out_too() -> None:
    client = _client(401, [])

    await client.logout()

    assert client.token is None


async def test_a_server_error_is_reported() -> None:
    client = _client(400, [])

    with pytest.raises(ApiError):
        await client.logout()
    assert client.token is None
