"""A client's review policy: how long its verified orders wait in review and which of them are
called back (core.fieldwork.followups.ReviewPolicy). An audited setting (audit_log kind
`review_policy`) on the one client-setting mechanism (core.services.fieldwork.client_settings):
changed from the version seen, with a reason; a client without its own follows 'default', and
that the built-in policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from core.fieldwork.followups import BUILT_IN, ReviewPolicy
from core.services.fieldwork.client_settings import ClientSetting, SettingShown
from core.storage.audited import Named
from core.storage.fieldwork.followups import POLICY_LOG_KIND, ReviewPolicyRecord
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

REVIEW_POLICY: ClientSetting[ReviewPolicy] = ClientSetting(
    ReviewPolicyRecord, POLICY_LOG_KIND, Named("回访观察期设置", "review policy"),
    ReviewPolicy.from_values, ReviewPolicy.values, BUILT_IN)


def policy_of_client(session: Session, client_code: str) -> ReviewPolicy:
    return REVIEW_POLICY.of_client(session, client_code)[1]


def handle_show_review_policy(client_code: str, uow: UnitOfWork) -> SettingShown[ReviewPolicy]:
    """A client's policy: its own, or what it inherits (version 0)."""
    return REVIEW_POLICY.show(client_code, uow)


def handle_change_review_policy(client_code: str, values: Mapping[str, Any], version: int,
                                reason: str, actor: str,
                                uow: UnitOfWork) -> SettingShown[ReviewPolicy]:
    """The versioned, audited edit (Stale 409; NoReason and Invalid 422; NotFound 404)."""
    return REVIEW_POLICY.change(client_code, values, version, reason, actor, uow)


def handle_review_policy_log(client_code: str, uow: UnitOfWork,
                             limit: int = 100) -> list[AuditLogRecord]:
    return REVIEW_POLICY.entries(client_code, uow, limit)
