"""Is the backend up and can it reach its database?"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from core.server.deps import DbSession
from core.server.problems import PROBLEM_RESPONSES
from core.storage.feed import max_seq

router = APIRouter(prefix="/v1", tags=["health"])


class HealthOut(BaseModel):
    status: str = "ok"
    database: str = "ok"
    feed_seq: int


@router.get("/health", response_model=HealthOut, responses=PROBLEM_RESPONSES)
def health(session: DbSession) -> HealthOut:
    """No login needed; 503 (problem) when the database cannot be read."""
    return HealthOut(feed_seq=max_seq(session))
