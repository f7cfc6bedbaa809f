"""A platform's push (verified, then taken in) and a file's dry run (what it would become)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.contracts.intake import Channel, ImportPreview, IntakeReceipt, PreviewRow, to_wire
from core.intake.adapters import get_adapter, read
from core.intake.errors import BadSignature, PayloadRejected
from core.intake.freshness import staleness
from core.intake.pipeline import ConversionCentre, default_centre
from core.intake.policy import coverage_refusal
from core.services.intake.commands import Ingest, Parsed, PreviewImport, ReceiveWebhook
from core.services.intake.ingest import handle_ingest
from core.services.intake.results import nothing_to_visit
from core.storage.intake.clients import (
    RegionCoverage,
    SqlAuditContext,
    client_policy,
    webhook_secret,
)
from core.storage.uow import UnitOfWork


def handle_webhook(cmd: ReceiveWebhook, uow: UnitOfWork, *,
                   centre: ConversionCentre | None = None) -> IntakeReceipt:
    """Take a push in only when it is the platform's: BadSignature (401) without a secret to
    check it, with a signature that does not match, or signed outside the freshness window;
    anything refused is not kept. What is ingested is exactly what the signature covers
    (`Adapter.payload`), and its time is read only from a signed field (`Adapter.signed_time`).
    The secret is read in a read session (uow.reads): a forged push never waits for or holds
    SQLite's write lock.
    """
    adapter = get_adapter(cmd.platform)
    with uow.reads() as session:
        secret = webhook_secret(session, adapter.name)
    if not secret:
        raise BadSignature(f"未配置 {adapter.name} 的推送签名密钥 "
                           f"(no webhook secret is configured for '{adapter.name}')")
    if not adapter.verify(cmd.request, secret):
        raise BadSignature(f"请求签名与 {adapter.name} 的密钥不符 "
                           f"(the request's signature does not match {adapter.name}'s secret)")
    stale = staleness(adapter.signed_time(cmd.request), uow.clock.now())
    if stale:
        raise BadSignature(stale)
    return handle_ingest(Ingest(adapter.name, adapter.payload(cmd.request), cmd.content_type,
                                Channel.WEBHOOK, f"{adapter.name}-webhook"), uow, centre=centre)


def handle_preview(cmd: PreviewImport, uow: UnitOfWork, *,
                   centre: ConversionCentre | None = None) -> ImportPreview:
    """Each record of a file as it would convert, with its problem; nothing is stored
    (PayloadRejected when the file as a whole is unusable). Read only (uow.reads), so a long
    file never holds SQLite's write lock."""
    adapter = get_adapter(cmd.platform)
    parsed = read(adapter, cmd.payload, cmd.content_type)
    centre = centre or default_centre()
    now = uow.clock.now()
    with uow.reads() as session:
        rows = _preview_rows(parsed, adapter.name, session, centre, now)
    ok = sum(1 for r in rows if r.ok)
    return ImportPreview(platform=adapter.name, filename=cmd.filename, rows=rows, ok_count=ok,
                         problem_count=len(rows) - ok)


def _preview_rows(parsed: Parsed, platform: str, session: Session, centre: ConversionCentre,
                  now: datetime) -> list[PreviewRow]:
    rows = []
    coverage = RegionCoverage(session)
    for record, order in parsed:
        if isinstance(order, PayloadRejected):
            rows.append(PreviewRow(index=record.index, platform_order_id=record.key,
                                   ok=False, field=order.field, problem=order.reason))
            continue
        policy = client_policy(session, platform, order.shop)
        context = SqlAuditContext(session, now, order.platform, order.platform_order_id)
        conversion = centre.convert(order, policy, context, coverage)
        refusals = [r for o in conversion.orders if (r := coverage_refusal(policy, o))]
        problem = refusals[0] if refusals else (
            "" if conversion.orders else nothing_to_visit(conversion.dropped))
        rows.append(PreviewRow(
            index=record.index, platform_order_id=order.platform_order_id,
            ok=not problem, field="address" if refusals else "", problem=problem,
            orders=to_wire(conversion)))
    return rows
