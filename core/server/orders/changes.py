"""The change feed: a page of events after a seq, or a live server-sent-events stream."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.clock import Clock
from core.contracts import ChangeEvent, ChangePage
from core.orders.lifecycle import Role
from core.server.deps import (
    DESK_ROLES,
    BearerToken,
    ClockDep,
    DbSession,
    DeskUser,
    EngineDep,
    Feed,
)
from core.server.params import Int64
from core.server.problems import PROBLEM_RESPONSES
from core.server.seen import events_as_seen
from core.server.tailer import FeedTailer
from core.storage.orders.feed import events_after
from core.storage.people.accounts import user_for_token

router = APIRouter(prefix="/v1/changes", tags=["changes"])
HEARTBEAT_SECONDS = 10.0
# How often an idle stream checks whether its client went away (for servers that only
# report a disconnect when asked).
DISCONNECT_CHECK_SECONDS = 1.0
STREAM_BATCH = 500
# An idle stream re-checks its token this often (a batch is always checked before it is sent).
TOKEN_RECHECK_SECONDS = 5.0


@router.get("", response_model=ChangePage, responses=PROBLEM_RESPONSES)
def changes(
    session: DbSession,
    user: DeskUser,
    after: Annotated[Int64, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> ChangePage:
    """Events with seq > after, oldest first; continue from last_seq."""
    events = events_as_seen(events_after(session, after, limit), user.role)
    return ChangePage(events=events, last_seq=events[-1].seq if events else after)


def sse_message(event: ChangeEvent) -> str:
    return f"id: {event.seq}\nevent: change\ndata: {event.model_dump_json()}\n\n"


def _read(engine: Engine, clock: Clock, after: int, token: str | None,
          check_token: bool, role: Role) -> list[ChangeEvent] | None:
    """The next batch as `role` sees it; None when the stream's token no longer admits a desk
    user."""
    with Session(engine) as session:
        events = events_after(session, after, STREAM_BATCH)
        if token is not None and (events or check_token):
            user = user_for_token(session, token, clock.now())
            if user is None or Role(user.role) not in DESK_ROLES:
                return None
        return events_as_seen(events, role)


async def event_stream(
    request: Request, engine: Engine, feed: FeedTailer, after: int, token: str | None,
    clock: Clock, role: Role,
) -> AsyncIterator[str]:
    """Replay everything after `after`, then follow the feed until the client or server leaves,
    or the token stops working (signed out, expired, its person deactivated): it is checked
    before each batch is sent and every TOKEN_RECHECK_SECONDS while idle."""
    cursor = after
    last_sent = last_check = time.monotonic()
    with feed.subscribe() as woken:
        while not feed.stopped:
            woken.clear()  # before reading: a wake-up during the read is not lost
            check = time.monotonic() - last_check >= TOKEN_RECHECK_SECONDS
            events = await run_in_threadpool(_read, engine, clock, cursor, token, check, role)
            if events is None:
                return
            if check or events:
                last_check = time.monotonic()
            for event in events:
                yield sse_message(event)
                cursor = event.seq
            if events:
                last_sent = time.monotonic()
                if len(events) == STREAM_BATCH:
                    continue
            if await request.is_disconnected():
                return
            idle = time.monotonic() - last_sent
            timeout = max(0.0, min(DISCONNECT_CHECK_SECONDS, HEARTBEAT_SECONDS - idle))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), timeout)
            if time.monotonic() - last_sent >= HEARTBEAT_SECONDS:
                yield ": ping\n\n"
                last_sent = time.monotonic()


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "id/event/data messages, ': ping' every 10 s"},
               **PROBLEM_RESPONSES},
)
async def stream(
    request: Request,
    engine: EngineDep,
    feed: Feed,
    clock: ClockDep,
    user: DeskUser,
    token: BearerToken,
    after: Annotated[Int64, Query(ge=0)] = 0,
) -> StreamingResponse:
    """Server-sent events: everything after `after`, then live changes from every process,
    until the token is revoked or expires."""
    return StreamingResponse(
        event_stream(request, engine, feed, after, token, clock, user.role),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
