"""The grab pool: technicians list and claim offers; the desk's pool monitor."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["grab pool"])
