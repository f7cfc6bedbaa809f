"""Field execution's HTTP tests share one way to sign in at the test's own clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
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
