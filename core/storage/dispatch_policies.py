"""Dispatch policies as stored per scope, and a county's effective policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dispatch.policy import Effective, effective, scope_chain
from core.storage.tables import DispatchPolicyRecord


def policy_bodies(session: Session, scopes: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """What each scope sets (all scopes, or only those asked for)."""
    stmt = select(DispatchPolicyRecord.scope, DispatchPolicyRecord.body)
    if scopes is not None:
        stmt = stmt.where(DispatchPolicyRecord.scope.in_(scopes))
    return {scope: dict(body or {}) for scope, body in session.execute(stmt).all()}


def effective_for(session: Session, county_adcode: str | None) -> Effective:
    """The county's policy, inherited along county -> city -> province -> default."""
    chain = scope_chain(county_adcode or "")
    return effective(county_adcode or "", policy_bodies(session, chain))
