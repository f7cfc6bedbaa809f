"""Manual dispatch: calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.dispatch import (
    AssignmentResult,
    BulkAssign,
    CandidateOut,
    NeedsPersonRow,
    RefusalCount,
)

_NEEDS = TypeAdapter(list[NeedsPersonRow])
_RESULTS = TypeAdapter(list[AssignmentResult])
_REFUSALS = TypeAdapter(list[RefusalCount])
_CANDIDATES = TypeAdapter(list[CandidateOut])


class DispatchCalls(ApiCalls):
    """Manual dispatch: orders needing a person, candidates, bulk assignment, refusals."""

    async def needs_person(self) -> list[NeedsPersonRow]:
        """Orders in manual dispatch, most urgent first, with why each needs a person."""
        return _NEEDS.validate_python(await self._json("GET", "/v1/dispatch/needs-person"))

    async def assign_orders(self, request: BulkAssign) -> list[AssignmentResult]:
        """Assign several orders at once; one result per order (a conflict does not stop the
        others)."""
        body = request.model_dump(mode="json")
        return _RESULTS.validate_python(await self._json("POST", "/v1/dispatch/assign",
                                                         json=body))

    async def refusals(self, days: int = 30) -> list[RefusalCount]:
        data = await self._json("GET", "/v1/dispatch/refusals", params={"days": days})
        return _REFUSALS.validate_python(data)

    async def candidates(self, order_id: int, all_cities: bool = False) -> list[CandidateOut]:
        """The active technicians of the order's city (`all_cities`: of every city), ranked;
        rule breaks flagged, not hidden."""
        data = await self._json("GET", f"/v1/orders/{order_id}/candidates",
                                params={"all_cities": "true"} if all_cities else None)
        return _CANDIDATES.validate_python(data)
