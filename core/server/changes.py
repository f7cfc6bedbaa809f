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

from core.contracts import ChangeEvent, ChangePage
from core.server.deps import DbSession, DeskUser, EngineDep, Feed
from core.server.problems import PROBLEM_RESPONSES
from core.server.tailer import FeedTailer
from core.storage.feed import events_after

router = APIRouter(prefix="/v1/changes", tags=["changes"])
HEARTBEAT_SECONDS = 10.0
# How often an idle stream checks whether its client went away (for servers that only
# report a disconnect when asked).
DISCONNECT_CHECK_SECONDS = 1.0
STREAM_BATCH = 500


@router.get("", response_model=ChangePage, responses=PROBLEM_RESPONSES)
def changes(
    session: DbSession,
    _user: DeskUser,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> ChangePage:
    """Events with seq > after, oldest first; continue from last_seq."""
    events = events_after(session, after, limit)
    return ChangePage(events=events, last_seq=events[-1].seq if events else after)


def sse_message(event: ChangeEvent) -> str:
    return f"id: {event.seq}\nevent: change\ndata: {event.model_dump_json()}\n\n"


def _read(engine: Engine, after: int) -> list[ChangeEvent]:
    with Session(engine) as session:
        return events_after(session, after, STREAM_BATCH)


async def event_stream(
    request: Request, engine: Engine, feed: FeedTailer, after: int
) -> AsyncIterator[str]:
    """Replay everything after `after`, then follow the feed until the client or server leaves."""
    cursor = after
    last_sent = time.monotonic()
    with feed.subscribe() as woken:
        while not feed.stopped:
            woken.clear()  # before reading: a wake-up during the read is not lost
            events = await run_in_threadpool(_read, engine, cursor)
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
    _user: DeskUser,
    after: Annotated[int, Query(ge=0)] = 0,
) -> StreamingResponse:
    """Server-sent events: everything after `after`, then live changes from every process."""
    return StreamingResponse(
        event_stream(request, engine, feed, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
