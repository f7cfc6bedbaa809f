"""A technician's dispatch settings: supervisors and admins change capacity, skills,
certificates and whether they are active (with a reason, from the version seen); desk roles
read the change log. Deactivating a technician ends his sessions in the same transaction
(core.services.settings)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, DeskUser, Now, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.candidates import refusal_counts, technician_out
from core.services.settings import ChangeTechnicianSettings, handle_change_technician_settings
from core.storage.people.accounts import technicians
from core.storage.people.technician_settings import UnknownTechnician, technician_log
from core.storage.tables import TechnicianRecord

router = APIRouter(prefix="/v1", tags=["technicians"])
SettingsEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


@router.patch("/technicians/{technician_id}", response_model=TechnicianOut, responses=CONFLICT)
def patch_technician(technician_id: RowId, body: TechnicianUpdate, user: SettingsEditor,
                     uow: Uow, session: DbSession, now: Now) -> TechnicianOut:
    """Change the settings given, from the version seen; 409 (with current_version) if stale."""
    handle_change_technician_settings(ChangeTechnicianSettings(
        technician_id, body.changes(), body.version, body.reason, user.username), uow)
    view = technicians(session, ids=[technician_id])[0]
    return technician_out(view, refusal_counts(session, now)[technician_id])


@router.get("/technicians/{technician_id}/log", response_model=list[TechnicianChangeOut],
            responses=PROBLEM_RESPONSES)
def get_technician_log(technician_id: RowId, session: DbSession, _user: DeskUser,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100,
                       ) -> list[TechnicianChangeOut]:
    """The technician's setting changes, newest first."""
    if session.get(TechnicianRecord, technician_id) is None:
        raise UnknownTechnician(technician_id)
    return [
        TechnicianChangeOut(id=r.id, technician_id=r.technician_id, at=r.at, actor=r.actor,
                            reason=r.reason, before=dict(r.before or {}),
                            after=dict(r.after or {}))
        for r in technician_log(session, technician_id, limit)
    ]
