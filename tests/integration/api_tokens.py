"""Bearer tokens for demo users, issued straight into the database.

The login endpoint has its own tests; an argon2 check per test would dominate the run time.
Importable from every test below tests/integration (pytest puts this folder on sys.path for its
conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.storage.people.accounts import issue_token, user_by_name

Login = Callable[[str], dict[str, str]]


def token_login(engine: Engine) -> Login:
    """login("agent") -> headers with a bearer token for that user (issued once, then cached)."""
    tokens: dict[str, dict[str, str]] = {}

    def login(username: str) -> dict[str, str]:
        if username not in tokens:
            with Session(engine) as session:
                user = user_by_name(session, username)
                assert user is not None, username
                issued = issue_token(session, user, datetime.now(UTC))
                session.commit()
            tokens[username] = {"Authorization": f"Bearer {issued.token}"}
        return tokens[username]

    return login
