"""Numbers beyond 64 bits, forged queue cursors and lists without a page size: each is a clear
422 (or a bounded page), never a 500, and nothing is stored."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.server.params import BIGINT_MAX, MAX_PAGE
from core.storage.tables import OrderEventRecord

Auth = Callable[[str], dict[str, str]]
TOO_BIG = str(10**19)
TWENTY_ONE_DIGITS = "9" * 21


def events(client: TestClient) -> int:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return session.scalar(select(func.count()).select_from(OrderEventRecord)) or 0


def forge(*parts: object) -> str:
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_every_integer_parameter_of_every_route_is_bounded_to_64_bits(
    client: TestClient,
) -> None:
    unbounded = []
    for path, methods in client.get("/openapi.json").json()["paths"].items():
        for method, op in methods.items():
            for p in op.get("parameters", []):
                schemas = p["schema"].get("anyOf", [p["schema"]])
                for s in schemas:
                    if s.get("type") == "integer" and s.get("maximum", BIGINT_MAX + 1) > BIGINT_MAX:
                        unbounded.append(f"{method.upper()} {path} {p['name']}")
    assert unbounded == []


@pytest.mark.parametrize("url", [
    f"/v1/changes?after={TOO_BIG}",
    f"/v1/orders/{TWENTY_ONE_DIGITS}",
    f"/v1/orders/{BIGINT_MAX + 1}/origin",
    f"/v1/technicians/{TWENTY_ONE_DIGITS}/log",
    f"/v1/intake/messages/{TWENTY_ONE_DIGITS}",
])
def test_numbers_beyond_64_bits_in_a_url_are_422_naming_the_parameter(
    client: TestClient, auth: Auth, url: str
) -> None:
    r = client.get(url, headers=auth("admin"))

    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["loc"][0] in ("path", "query")


def test_an_action_on_an_order_id_beyond_64_bits_is_422_and_stores_nothing(
    client: TestClient, auth: Auth
) -> None:
    before = events(client)

    r = client.post(f"/v1/orders/{TWENTY_ONE_DIGITS}/actions", headers=auth("agent"),
                    json={"action": "audit", "version": 1})
    ok = client.post("/v1/orders/1/actions", headers=auth("agent"),
                     json={"action": "audit", "version": 1})

    assert r.status_code == 422
    assert ok.status_code == 200 and events(client) == before + 1


@pytest.mark.parametrize("cursor", [
    forge("created_at", "desc", [{"t": "2026-03-02T08:00:00+00:00"}, 10**19]),
    forge("created_at", "desc", [{"t": "2026-03-02T08:00:00+00:00"}, [1, 2]]),
    forge("created_at", "desc", [{"t": "2026-03-02T08:00:00+00:00"}, "1"]),
    forge("created_at", "desc", [{"t": "2026-03-02T08:00:00"}, 1]),  # no zone
    forge("created_at", "desc", ["2026-03-02", 1]),
    forge("created_at", "desc", [{"t": 5}, 1]),
    forge("customer", "desc", [7, 1]),
    forge("customer", "desc", ["a\x00b", 1]),
    forge("created_at", "desc", [{"t": "2026-03-02T08:00:00+00:00"}, True]),
    forge("created_at", "asc", [{"t": "2026-03-02T08:00:00+00:00"}, 1]),  # another direction
    base64.urlsafe_b64encode(b"[" * 5000).decode(),
    "not base64 at all!",
])
def test_a_forged_queue_cursor_is_422(client: TestClient, auth: Auth, cursor: str) -> None:
    sort = "customer" if "customer" in base64.urlsafe_b64decode(cursor + "==").decode(
        errors="replace") else "created_at"
    r = client.get("/v1/orders", params={"cursor": cursor[:2000], "sort": sort},
                   headers=auth("agent"))

    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_a_cursor_the_server_handed_out_still_pages(client: TestClient, auth: Auth) -> None:
    first = client.get("/v1/orders", params={"limit": 2}, headers=auth("agent")).json()
    second = client.get("/v1/orders", params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=auth("agent"))

    assert second.status_code == 200
    assert len(second.json()["rows"]) == 1


LISTS = [
    "/v1/dispatch/needs-person", "/v1/intake/blacklist", "/v1/technicians",
    "/v1/orders/1/candidates", "/v1/dispatch/service-points", "/v1/intake/coverage-gaps",
]


def test_every_list_of_rows_that_grows_with_the_business_has_a_bounded_page_size(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for url in [*LISTS, "/v1/grab/offers"]:
        params = {p["name"]: p for p in paths[url.replace("/1/", "/{order_id}/")]["get"]
                  .get("parameters", [])}
        assert params["limit"]["schema"]["maximum"] <= MAX_PAGE, url


def test_a_page_size_limits_the_list_and_one_beyond_the_maximum_is_422(
    client: TestClient, auth: Auth
) -> None:
    one = client.get("/v1/technicians", params={"limit": 1}, headers=auth("admin"))
    every = client.get("/v1/technicians", headers=auth("admin"))
    too_many = client.get("/v1/technicians", params={"limit": MAX_PAGE + 1},
                          headers=auth("admin"))

    assert len(one.json()) == 1 and len(every.json()) == 3
    assert too_many.status_code == 422
