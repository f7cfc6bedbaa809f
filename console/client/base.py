"""What every feature's calls (orders, intake, policies, grab, dispatch, routes, technicians)
need of the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApiCalls:
    """A base for the mixins of LastmileClient: `_json` sends one request, answers its JSON."""

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
