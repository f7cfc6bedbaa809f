"""Technicians' day routes: appointments ordered into a route, re-planned when they change."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["day routes"])
