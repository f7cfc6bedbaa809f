"""Intake settings: clients' audit and coverage policies, the blacklist, and who changed what.

Included before core.server.intake.inbox, whose `POST /v1/intake/{platform}` would otherwise take
`POST /v1/intake/blacklist` for a platform named "blacklist".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from core.contracts.intake import (
    BlacklistEntryIn,
    BlacklistEntryOut,
    BlacklistRemoval,
    ClientPolicyOut,
    ClientPolicyUpdate,
    SettingsChangeOut,
)
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, IntakeUser, Uow, allow
from core.server.params import PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.settings import (
    ChangeClientPolicy,
    ListOnBlacklist,
    RemoveFromBlacklist,
    handle_change_client_policy,
    handle_list_on_blacklist,
    handle_remove_from_blacklist,
)
from core.storage.intake.settings import list_blacklist, list_clients, settings_log

router = APIRouter(prefix="/v1/intake", tags=["intake settings"])
SettingsEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


@router.get("/clients", response_model=list[ClientPolicyOut], responses=PROBLEM_RESPONSES)
def get_clients(session: DbSession, _user: IntakeUser) -> list[ClientPolicyOut]:
    """Every client with its intake policy and version."""
    return list_clients(session)


@router.put("/clients/{code}", response_model=ClientPolicyOut, responses=CONFLICT)
def put_client(code: str, body: ClientPolicyUpdate, user: SettingsEditor,
               uow: Uow) -> ClientPolicyOut:
    """Change a client's policy from the version seen (409 with the current one if stale)."""
    return handle_change_client_policy(ChangeClientPolicy(code, body, user.username), uow)


@router.get("/blacklist", response_model=list[BlacklistEntryOut], responses=PROBLEM_RESPONSES)
def get_blacklist(session: DbSession, _user: IntakeUser,
                  active: Literal["true", "false", "all"] = "true",
                  limit: PageSize = 500) -> list[BlacklistEntryOut]:
    """Blacklist entries, newest first: active ones (default), removed ones, or all."""
    return list_blacklist(session, None if active == "all" else active == "true")[:limit]


@router.post("/blacklist", response_model=BlacklistEntryOut, status_code=201,
             responses=CONFLICT)
def post_blacklist(body: BlacklistEntryIn, user: SettingsEditor, uow: Uow) -> BlacklistEntryOut:
    """List a phone and/or an address; orders arriving from now on are flagged."""
    return handle_list_on_blacklist(ListOnBlacklist(body, user.username), uow)


@router.post("/blacklist/{entry_id}/remove", response_model=BlacklistEntryOut,
             responses=CONFLICT)
def post_blacklist_removal(entry_id: RowId, body: BlacklistRemoval, user: SettingsEditor,
                           uow: Uow) -> BlacklistEntryOut:
    """Take an entry off the list (kept, marked inactive); 409 if already removed."""
    return handle_remove_from_blacklist(
        RemoveFromBlacklist(entry_id, body.reason, user.username), uow)


@router.get("/settings-log", response_model=list[SettingsChangeOut],
            responses=PROBLEM_RESPONSES)
def get_settings_log(session: DbSession, _user: IntakeUser,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[SettingsChangeOut]:
    """Changes of client policies and the blacklist, newest first."""
    return settings_log(session, limit)
