"""What can go wrong while converting a platform payload; every error names what was wrong.

Each error carries its HTTP status (core.errors), so the server answers it without a router
catching it.
"""

from __future__ import annotations

from typing import ClassVar

from core.errors import Invalid, LastmileError, NotFound


class IntakeError(LastmileError):
    """Base of the conversion centre's errors."""


class PayloadRejected(IntakeError, Invalid):
    """A payload (or one record in it) that cannot be converted: names the field and why.

    `field` is a dotted path into the platform's own structure (e.g. `receiver_address`,
    `trades[2].orders.order[0].price`), or "" when the whole payload is unusable. Answered as
    a 422 whose detail names the field (or "payload") and whose one error is at
    ["body", field] with the reason.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(reason, loc=("body", field) if field else ("body",))
        # The problem's detail (core.server.problems): the loc alone would read ": reason".
        self.detail = f"{field or 'payload'}: {reason}"

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class UnknownPlatform(IntakeError, NotFound):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        names = ", ".join(known)
        super().__init__(f"未知的平台 '{name}' (unknown platform '{name}' (known: {names}))")


class BadSignature(IntakeError):
    """A webhook that is not its platform's: no secret to check it with, a signature that
    does not match the secret, or a signed time outside the window (a replay)."""

    status: ClassVar[int] = 401


class PayloadIgnored(PayloadRejected):
    """A record that was understood but is no service work (an unpaid trade, a status message
    nobody acts on): stored as refused with the reason, not as a dead letter to fix."""
