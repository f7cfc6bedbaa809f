"""Pull-style sources on a schedule: ERP export folders and HTTP endpoints, cursors persisted.

A folder source imports each file once, in (mtime_ns, name) order; the cursor is the last file
imported, so a restart never imports a file again. A file that cannot be read (permission
denied, a directory or a broken link named like an export) is kept as a dead letter with the
reason and passed over, so one bad file never holds back the files after it. An HTTP source
is asked for `?since=cursor`; the cursor is the newest `modified_at` among the orders it
returned.

`handle_poll` is one round over every source, the use case; the server runs it on a schedule
in a worker thread (core.server.intake.poller), so its event loop never waits on it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from core.contracts.intake import Channel, IntakeReceipt
from core.intake.adapters import get_adapter, read
from core.intake.errors import IntakeError, PayloadRejected
from core.intake.model import PlatformOrder
from core.services.intake.commands import Ingest, IngestRecords, KeepUnusable
from core.services.intake.ingest import (
    EnvelopeRejected,
    handle_ingest,
    handle_ingest_records,
    handle_keep_unusable,
)
from core.storage.intake.clients import polled_sources
from core.storage.intake.cursors import read_cursor, write_cursor
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
ERP_INBOX_SOURCE = "erp-inbox"
CONTENT_TYPES = {".csv": "text/csv", ".json": "application/json"}
# A file younger than this may still be being written by the exporting system.
SETTLE_SECONDS = 2.0


@dataclass(frozen=True)
class Source:
    key: str
    platform: str
    kind: str  # folder | http
    location: str


@dataclass
class Polled:
    """What one source gave in one round."""

    source: str
    items: list[str] = field(default_factory=list)  # files imported, or the URL fetched
    unreadable: list[str] = field(default_factory=list)  # files kept as dead letters unread
    receipts: list[IntakeReceipt] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class PollSources:
    """One round over every active folder and HTTP source, and the ERP inbox folder when one
    is given (the server takes it from LASTMILE_ERP_INBOX). `http` is the client for HTTP
    sources (None: one made for the round); a file younger than `settle_seconds` waits."""

    erp_inbox: str | None = None
    http: httpx.Client | None = None
    settle_seconds: float = SETTLE_SECONDS


def sources(session: Session, erp_inbox: str | None = None) -> list[Source]:
    """The active folder and HTTP sources, and the ERP inbox folder when given."""
    found = [Source(s.key, s.platform, s.kind, s.location) for s in polled_sources(session)]
    if erp_inbox and not any(s.key == ERP_INBOX_SOURCE for s in found):
        found.append(Source(ERP_INBOX_SOURCE, "erp", "folder", erp_inbox))
    return found


def handle_poll(cmd: PollSources, uow: UnitOfWork) -> list[Polled]:
    """What each source gave; a failing source is logged and the others still run. The
    intake handlers enter `uow` once per transaction (one per record)."""
    with uow.reads() as session:
        found = sources(session, cmd.erp_inbox)
    results = []
    for source in found:
        try:
            if source.kind == "folder":
                results.append(_poll_folder(uow, source, cmd.settle_seconds))
            else:
                with contextlib.ExitStack() as stack:
                    client = cmd.http or stack.enter_context(httpx.Client(timeout=30))
                    results.append(_poll_http(uow, source, client))
        except (OSError, httpx.HTTPError, IntakeError) as exc:
            log.warning("polling %s failed: %s", source.key, exc)
            results.append(Polled(source.key, error=str(exc)))
    return results


def _file_cursor(raw: str | None) -> tuple[int, str]:
    if not raw:
        return (-1, "")
    mtime, _, name = raw.partition(":")
    return (int(mtime), name) if mtime.lstrip("-").isdigit() else (-1, "")


def shown_name(name: str) -> str:
    """A file name as text a cursor and a message can hold: bytes that are not UTF-8 (a name
    from another system's encoding) escaped as \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def _waiting(folder: Path) -> list[tuple[int, str, Path]]:
    """(mtime_ns, shown name, path) of every export-like entry, oldest first."""
    found = []
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.suffix.lower() not in CONTENT_TYPES:
            continue
        try:
            mtime = entry.stat().st_mtime_ns
        except OSError:
            try:  # a broken link: recorded as unreadable when its turn comes
                mtime = entry.lstat().st_mtime_ns
            except OSError:
                continue  # gone meanwhile
        found.append((mtime, shown_name(entry.name), entry))
    return sorted(found)


def _unreadable(uow: UnitOfWork, source: Source, name: str, content_type: str,
                error: OSError) -> None:
    why = error.strerror or type(error).__name__
    message_id = handle_keep_unusable(KeepUnusable(
        source.platform, b"", content_type, Channel.POLL,
        PayloadRejected("", f"无法读取文件 {name}：{why}；修复后请重新导出 "
                            f"(cannot read the file {name}: {why}; export it again once fixed)"),
        source.key), uow)
    log.warning("%s: file %s cannot be read (%s); kept as dead letter %s", source.key, name,
                why, message_id)


def _poll_folder(uow: UnitOfWork, source: Source, settle_seconds: float) -> Polled:
    folder = Path(source.location)
    with uow.reads() as session:
        cursor = _file_cursor(read_cursor(session, source.key))
    polled = Polled(source.key)
    settled_before = (uow.clock.now().timestamp() - settle_seconds) * 1e9
    for mtime, name, path in _waiting(folder):
        if (mtime, name) <= cursor:
            continue
        if mtime > settled_before:
            break  # this one and every later file may still be being written
        content_type = CONTENT_TYPES[path.suffix.lower()]
        try:
            body = path.read_bytes()
        except OSError as exc:
            _unreadable(uow, source, name, content_type, exc)
            polled.unreadable.append(name)
        else:
            try:
                polled.receipts.append(handle_ingest(Ingest(
                    source.platform, body, content_type, Channel.POLL, source.key), uow))
            except EnvelopeRejected as exc:
                log.warning("%s: file %s kept as dead letter %s: %s", source.key, name,
                            exc.message_id, exc.error)
        polled.items.append(name)
        with uow:
            write_cursor(uow.session, source.key, f"{mtime}:{name}", uow.clock.now())
            uow.commit()
    return polled


def _poll_http(uow: UnitOfWork, source: Source, client: httpx.Client) -> Polled:
    with uow.reads() as session:
        cursor = read_cursor(session, source.key)
    response = client.get(source.location, params={"since": cursor} if cursor else {})
    response.raise_for_status()
    body = response.content
    content_type = response.headers.get("content-type", "application/json")
    adapter = get_adapter(source.platform)
    polled = Polled(source.key, items=[source.location])
    try:
        parsed = read(adapter, body, content_type)
    except PayloadRejected as exc:
        handle_keep_unusable(KeepUnusable(adapter.name, body, content_type, Channel.POLL, exc,
                                          source.key), uow)
        polled.error = str(exc)
        return polled
    seen = datetime.fromisoformat(cursor) if cursor else None
    # `since` may be inclusive: orders not newer than the cursor were taken in last round.
    fresh = [(record, order) for record, order in parsed
             if not (isinstance(order, PlatformOrder) and seen is not None
                     and order.modified_at is not None and order.modified_at <= seen)]
    if fresh:
        polled.receipts.append(handle_ingest_records(IngestRecords(
            adapter.name, fresh, content_type, Channel.POLL, source.key), uow))
    times = [o.modified_at for _, o in fresh
             if isinstance(o, PlatformOrder) and o.modified_at is not None]
    if times and (seen is None or max(times) > seen):
        with uow:
            write_cursor(uow.session, source.key, max(times).isoformat(), uow.clock.now())
            uow.commit()
    return polled
