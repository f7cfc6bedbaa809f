"""Who an order was released from (refused, timed out, taken back): one query over the order
events, judged by core.dispatch.refusals, for the desk's counts, the candidates' breaks, the
grab pool and the dispatch round alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.dispatch.refusals import RELEASE_EVENTS, Released, released
from core.storage.tables import OrderEventRecord

E = OrderEventRecord


@dataclass(frozen=True)
class Release:
    """One release of one order, when it happened."""

    order_id: int
    at: datetime
    what: Released


@dataclass(frozen=True)
class Refusal:
    """A refusal or acceptance timeout, as the desk counts them."""

    technician_id: int
    at: datetime
    code: str
    timeout: bool


def releases(session: Session, *, order_ids: Iterable[int] | Select[Any] | None = None,
             since: datetime | None = None) -> list[Release]:
    """Releases of the given orders (ids, or a select of ids), or of all orders since a time,
    oldest first. Judged in Python, not SQL: JSON paths differ between SQLite and PostgreSQL,
    and an order has only a handful of such events."""
    stmt = select(E.order_id, E.kind, E.data, E.at).where(E.kind.in_(RELEASE_EVENTS))
    if order_ids is not None:
        if isinstance(order_ids, Select):
            stmt = stmt.where(E.order_id.in_(order_ids))
        else:
            ids = list(order_ids)
            if not ids:
                return []
            stmt = stmt.where(E.order_id.in_(ids))
    if since is not None:
        stmt = stmt.where(E.at >= since)
    found = []
    for order_id, kind, data, at in session.execute(stmt.order_by(E.seq)).all():
        what = released(kind, data)
        if what is not None:
            found.append(Release(order_id, at, what))
    return found


def refusals(session: Session, *, order_id: int | None = None,
             since: datetime | None = None) -> list[Refusal]:
    """Refusals and acceptance timeouts (turned down), of one order or of all since a time."""
    return [Refusal(r.what.technician_id, r.at, r.what.code, r.what.timeout)
            for r in releases(session, order_ids=None if order_id is None else [order_id],
                              since=since)
            if r.what.turned_down]
