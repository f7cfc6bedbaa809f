"""Orders coming in: platform webhooks, file import, the platforms, dead letters and retries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
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
    RetryRequest,
)
from core.intake.adapters import Adapter, get_adapter, media_type, platforms, reads
from core.intake.model import SignedRequest
from core.server.deps import DbSession, IntakeUser, Uow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES, TITLES, ProblemError
from core.services.intake.commands import (
    DiscardMessage,
    Ingest,
    PreviewImport,
    ReceiveWebhook,
    RetryMessage,
)
from core.services.intake.ingest import handle_ingest
from core.services.intake.messages import handle_discard, handle_retry
from core.services.intake.webhook import handle_preview, handle_webhook
from core.storage.intake.messages import message_out, message_page, message_record

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


@router.get("/platforms", response_model=list[PlatformOut])
def list_platforms(_user: IntakeUser) -> list[PlatformOut]:
    return [PlatformOut(name=a.name, label=a.label, content_types=list(a.content_types))
            for a in map(get_adapter, platforms())]


@router.post("/{platform}", response_model=IntakeReceipt, openapi_extra=RAW_BODY,
             responses=BODY_RESPONSES)
async def webhook(platform: str, request: Request, uow: Uow) -> IntakeReceipt:
    """A platform's push, signed with its secret and fresh; anything else is refused, not kept.

    The body is bounded before it is read (core.server.limits).
    """
    adapter = get_adapter(platform)
    content_type = _content_type(request, adapter)
    signed = _signed_request(request, adapter, await request.body())
    command = ReceiveWebhook(adapter.name, signed, content_type)
    return await run_in_threadpool(handle_webhook, command, uow)


@router.post("/{platform}/import", response_model=ImportPreview | IntakeReceipt,
             openapi_extra=RAW_BODY, responses=BODY_RESPONSES)
async def import_file(
    platform: str, request: Request, _user: IntakeUser, uow: Uow,
    filename: Annotated[str, Query(max_length=255)] = "", dry_run: bool = False,
) -> ImportPreview | IntakeReceipt:
    """A file an agent chose: a preview with per-row problems (dry run), or the real import."""
    adapter = get_adapter(platform)
    content_type = _content_type(request, adapter)
    body = await request.body()  # bounded before it is read (core.server.limits)
    if dry_run:
        return await run_in_threadpool(
            handle_preview, PreviewImport(adapter.name, body, content_type, filename), uow)
    command = Ingest(adapter.name, body, content_type, Channel.FILE,
                     f"file:{filename}"[:64])
    return await run_in_threadpool(handle_ingest, command, uow)


@router.get("/messages", response_model=IntakeMessagePage, responses=PROBLEM_RESPONSES)
def list_messages(
    session: DbSession, _user: IntakeUser, status: MessageStatus | None = None,
    platform: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> IntakeMessagePage:
    """Stored messages newest first (status=dead: the problem list)."""
    return message_page(session, status=status.value if status else None,
                        platform=platform, limit=limit, cursor=cursor)


@router.get("/messages/{message_id}", response_model=IntakeMessageOut,
            responses=PROBLEM_RESPONSES)
def get_message(message_id: RowId, session: DbSession, _user: IntakeUser) -> IntakeMessageOut:
    return message_out(message_record(session, message_id))


@router.post("/messages/{message_id}/retry", response_model=IntakeReceipt,
             responses=PROBLEM_RESPONSES)
def retry_message(message_id: RowId, body: RetryRequest, user: IntakeUser,
                  uow: Uow) -> IntakeReceipt:
    """Send a dead letter again, as it was or with the agent's fix; 422 if still unusable."""
    return handle_retry(RetryMessage(message_id, body.payload, user.username), uow)


@router.post("/messages/{message_id}/discard", response_model=IntakeMessageOut,
             responses=PROBLEM_RESPONSES)
def discard_message(message_id: RowId, body: DiscardRequest, user: IntakeUser,
                    uow: Uow) -> IntakeMessageOut:
    return handle_discard(DiscardMessage(message_id, body.reason, user.username), uow)
