"""Manual dispatch: calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter

from core.contracts.dispatch import AssignmentResult, BulkAssign, NeedsPersonRow, RefusalCount

_NEEDS = TypeAdapter(list[NeedsPersonRow])
_RESULTS = TypeAdapter(list[AssignmentResult])
_REFUSALS = TypeAdapter(list[RefusalCount])


class DispatchCalls:
    async def _json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        raise NotImplementedError  # LastmileClient sends it

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
