"""Verification review's calls of the console's HTTP client (mixed into LastmileClient): the
queue of served orders, one order's evidence chain and its photos' thumbnails, the decision,
and clients' evidence requirements."""

from __future__ import annotations

from console.client.base import ApiCalls
from core.contracts.fieldwork.review import (
    EvidenceOut,
    RequirementsOut,
    ReviewQueueOut,
    VerificationDecision,
    VerificationDecisionOut,
)


class ReviewCalls(ApiCalls):
    """Verification review (agents, supervisors and admins; anyone else gets a 403)."""

    async def _bytes(self, path: str) -> bytes:
        raise NotImplementedError  # LastmileClient sends it

    async def verification_reviews(self, limit: int = 200) -> ReviewQueueOut:
        """Served orders, flagged or incomplete first, then the longest served."""
        return ReviewQueueOut.model_validate(
            await self._json("GET", "/v1/verification-reviews", params={"limit": limit}))

    async def order_evidence(self, order_id: int) -> EvidenceOut:
        """The order's evidence chain and its assessment."""
        return EvidenceOut.model_validate(
            await self._json("GET", f"/v1/orders/{order_id}/evidence"))

    async def photo_thumbnail(self, photo_id: int) -> bytes:
        """The photo upright, at most 400 px on its longer side, as JPEG bytes."""
        return await self._bytes(f"/v1/photos/{photo_id}/thumbnail")

    async def decide_verification(self, order_id: int,
                                  decision: VerificationDecision) -> VerificationDecisionOut:
        """Approve (verified) or reject (frozen, the fee with it); 409 when the order changed
        since `decision.version` or no longer waits for verification."""
        return VerificationDecisionOut.model_validate(await self._json(
            "POST", f"/v1/orders/{order_id}/verification-review",
            json=decision.model_dump(mode="json")))

    async def verification_requirements(self, client_code: str) -> RequirementsOut:
        """What the client's orders must show, per product kind."""
        return RequirementsOut.model_validate(
            await self._json("GET", f"/v1/verification-requirements/{client_code}"))
