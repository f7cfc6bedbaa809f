"""The order queue: filters and keyset pagination that stay fast on millions of orders."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, literal, literal_column, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.contracts import OrderRow
from core.orders.lifecycle import TERMINAL
from core.storage.tables import OrderRecord
from core.storage.views import order_rows_select, to_order_row

O = OrderRecord  # noqa: E741 - short alias keeps the sort table readable
# Sort name -> key columns before the final tie-break on id. Each has a matching index;
# categorical keys add created_at so their index also serves "filter by X, newest first".
SORTS: dict[str, tuple[InstrumentedAttribute[Any], ...]] = {
    "created_at": (O.created_at,),
    "order_no": (O.order_no,),
    "state_changed_at": (O.state_changed_at,),
    "state": (O.state, O.created_at),
    "county": (O.county_adcode, O.created_at),
    "platform": (O.platform, O.created_at),
    "service_type": (O.service_type, O.created_at),
    "customer": (O.customer_name,),
}


class BadCursor(ValueError):
    """A cursor that was not produced by this sort, or was tampered with."""


@dataclass(frozen=True)
class QueueFilter:
    states: list[str] = field(default_factory=list)
    county: str | None = None
    city: str | None = None
    service_type: str | None = None
    platform: str | None = None
    q: str | None = None
    open: bool | None = None
    technician_id: int | None = None


def encode_cursor(sort: str, direction: str, values: list[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([sort, direction, plain], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, direction: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        c_sort, c_dir, plain = json.loads(base64.urlsafe_b64decode(padded))
        values = [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in plain]
    except (ValueError, TypeError, KeyError) as exc:
        raise BadCursor("cursor is not one this server handed out") from exc
    if (c_sort, c_dir) != (sort, direction) or len(values) != len(SORTS[sort]) + 1:
        raise BadCursor("cursor belongs to a different sort or direction")
    return values


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_text() -> ColumnElement[str]:
    """The searchable text of an order; PostgreSQL has a trigram index on this expression."""
    space = literal_column("' '", String)  # inline, or the index expression would not match
    return O.order_no + space + O.customer_name + space + O.customer_phone + space + O.address


def _conditions(f: QueueFilter, postgres: bool) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.states:
        conds.append(O.state.in_(f.states))
    if f.county:
        conds.append(O.county_adcode == f.county)
    if f.city:
        # County adcodes share their city's first four digits, so this is an index range scan.
        conds.append(O.county_adcode.between(f.city[:4] + "00", f.city[:4] + "99"))
    if f.service_type:
        conds.append(O.service_type == f.service_type)
    if f.platform:
        conds.append(O.platform == f.platform)
    if f.open is True:
        conds.append(O.state.not_in([s.value for s in TERMINAL]))
    elif f.open is False:
        conds.append(O.state.in_([s.value for s in TERMINAL]))
    if f.technician_id is not None:
        conds.append(O.technician_id == f.technician_id)
    if f.q and f.q.strip():
        pattern = _like(f.q.strip())
        if postgres:
            conds.append(search_text().ilike(pattern, escape="\\"))
        else:
            conds.append(or_(*(col.ilike(pattern, escape="\\") for col in
                               (O.order_no, O.customer_name, O.customer_phone, O.address))))
    return conds


def queue_select(
    filters: QueueFilter,
    sort: str = "created_at",
    direction: str = "desc",
    limit: int = 100,
    cursor: str | None = None,
    *,
    postgres: bool = False,
) -> Select[OrderRecord, str]:
    """The page query: filters, the keyset condition after `cursor`, one row more than asked."""
    keys = (*SORTS[sort], O.id)
    stmt = order_rows_select().where(*_conditions(filters, postgres))
    if cursor:
        values = decode_cursor(cursor, sort, direction)
        # A row-value comparison is one index range condition on both SQLite and PostgreSQL.
        after = tuple_(*keys)
        bound = tuple_(*(literal(v, k.type) for k, v in zip(keys, values, strict=True)))
        stmt = stmt.where(and_(after < bound if direction == "desc" else after > bound))
    order = [k.desc() if direction == "desc" else k.asc() for k in keys]
    return stmt.order_by(*order).limit(limit + 1)


def queue_page(
    session: Session,
    filters: QueueFilter,
    sort: str = "created_at",
    direction: str = "desc",
    limit: int = 100,
    cursor: str | None = None,
) -> tuple[list[OrderRow], str | None]:
    """One page of the queue and the cursor for the next page (None on the last page)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = queue_select(filters, sort, direction, limit, cursor, postgres=postgres)
    found = session.execute(stmt).all()
    rows = [to_order_row(rec, name) for rec, name in found[:limit]]
    next_cursor = None
    if len(found) > limit:
        last = found[limit - 1][0]
        keys = (*SORTS[sort], O.id)
        next_cursor = encode_cursor(sort, direction, [getattr(last, k.key) for k in keys])
    return rows, next_cursor
