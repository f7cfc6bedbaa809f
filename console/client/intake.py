"""The conversion centre's calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from console.errors import ApiError
from core.contracts import OrderDetail
from core.contracts.intake import (
    ArrivalStats,
    BlacklistEntryIn,
    BlacklistEntryOut,
    BlacklistRemoval,
    ClientPolicyOut,
    ClientPolicyUpdate,
    CoverageGap,
    DiscardRequest,
    ImportPreview,
    IntakeMessageOut,
    IntakeMessagePage,
    IntakeReceipt,
    OrderOrigin,
    PlatformOut,
    RetryRequest,
    ReviewDecision,
    ReviewPage,
    SettingsChangeOut,
)

_PLATFORMS = TypeAdapter(list[PlatformOut])
_GAPS = TypeAdapter(list[CoverageGap])
_POLICIES = TypeAdapter(list[ClientPolicyOut])
_BLACKLIST = TypeAdapter(list[BlacklistEntryOut])
_CHANGES = TypeAdapter(list[SettingsChangeOut])


class IntakeCalls(ApiCalls):
    """Intake endpoints: platforms, dead letters, the review queue, arrivals, import, origin,
    and the intake settings (client policies, the blacklist, the log of their changes)."""


    async def intake_platforms(self) -> list[PlatformOut]:
        return _PLATFORMS.validate_python(await self._json("GET", "/v1/intake/platforms"))

    async def intake_messages(
        self,
        *,
        status: str | None = None,
        platform: str | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> IntakeMessagePage:
        """Stored messages, newest first (status "dead": the problem list)."""
        params = {"status": status, "platform": platform, "limit": limit, "cursor": cursor}
        data = await self._json("GET", "/v1/intake/messages", params=params)
        return IntakeMessagePage.model_validate(data)

    async def intake_message(self, message_id: int) -> IntakeMessageOut:
        data = await self._json("GET", f"/v1/intake/messages/{message_id}")
        return IntakeMessageOut.model_validate(data)

    async def retry_message(self, message_id: int, payload: str | None = None) -> IntakeReceipt:
        """Send a dead letter again: as it was (None) or with the agent's fixed raw text."""
        body = RetryRequest(payload=payload).model_dump(mode="json")
        data = await self._json("POST", f"/v1/intake/messages/{message_id}/retry", json=body)
        return IntakeReceipt.model_validate(data)

    async def discard_message(self, message_id: int, reason: str) -> IntakeMessageOut:
        body = DiscardRequest(reason=reason).model_dump(mode="json")
        data = await self._json("POST", f"/v1/intake/messages/{message_id}/discard", json=body)
        return IntakeMessageOut.model_validate(data)

    async def reviews(self) -> ReviewPage:
        return ReviewPage.model_validate(await self._json("GET", "/v1/intake/reviews"))

    async def decide_review(self, order_id: int, decision: ReviewDecision) -> OrderDetail:
        """Approve (audit, then place and classify) or reject (cancel with the reason)."""
        body = decision.model_dump(mode="json")
        data = await self._json("POST", f"/v1/intake/reviews/{order_id}", json=body)
        return OrderDetail.model_validate(data)

    async def arrivals(self, since: datetime | None = None) -> ArrivalStats:
        params = {"since": since.isoformat() if since is not None else None}
        data = await self._json("GET", "/v1/intake/arrivals", params=params)
        return ArrivalStats.model_validate(data)

    async def coverage_gaps(self) -> list[CoverageGap]:
        return _GAPS.validate_python(await self._json("GET", "/v1/intake/coverage-gaps"))

    async def preview_import(
        self, platform: str, body: bytes, content_type: str, filename: str
    ) -> ImportPreview:
        """What a file would become (dry run: nothing is stored)."""
        data = await self._import(platform, body, content_type, filename, dry_run=True)
        return ImportPreview.model_validate(data)

    async def import_file(
        self, platform: str, body: bytes, content_type: str, filename: str
    ) -> IntakeReceipt:
        data = await self._import(platform, body, content_type, filename, dry_run=False)
        return IntakeReceipt.model_validate(data)

    async def order_origin(self, order_id: int) -> OrderOrigin | None:
        """How the order came to be; None for an order the centre did not make."""
        try:
            data = await self._json("GET", f"/v1/orders/{order_id}/origin")
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return OrderOrigin.model_validate(data)

    async def client_policies(self) -> list[ClientPolicyOut]:
        return _POLICIES.validate_python(await self._json("GET", "/v1/intake/clients"))

    async def update_client_policy(
        self, code: str, update: ClientPolicyUpdate
    ) -> ClientPolicyOut:
        """Change a client's policy; 409 when `update.version` is no longer the current one."""
        body = update.model_dump(mode="json")
        data = await self._json("PUT", f"/v1/intake/clients/{quote(code, safe='')}", json=body)
        return ClientPolicyOut.model_validate(data)

    async def blacklist(self, active: str = "true") -> list[BlacklistEntryOut]:
        """Entries in force ("true"), removed ones ("false") or both ("all")."""
        data = await self._json("GET", "/v1/intake/blacklist", params={"active": active})
        return _BLACKLIST.validate_python(data)

    async def add_blacklist_entry(self, entry: BlacklistEntryIn) -> BlacklistEntryOut:
        body = entry.model_dump(mode="json")
        data = await self._json("POST", "/v1/intake/blacklist", json=body)
        return BlacklistEntryOut.model_validate(data)

    async def remove_blacklist_entry(self, entry_id: int, reason: str) -> BlacklistEntryOut:
        body = BlacklistRemoval(reason=reason).model_dump(mode="json")
        data = await self._json("POST", f"/v1/intake/blacklist/{entry_id}/remove", json=body)
        return BlacklistEntryOut.model_validate(data)

    async def settings_log(self, limit: int = 50) -> list[SettingsChangeOut]:
        """The newest changes of client policies and the blacklist first."""
        data = await self._json("GET", "/v1/intake/settings-log", params={"limit": limit})
        return _CHANGES.validate_python(data)

    async def _import(
        self, platform: str, body: bytes, content_type: str, filename: str, *, dry_run: bool
    ) -> Any:
        params = {"filename": filename, "dry_run": "true" if dry_run else "false"}
        return await self._json(
            "POST", f"/v1/intake/{platform}/import", params=params, content=body,
            content_type=content_type,
        )
