"""The supervisor board: calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlencode

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.sla_board import BoardOut, OnTimeOut
from core.contracts.sla_deadlines import AlertOut

_ALERTS = TypeAdapter(list[AlertOut])
_RATES = TypeAdapter(list[OnTimeOut])
ExportKind = Literal["csv", "xlsx"]


class SlaBoardCalls(ApiCalls):
    """The board's counts, open alerts a page at a time, on-time rates and exports."""

    async def sla_board(self, region: str | None = None,
                        step: str | None = None) -> BoardOut:
        return BoardOut.model_validate(await self._json(
            "GET", "/v1/sla/board", params={"region": region, "step": step}))

    async def sla_alerts(self, after: str | None = None, limit: int = 200,
                         level: str | None = None, region: str | None = None,
                         step: str | None = None) -> list[AlertOut]:
        """Open alerts, the highest level per run, soonest deadline first; `after` the last
        one's cursor for the next page."""
        return _ALERTS.validate_python(await self._json(
            "GET", "/v1/sla/alerts", params={"after": after, "limit": limit, "level": level,
                                             "region": region, "step": step}))

    async def sla_on_time(self, start: date, end: date, by: str = "day") -> list[OnTimeOut]:
        return _RATES.validate_python(await self._json(
            "GET", "/v1/sla/on-time",
            params={"start": start.isoformat(), "end": end.isoformat(), "by": by}))

    async def sla_export(self, kind: ExportKind, start: date, end: date) -> bytes:
        """The period's finished runs as CSV (UTF-8 with BOM) or Excel."""
        query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
        return await self._bytes(f"/v1/sla/export.{kind}?{query}")

    async def _bytes(self, path: str) -> bytes:
        raise NotImplementedError  # LastmileClient sends it
