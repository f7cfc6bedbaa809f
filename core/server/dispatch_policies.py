"""Region dispatch policies: what each scope sets, a county's effective policy, the change log."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["dispatch policies"])
