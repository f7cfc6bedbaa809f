"""The grab pool's calls of the console's HTTP client (mixed into LastmileClient): the desk's
pool monitor, and the technician's list and claim (used by the demo and the benchmark)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.dispatch import ClaimOut, GrabOfferOut, PoolSummary

_OFFERS = TypeAdapter(list[GrabOfferOut])


class GrabCalls(ApiCalls):
    """The grab pool: the desk's monitor, and a technician's offers and claims."""

    async def grab_pool(self, status: str | None = None, limit: int = 200) -> PoolSummary:
        """Counts over every offer and the newest `limit` offers (only `status` when given)."""
        params: dict[str, Any] = {"limit": limit}
        if status:
            params["status"] = status
        return PoolSummary.model_validate(
            await self._json("GET", "/v1/grab/pool", params=params))

    async def grab_offers(self) -> list[GrabOfferOut]:
        """The offers the logged-in technician may claim, nearest first."""
        return _OFFERS.validate_python(await self._json("GET", "/v1/grab/offers"))

    async def claim_offer(self, order_id: int, version: int | None = None) -> ClaimOut:
        """Claim an offered order; refusals arrive as ApiError (403/404/409/410)."""
        params = {"version": version} if version is not None else None
        return ClaimOut.model_validate(
            await self._json("POST", f"/v1/grab/offers/{order_id}/claim", params=params))
