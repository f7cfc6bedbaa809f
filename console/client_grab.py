"""The grab pool monitor: calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class GrabCalls:
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
