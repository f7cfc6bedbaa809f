"""Orders coming in: platform webhooks, file import, the platforms, dead letters and retries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.contracts.intake import (
    Channel,
    DiscardRequest,
    ImportPreview,
    IntakeMessageOut,
    IntakeMessagePage,
    IntakeReceipt,
    MessageStatus,
    PlatformOut,
    PreviewRow,
    RetryRequest,
)
from core.intake.adapters import Adapter, get_adapter, media_type, platforms, read, reads
from core.intake.errors import PayloadRejected, UnknownPlatform
from core.intake.freshness import staleness
from core.intake.model import SignedRequest
from core.intake.pipeline import default_centre, to_wire
from core.intake.policy import coverage_refusal
from core.server.deps import ClockDep, DbSession, EngineDep, Feed, IntakeUser, Now
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES, TITLES, ProblemError, field_error
from core.storage.intake_clients import (
    RegionCoverage,
    SqlAuditContext,
    client_policy,
    webhook_secret,
)
from core.storage.intake_messages import (
    BadMessageCursor,
    NotDead,
    message_out,
    message_page,
)
from core.storage.intake_service import EnvelopeRejected, NewUow, discard, ingest, retry
from core.storage.tables import IntakeMessageRecord
from core.storage.uow import UnitOfWork

router = APIRouter(prefix="/v1/intake", tags=["intake"])
# Webhooks and imports also answer 400 (a repeated parameter), 413 (too large), 415 (a body
# of a kind the platform's adapter does not read).
BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    **{code: {**PROBLEM_RESPONSES[422], "description": TITLES[code]} for code in (400, 413, 415)},
}
RAW_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
}}}


def get_new_uow(engine: EngineDep, feed: Feed) -> NewUow:
    # Each record commits on its own; every commit wakes this process's feed tailer.
    return lambda: UnitOfWork(engine, on_commit=feed.poke)


NewUowDep = Annotated[NewUow, Depends(get_new_uow)]


def adapter_for(platform: str) -> Adapter:
    try:
        return get_adapter(platform)
    except UnknownPlatform as exc:
        raise ProblemError(404, str(exc)) from None


def rejected(exc: PayloadRejected, message_id: int | None = None) -> ProblemError:
    """422 naming the payload's field (and the dead letter it was kept as)."""
    kept = f" (kept as dead letter {message_id})" if message_id is not None else ""
    where = exc.field or "payload"
    return ProblemError(422, f"{where}: {exc.reason}{kept}",
                        errors=[{"loc": ["body", *([exc.field] if exc.field else [])],
                                 "msg": exc.reason}])


def _content_type(request: Request, adapter: Adapter) -> str:
    """The body's Content-Type (JSON when unsaid); 415 when the adapter does not read it, as a
    form post to a JSON adapter: what a signature saw as fields must not be read as JSON."""
    _refuse_repeated(_header_names(request, {"content-type"}), "请求头", "header")
    content_type = request.headers.get("content-type", "application/json")
    if not reads(adapter, content_type):
        raise ProblemError(415, f"不支持的内容类型 ({adapter.name} reads "
                                f"{' or '.join(adapter.content_types)}, not "
                                f"'{media_type(content_type)[:60]}')")
    return content_type


def _header_names(request: Request, among: set[str]) -> list[str]:
    """The names of the request's headers that are among these, once per occurrence."""
    names = (name.decode("latin-1").lower() for name, _ in request.headers.raw)
    return [name for name in names if name in among]


def _refuse_repeated(names: list[str], what: str, english: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ProblemError(400, f"{what}重复 ({english} '{name[:40]}' is given more than "
                                    "once; which one was signed would be a guess)")
        seen.add(name)


def _signed_request(request: Request, adapter: Adapter, body: bytes) -> SignedRequest:
    """The request as its signature sees it: every query parameter and signed header once."""
    _refuse_repeated([key for key, _ in request.query_params.multi_items()], "查询参数",
                     "query parameter")
    _refuse_repeated(_header_names(request, set(adapter.signed_headers)), "请求头", "header")
    return SignedRequest(query=dict(request.query_params),
                         headers={k.lower(): v for k, v in request.headers.items()}, body=body)


def _take(run: Callable[[], IntakeReceipt]) -> IntakeReceipt:
    try:
        return run()
    except EnvelopeRejected as exc:
        raise rejected(exc.error, exc.message_id) from None


@router.get("/platforms", response_model=list[PlatformOut])
def list_platforms(_user: IntakeUser) -> list[PlatformOut]:
    return [PlatformOut(name=a.name, label=a.label, content_types=list(a.content_types))
            for a in map(get_adapter, platforms())]


@router.post("/{platform}", response_model=IntakeReceipt, openapi_extra=RAW_BODY,
             responses=BODY_RESPONSES)
async def webhook(platform: str, request: Request, engine: EngineDep,
                  new_uow: NewUowDep, clock: ClockDep) -> IntakeReceipt:
    """A platform's push, signed with its secret and fresh; anything else is refused, not kept.

    What is ingested is exactly what the signature covers (`Adapter.payload`), and its time is
    read only from a signed field (`Adapter.signed_time`). The body is bounded before it is read
    (core.server.limits).
    """
    adapter = adapter_for(platform)
    content_type = _content_type(request, adapter)
    signed = _signed_request(request, adapter, await request.body())

    def run() -> IntakeReceipt:
        with Session(engine) as session:
            secret = webhook_secret(session, adapter.name)
        if not secret:
            raise ProblemError(401, f"no webhook secret is configured for '{adapter.name}'")
        if not adapter.verify(signed, secret):
            raise ProblemError(401, f"the request's signature does not match {adapter.name}'s "
                                    "secret")
        stale = staleness(adapter.signed_time(signed), clock.now())
        if stale:
            raise ProblemError(401, stale)
        payload = adapter.payload(signed)
        return _take(lambda: ingest(new_uow, adapter.name, payload, content_type,
                                    Channel.WEBHOOK, clock.now(), source=f"{adapter.name}-webhook"))

    return await run_in_threadpool(run)


def _preview(session: Session, adapter: Adapter, body: bytes, content_type: str,
             filename: str, now: datetime) -> ImportPreview:
    try:
        parsed = read(adapter, body, content_type)
    except PayloadRejected as exc:
        raise rejected(exc) from None
    centre, coverage = default_centre(), RegionCoverage(session)
    rows = []
    for record, order in parsed:
        if isinstance(order, PayloadRejected):
            rows.append(PreviewRow(index=record.index, platform_order_id=record.key, ok=False,
                                   field=order.field, problem=order.reason))
            continue
        policy = client_policy(session, adapter.name, order.shop)
        context = SqlAuditContext(session, now, order.platform, order.platform_order_id)
        conversion = centre.convert(order, policy, context, coverage)
        refusals = [r for o in conversion.orders if (r := coverage_refusal(policy, o))]
        problem = refusals[0] if refusals else (
            "" if conversion.orders else "没有需要上门服务的商品")
        rows.append(PreviewRow(index=record.index, platform_order_id=order.platform_order_id,
                               ok=not problem, field="address" if refusals else "",
                               problem=problem, orders=to_wire(conversion)))
    ok = sum(1 for r in rows if r.ok)
    return ImportPreview(platform=adapter.name, filename=filename, rows=rows, ok_count=ok,
                         problem_count=len(rows) - ok)


@router.post("/{platform}/import", response_model=ImportPreview | IntakeReceipt,
             openapi_extra=RAW_BODY, responses=BODY_RESPONSES)
async def import_file(
    platform: str, request: Request, _user: IntakeUser, engine: EngineDep,
    new_uow: NewUowDep, clock: ClockDep, filename: Annotated[str, Query(max_length=255)] = "",
    dry_run: bool = False,
) -> ImportPreview | IntakeReceipt:
    """A file an agent chose: a preview with per-row problems (dry run), or the real import."""
    adapter = adapter_for(platform)
    content_type = _content_type(request, adapter)
    body = await request.body()  # bounded before it is read (core.server.limits)

    def run() -> ImportPreview | IntakeReceipt:
        if dry_run:
            with Session(engine) as session:
                return _preview(session, adapter, body, content_type, filename, clock.now())
        return _take(lambda: ingest(new_uow, adapter.name, body, content_type, Channel.FILE,
                                    clock.now(), source=f"file:{filename}"[:64]))

    return await run_in_threadpool(run)


@router.get("/messages", response_model=IntakeMessagePage, responses=PROBLEM_RESPONSES)
def list_messages(
    session: DbSession, _user: IntakeUser, status: MessageStatus | None = None,
    platform: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> IntakeMessagePage:
    """Stored messages newest first (status=dead: the problem list)."""
    try:
        return message_page(session, status=status.value if status else None,
                            platform=platform, limit=limit, cursor=cursor)
    except BadMessageCursor as exc:
        raise field_error(422, ["query", "cursor"], str(exc)) from None


@router.get("/messages/{message_id}", response_model=IntakeMessageOut,
            responses=PROBLEM_RESPONSES)
def get_message(message_id: RowId, session: DbSession, _user: IntakeUser) -> IntakeMessageOut:
    found = session.get(IntakeMessageRecord, message_id)
    if found is None:
        raise ProblemError(404, f"there is no intake message {message_id}")
    return message_out(found)


@router.post("/messages/{message_id}/retry", response_model=IntakeReceipt,
             responses=PROBLEM_RESPONSES)
def retry_message(message_id: RowId, body: RetryRequest, user: IntakeUser,
                  new_uow: NewUowDep, now: Now) -> IntakeReceipt:
    """Send a dead letter again, as it was or with the agent's fix; 422 if still unusable."""
    try:
        receipt = retry(new_uow, message_id, body.payload, user.username, now)
    except NotDead as exc:
        raise ProblemError(409, str(exc)) from None
    except PayloadRejected as exc:
        raise rejected(exc) from None
    if receipt is None:
        raise ProblemError(404, f"there is no intake message {message_id}")
    return receipt


@router.post("/messages/{message_id}/discard", response_model=IntakeMessageOut,
             responses=PROBLEM_RESPONSES)
def discard_message(message_id: RowId, body: DiscardRequest, user: IntakeUser,
                    new_uow: NewUowDep, now: Now) -> IntakeMessageOut:
    if not body.reason.strip():
        raise field_error(422, ["body", "reason"], "say why the message is discarded")
    try:
        found = discard(new_uow, message_id, body.reason, user.username, now)
    except NotDead as exc:
        raise ProblemError(409, str(exc)) from None
    if found is None:
        raise ProblemError(404, f"there is no intake message {message_id}")
    return message_out(found)
