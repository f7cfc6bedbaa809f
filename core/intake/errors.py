"""What can go wrong while converting a platform payload; every error names what was wrong."""

from __future__ import annotations


class IntakeError(Exception):
    """Base of the conversion centre's errors."""


class PayloadRejected(IntakeError):
    """A payload (or one record in it) that cannot be converted: names the field and why.

    `field` is a dotted path into the platform's own structure (e.g. `receiver_address`,
    `trades[2].orders.order[0].price`), or "" when the whole payload is unusable.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}" if field else reason)


class UnknownPlatform(IntakeError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown platform '{name}' (known: {', '.join(known)})")


class BadSignature(IntakeError):
    """A webhook whose signature does not match the platform's secret."""


class PayloadIgnored(PayloadRejected):
    """A record that was understood but is no service work (an unpaid trade, a status message
    nobody acts on): stored as refused with the reason, not as a dead letter to fix."""
