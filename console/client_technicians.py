"""Technicians' dispatch settings: calls of the console's HTTP client (mixed into LastmileClient).

The list itself is LastmileClient.technicians (GET /v1/technicians).
"""

from __future__ import annotations

from pydantic import TypeAdapter

from console.client_base import ApiCalls
from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate

_LOG = TypeAdapter(list[TechnicianChangeOut])


class TechnicianCalls(ApiCalls):
    """Change a technician's capacity, skills, certificates or active flag; read the changes."""

    async def update_technician(self, technician_id: int,
                                change: TechnicianUpdate) -> TechnicianOut:
        """Send the fields set in `change`; 409 when `change.version` is no longer current."""
        data = await self._json("PATCH", f"/v1/technicians/{technician_id}",
                                json=change.model_dump(mode="json", exclude_none=True))
        return TechnicianOut.model_validate(data)

    async def technician_log(self, technician_id: int,
                             limit: int = 100) -> list[TechnicianChangeOut]:
        """The technician's setting changes, newest first."""
        return _LOG.validate_python(await self._json(
            "GET", f"/v1/technicians/{technician_id}/log", params={"limit": limit}))
