"""Settings stored per region scope ('' default, a province, city or county adcode): a row per
scope holding only what that scope sets (`body`), changed from the version seen, audited.

Dispatch policies (core.storage.dispatch.policies) and SLA time limits (core.storage.sla.limits)
are stored this way; core.geo.scopes merges the bodies along a county's chain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.tables import Base


class ScopedRow(Protocol):
    scope: Any
    body: Any
    version: Any
    updated_by: Any
    updated_at: Any


Row = TypeVar("Row", bound=Base)


def scoped_bodies(session: Session, scope_column: InstrumentedAttribute[str],
                  body_column: InstrumentedAttribute[dict[str, Any]],
                  scopes: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """What each scope sets (all scopes, or only those asked for)."""
    stmt = select(scope_column, body_column)
    if scopes is not None:
        stmt = stmt.where(scope_column.in_(scopes))
    return {scope: dict(body or {}) for scope, body in session.execute(stmt).all()}


def put_scope_body(session: Session, record: type[Row], scope_column: InstrumentedAttribute[str],
                   log: AuditLog[Any, str], scope: str, after: Mapping[str, Any], version: int,
                   audit: Audit, name: Named) -> Row:
    """Replace what `scope` sets with `after` (already checked), from the version seen (0: it
    sets nothing yet); Stale (409) when someone changed it meanwhile."""
    row = lock(session, record, scope_column == scope)
    new = row is None
    if row is None:
        row = record(scope=scope, body={}, version=0, updated_by=audit.actor,
                     updated_at=audit.at)
        session.add(row)
    held: Any = row
    before = dict(held.body or {})
    # A scope that sets nothing may be set from version 0 too: a console that never saw it
    # (or saw it removed) has no other version to send.
    seen = held.version if version == 0 and not before else version
    changed = log.change(session, scope, held, seen=seen, name=name, before=before,
                         after=dict(after), audit=audit, write=_writer(held, audit.actor,
                                                                       audit.at))
    if new and not changed:
        session.expunge(row)  # an empty body for a scope that sets nothing: nothing to keep
    return row


def _writer(row: ScopedRow, actor: str, at: datetime) -> Callable[[dict[str, Any]], None]:
    def write(values: dict[str, Any]) -> None:
        row.body, row.updated_by, row.updated_at = values, actor, at
    return write
