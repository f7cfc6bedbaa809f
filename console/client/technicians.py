"""Technicians: the list, their dispatch settings and a technician's own orders (calls of the
console's HTTP client, mixed into LastmileClient)."""

from __future__ import annotations

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts import OrderRow
from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate

_LOG = TypeAdapter(list[TechnicianChangeOut])
_TECHNICIANS = TypeAdapter(list[TechnicianOut])
_ROWS = TypeAdapter(list[OrderRow])


class TechnicianCalls(ApiCalls):
    """List technicians; change one's capacity, skills, certificates or active flag; read the
    changes; a signed-in technician's own open orders."""

    async def technicians(self) -> list[TechnicianOut]:
        return _TECHNICIANS.validate_python(await self._json("GET", "/v1/technicians"))

    async def my_orders(self) -> list[OrderRow]:
        """A technician's own open orders."""
        return _ROWS.validate_python(await self._json("GET", "/v1/technicians/me/orders"))

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
