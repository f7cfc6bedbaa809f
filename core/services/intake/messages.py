"""What an agent does with a dead letter: send it again (as it was or fixed), or discard it."""

from __future__ import annotations

from core.contracts.intake import Channel, IntakeMessageOut, IntakeReceipt, MessageStatus
from core.errors import Invalid
from core.intake.adapters import get_adapter
from core.intake.pipeline import ConversionCentre
from core.services.intake.commands import DiscardMessage, IngestRecords, RetryMessage
from core.services.intake.ingest import handle_ingest_records, parse_again
from core.storage.intake.messages import (
    NotDead,
    dead_letter,
    mark_discarded,
    mark_retried,
    mark_retried_as,
    message_out,
    record_bytes,
    reopen,
)
from core.storage.uow import UnitOfWork


def handle_retry(cmd: RetryMessage, uow: UnitOfWork, *,
                 centre: ConversionCentre | None = None) -> IntakeReceipt:
    """Send a dead letter again; its records go in as a retry.

    NoSuchMessage (404) when there is none; NotDead (409) for a message that is not a dead
    letter (also when another retry of it is under way); PayloadRejected (422) when the
    payload is still unusable (then nothing is stored). The dead letter is claimed (marked
    retried) before its records go in, so of two retries at once exactly one takes them in.
    """
    with uow:
        message = dead_letter(uow.session, cmd.message_id)
        if message.status != MessageStatus.DEAD:
            raise NotDead(message.id, message.status)
        adapter = get_adapter(message.platform)
        raw = message.payload if cmd.payload is None else record_bytes(cmd.payload)
        parsed = parse_again(adapter, raw, message.content_type, message.scope,
                             message.platform_order_id)
        content_type, source = message.content_type, message.source
        mark_retried(message, None, cmd.by, uow.clock.now())
        uow.commit()
    try:
        receipt = handle_ingest_records(IngestRecords(
            adapter.name, parsed, content_type, Channel.RETRY, source), uow, centre=centre)
    except BaseException:
        # The letter is dead again, to retry later (records that went in meanwhile are
        # recognised then as re-sent).
        with uow:
            reopen(dead_letter(uow.session, cmd.message_id))
            uow.commit()
        raise
    with uow:
        mark_retried_as(dead_letter(uow.session, cmd.message_id),
                        receipt.outcomes[0].message_id)
        uow.commit()
    return receipt


def handle_discard(cmd: DiscardMessage, uow: UnitOfWork) -> IntakeMessageOut:
    """Throw a dead letter away with the agent's reason (Invalid without one; NoSuchMessage,
    NotDead as for a retry)."""
    if not cmd.reason.strip():
        raise Invalid("请说明丢弃原因 (say why the message is discarded)", loc=("body", "reason"))
    with uow:
        message = dead_letter(uow.session, cmd.message_id)
        mark_discarded(message, cmd.reason, cmd.by, uow.clock.now())
        uow.commit()
        return message_out(message)
