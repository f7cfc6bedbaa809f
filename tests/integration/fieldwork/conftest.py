"""Field execution's HTTP tests share one way to sign in at the test's own clock, the SMS
provider, and visits made through the phone's and the desk's routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from fieldwork_support import Visit, accepted
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.services.fieldwork.sms import SimulatedSms
from core.storage.people.accounts import issue_token, user_by_name

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def sms() -> SimulatedSms:
    """The SMS provider the test's app sends through (it keeps what it sent)."""
    return SimulatedSms()


@pytest.fixture
def login(world: Engine, clock: SimulatedClock) -> Headers:
    """Headers with a token issued at the clock's time (the module's `clock`; after a jump
    past a token's life, ask again)."""
    def headers(username: str) -> dict[str, str]:
        with Session(world) as session:
            user = user_by_name(session, username)
            assert user is not None, username
            issued = issue_token(session, user, clock.now())
            session.commit()
        return {"Authorization": f"Bearer {issued.token}"}
    return headers


@pytest.fixture
def visits(client: TestClient, login: Headers, clock: SimulatedClock, sms: SimulatedSms,
           world: Engine) -> Callable[[int], Visit]:
    """A visit on a seeded order of the tiny world, accepted by tech1 three hours before the
    clock's time, through the module's `client` (fieldwork_support.Visit)."""
    def make(order_id: int) -> Visit:
        accepted(world, order_id, clock.now() - timedelta(hours=3))
        return Visit(client, login, clock, sms, order_id)
    return make
