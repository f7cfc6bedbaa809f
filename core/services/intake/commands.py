"""The intake feature's commands: what each use case is asked, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from core.contracts.intake import Channel
from core.intake.errors import PayloadRejected
from core.intake.model import PlatformOrder, RawRecord, SignedRequest
from core.orders.model import Actor

# A payload's records as an adapter read them: each a platform order or why it is not one.
Parsed = list[tuple[RawRecord, PlatformOrder | PayloadRejected]]


@dataclass(frozen=True)
class Ingest:
    """Store and convert every record of a payload (a file import, a poll, a verified push)."""

    platform: str
    payload: bytes
    content_type: str
    channel: Channel
    source: str = ""


@dataclass(frozen=True)
class IngestRecords:
    """Records an adapter already read (a pull source drops those it took last round)."""

    platform: str
    parsed: Parsed
    content_type: str
    channel: Channel
    source: str = ""


@dataclass(frozen=True)
class KeepUnusable:
    """Keep a payload that cannot be cut into records (or read at all) as one dead letter."""

    platform: str
    payload: bytes
    content_type: str
    channel: Channel
    error: PayloadRejected
    source: str = ""


@dataclass(frozen=True)
class ReceiveWebhook:
    """A platform's push: taken only when signed with the platform's secret and fresh."""

    platform: str
    request: SignedRequest
    content_type: str


@dataclass(frozen=True)
class PreviewImport:
    """What a file would become, record by record, without storing anything."""

    platform: str
    payload: bytes
    content_type: str
    filename: str = ""


@dataclass(frozen=True)
class RetryMessage:
    """Send a dead letter again, as it was (payload None) or as the agent fixed it."""

    message_id: int
    payload: str | None
    by: str


@dataclass(frozen=True)
class DiscardMessage:
    message_id: int
    reason: str
    by: str


@dataclass(frozen=True)
class DecideReview:
    """An agent's approve or reject of an order the audit held back, at the version seen."""

    order_id: int
    approve: bool
    version: int
    reason: str
    actor: Actor
