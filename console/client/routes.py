"""Technicians' day routes: calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from datetime import date

from console.client.base import ApiCalls
from core.contracts.dispatch import RouteOut


class RouteCalls(ApiCalls):
    """Technicians' day routes."""

    async def technician_route(self, technician_id: int, day: date | None = None) -> RouteOut:
        """The technician's day (Asia/Shanghai; default today) as a planned route."""
        params = {"day": day.isoformat() if day is not None else None}
        body = await self._json("GET", f"/v1/technicians/{technician_id}/route", params=params)
        return RouteOut.model_validate(body)
