"""Review approval and intake updates lock an order's row before its origin's (no deadlock).

Row locks exist on PostgreSQL only (SQLite takes one write lock per transaction), so these run
there: each records the statements of the request's thread and checks which row it locked
first.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from intake_support import COVERED_ADDRESS, Login, Post, SetPolicy, own_order
from sqlalchemy import Engine, event

pytestmark = [pytest.mark.postgres,
              pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]
ORDER_LOCK = re.compile(r"^UPDATE orders |FROM orders\b.*FOR UPDATE", re.S)
ORIGIN_LOCK = re.compile(r"FROM order_origins\b.*FOR UPDATE", re.S)
MOVED = COVERED_ADDRESS.replace("88号", "99号")


@pytest.fixture
def locks(world: Engine) -> Iterator[dict[int, list[str]]]:
    """Per thread, "order" / "origin" in the order its statements locked them."""
    taken: dict[int, list[str]] = {}

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        kinds = [kind for kind, pattern in (("order", ORDER_LOCK), ("origin", ORIGIN_LOCK))
                 if pattern.search(statement)]
        if kinds:
            taken.setdefault(threading.get_ident(), []).extend(kinds)

    event.listen(world, "before_cursor_execute", record)
    yield taken
    event.remove(world, "before_cursor_execute", record)


def _first_locks(taken: dict[int, list[str]]) -> list[str]:
    """The thread that locked an origin: which kind of row it locked first."""
    (kinds,) = [kinds for kinds in taken.values() if "origin" in kinds]
    return list(dict.fromkeys(kinds))


def _held(post_own: Post, set_policy: SetPolicy) -> int:
    set_policy(audit_mode="manual")
    (outcome,) = post_own(own_order("SHOP1")).json()["outcomes"]
    assert outcome["outcome"] == "review"
    order_id: int = outcome["order_ids"][0]
    return order_id


def test_a_review_approval_locks_the_order_before_its_origin(
    post_own: Post, set_policy: SetPolicy, api: TestClient, auth: Login,
    locks: dict[int, list[str]]
) -> None:
    order_id = _held(post_own, set_policy)
    locks.clear()

    response = api.post(f"/v1/intake/reviews/{order_id}", json={"approve": True, "version": 1},
                        headers=auth("agent"))

    assert response.status_code == 200, response.text
    assert _first_locks(locks) == ["order", "origin"]


def test_an_intake_update_locks_the_order_before_its_origin(
    post_own: Post, set_policy: SetPolicy, locks: dict[int, list[str]]
) -> None:
    _held(post_own, set_policy)
    locks.clear()

    response = post_own(own_order("SHOP1", intent="update", address=MOVED))

    assert response.status_code == 200, response.text
    assert response.json()["outcomes"][0]["outcome"] == "updated"
    assert _first_locks(locks) == ["order", "origin"]
