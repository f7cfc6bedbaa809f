"""Desk users' accounts: an admin lists them and deactivates or reactivates one (with a
reason, from the version seen: 409 if stale); each change is logged (core.storage.audited) and
deactivating ends the account's sessions in the same transaction. An admin cannot deactivate
his own account.

The wire models live here until the console has a screen for them (then core.contracts.people).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.people import UserAccountOut, UserChangeOut, UserUpdate
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.settings import ChangeUser, handle_change_user
from core.storage.people.accounts import UnknownUser, user_log, users
from core.storage.tables import UserRecord

router = APIRouter(prefix="/v1", tags=["users"])
Admin = Annotated[CurrentUser, Depends(allow(Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def account_out(user: UserRecord) -> UserAccountOut:
    return UserAccountOut(id=user.id, username=user.username, display_name=user.display_name,
                          role=Role(user.role), technician_id=user.technician_id,
                          active=bool(user.active), version=user.version)


@router.get("/users", response_model=list[UserAccountOut], responses=PROBLEM_RESPONSES)
def list_users(session: DbSession, _user: Admin) -> list[UserAccountOut]:
    """Every account with whether it is active and its version."""
    return [account_out(u) for u in users(session)]


@router.patch("/users/{user_id}", response_model=UserAccountOut, responses=CONFLICT)
def patch_user(user_id: RowId, body: UserUpdate, user: Admin, uow: Uow) -> UserAccountOut:
    """Deactivate or reactivate an account from the version seen; 409 (with current_version)
    if stale, 403 for one's own account."""
    changed = handle_change_user(ChangeUser(
        user_id, body.version, body.reason, user.username, user.id,
        {"active": body.active}), uow)
    return account_out(changed)


@router.get("/users/{user_id}/log", response_model=list[UserChangeOut],
            responses=PROBLEM_RESPONSES)
def get_user_log(user_id: RowId, session: DbSession, _user: Admin,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[UserChangeOut]:
    """The account's changes, newest first."""
    if session.get(UserRecord, user_id) is None:
        raise UnknownUser(user_id)
    return [UserChangeOut(id=r.id, user_id=int(r.subject), at=r.at, actor=r.actor,
                          reason=r.reason, before=dict(r.before or {}),
                          after=dict(r.after or {}))
            for r in user_log(session, user_id, limit)]
