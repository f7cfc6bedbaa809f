"""Manual dispatch: orders needing a person, ranked candidates, bulk assignment, refusals."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["manual dispatch"])
