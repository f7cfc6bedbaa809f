"""The order queue: filters and keyset pagination that stay fast on millions of orders."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    tuple_,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.contracts import OrderRow
from core.errors import Invalid
from core.orders.lifecycle import TERMINAL
from core.storage.orders.views import order_rows_select, row_to_order_row
from core.storage.tables import OrderRecord

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


BIGINT_MAX = 2**63 - 1
MAX_KEY_TEXT = 1000  # longer than any sort column holds


class BadCursor(Invalid):
    """A cursor that was not produced by this sort, or was tampered with (422 naming it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, loc=("query", "cursor"))


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
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise BadCursor("翻页游标无效 (cursor is not one this server handed out)") from exc
    if (c_sort, c_dir) != (sort, direction) or len(values) != len(SORTS[sort]) + 1:
        raise BadCursor("翻页游标属于另一种排序 (cursor belongs to a different sort or direction)")
    for key, value in zip((*SORTS[sort], O.id), values, strict=True):
        if not _fits(key, value):
            raise BadCursor("翻页游标无效 (cursor is not one this server handed out)")
    return values


def _fits(key: InstrumentedAttribute[Any], value: Any) -> bool:
    """Whether a decoded cursor value is one the key column could have held.

    A forged cursor must fail here, not as a driver error in the page query.
    """
    column_type = key.type
    # A TypeDecorator (UTCDateTime) names its Python type through the type it wraps.
    expected = getattr(column_type, "impl", column_type).python_type
    if expected is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if expected is int:
        return type(value) is int and 0 <= value <= BIGINT_MAX
    return isinstance(value, str) and "\x00" not in value and len(value) <= MAX_KEY_TEXT


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_text() -> ColumnElement[str]:
    """The searchable text of an order; PostgreSQL has a trigram index on this expression."""
    space = literal_column("' '", String)  # inline, or the index expression would not match
    return O.order_no + space + O.customer_name + space + O.customer_phone + space + O.address


def city_key() -> ColumnElement[str]:
    """The city part of the county adcode, as the ix_orders_city_* indexes store it."""
    # Inline constants: SQLite uses an expression index only for the very same expression.
    return func.substr(O.county_adcode, literal_column("1"), literal_column("4"))


# The SQLite FTS5 table (trigram tokenizer) over order_no, customer_name, customer_phone and
# address; migration 0003 creates it and its triggers.
_SEARCH = table("orders_search", column("rowid"), column("orders_search"))
SHORT_TERM = 3  # trigram indexes need at least three characters
ORDER_NO = re.compile(r"LM\d{14}", re.IGNORECASE)  # as core.storage.orders.numbers hands them out


def text_condition(q: str, postgres: bool, broad: bool = False) -> ColumnElement[bool]:
    """The free-text filter for a stripped, non-empty `q`.

    * A complete order number ("LM" + 14 digits, any case): that order, by its unique index.
    * Otherwise 3 characters or more: the order number, customer name, customer phone or
      address contains `q`, ignoring case (so a phone's last four digits, part of an order
      number, a street or a full name all match). SQLite answers from the FTS5 trigram index
      `orders_search`, PostgreSQL from the trigram GIN index on search_text(); a term with a
      space may also match across two fields on PostgreSQL.
    * 1 or 2 characters: the customer name starts with `q` (a surname, or a two-character
      name and the three-character names that begin with it), case-sensitive. No index can
      find one or two characters inside text, and these short Chinese names are what a desk
      searches by; a short term does not match inside names, phones, numbers or addresses.

    `broad` (SQLite only, see broad_term): the term matches so many orders that the page is
    found sooner by walking the sort's index and testing each order than by reading every
    match and sorting them; it changes the plan, never the result.
    """
    if ORDER_NO.fullmatch(q):
        return O.order_no == q.upper()
    if len(q) >= SHORT_TERM:
        if postgres:
            return search_text().ilike(f"%{_like(q)}%", escape="\\")
        # "+ 0" keeps SQLite from driving the query by id: it walks the sort index and tests
        # membership in the matches instead.
        order_id = O.id + literal_column("0") if broad else O.id
        return order_id.in_(select(_SEARCH.c.rowid).where(_fts_match(q)))
    if postgres:
        return O.customer_name.like(f"{_like(q)}%", escape="\\")  # ix_orders_customer_prefix
    # A range on the binary-ordered ix_orders_customer: UTF-8 order is code point order, so
    # every name starting with q lies between q and the next prefix. "|| ''" hides the index
    # when the range is too wide to read whole.
    name = O.customer_name + literal_column("''") if broad else O.customer_name
    after = _next_prefix(q)
    if after is None:
        return and_(name >= q, func.substr(name, 1, len(q)) == q)
    return and_(name >= q, name < after)


def _next_prefix(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (None: there is none)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000  # surrogates cannot be encoded: the next code point is U+E000
    return None if last > 0x10FFFF else prefix[:-1] + chr(last)


def _fts_match(q: str) -> ColumnElement[bool]:
    phrase = '"' + q.replace('"', '""') + '"'  # one FTS5 string: a substring, not syntax
    return _SEARCH.c.orders_search.match(phrase)


# From about this many matches on, walking the sort index finds a page sooner than reading
# and sorting every match (measured at 1M orders, a sixth of them open).
BROAD_MATCHES = 20_000


def broad_term(session: Session, q: str, sort: str) -> bool:
    """Whether a SQLite text filter should walk the sort index (see text_condition).

    Counts matches up to BROAD_MATCHES from an index alone (a few ms at the cap).
    """
    if ORDER_NO.fullmatch(q) or (sort == "customer" and len(q) < SHORT_TERM):
        return False  # one order; or the name range is already in the sort's order
    if len(q) >= SHORT_TERM:
        probe = select(_SEARCH.c.rowid).where(_fts_match(q))
    else:
        probe = select(O.id).where(text_condition(q, postgres=False))
    found = session.scalar(
        select(func.count()).select_from(probe.limit(BROAD_MATCHES).subquery())
    )
    return (found or 0) >= BROAD_MATCHES


def _conditions(
    f: QueueFilter, sort: str, postgres: bool, broad: bool
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.states:
        conds.append(O.state.in_(f.states))
    if f.county:
        conds.append(O.county_adcode == f.county)
    if f.city:
        if sort == "county":
            # County adcodes share their city's first four digits: a range of ix_orders_county
            # already in the sort's order.
            conds.append(O.county_adcode.between(f.city[:4] + "00", f.city[:4] + "99"))
        else:
            # Equality on the city key walks ix_orders_city_<sort> in the sort's order; the
            # county range would read the whole city and sort it.
            conds.append(city_key() == f.city[:4])
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
        conds.append(text_condition(f.q.strip(), postgres, broad))
    return conds


def queue_select(
    filters: QueueFilter,
    sort: str = "created_at",
    direction: str = "desc",
    limit: int = 100,
    cursor: str | None = None,
    *,
    postgres: bool = False,
    broad_text: bool = False,
) -> Select[*tuple[Any, ...]]:
    """The page query: filters, the keyset condition after `cursor`, one row more than asked."""
    keys = (*SORTS[sort], O.id)
    stmt = order_rows_select().where(*_conditions(filters, sort, postgres, broad_text))
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
    q = (filters.q or "").strip()
    # PostgreSQL's planner estimates from statistics; SQLite's cannot tell a rare term from a
    # common one, so we measure (see text_condition).
    broad = bool(q) and not postgres and broad_term(session, q, sort)
    stmt = queue_select(filters, sort, direction, limit, cursor, postgres=postgres,
                        broad_text=broad)
    # Plain rows through the connection: nothing here needs the ORM's result processing.
    found = session.connection().execute(stmt).all()
    rows = [row_to_order_row(row) for row in found[:limit]]
    next_cursor = None
    if len(found) > limit:
        last = found[limit - 1]
        keys = (*SORTS[sort], O.id)
        next_cursor = encode_cursor(sort, direction, [getattr(last, k.key) for k in keys])
    return rows, next_cursor
