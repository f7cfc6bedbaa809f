"""A technician's dispatch settings: supervisors and admins change capacity, skills,
certificates and whether they are active (with a reason, from the version seen); desk roles
read the change log. Deactivating a technician ends his sessions in the same transaction
(core.storage.technician_settings)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, DeskUser, Now, Uow, allow
from core.server.params import RowId
from core.server.people import refusal_counts, technician_out
from core.server.problems import PROBLEM_RESPONSES, ProblemError, field_error
from core.storage.people import technicians
from core.storage.tables import TechnicianRecord
from core.storage.technician_settings import (
    InvalidSetting,
    StaleTechnician,
    UnknownTechnician,
    technician_log,
    update_technician,
)

router = APIRouter(prefix="/v1", tags=["technicians"])
SettingsEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def _unknown(technician_id: int) -> ProblemError:
    return ProblemError(404, str(UnknownTechnician(technician_id)))


@router.patch("/technicians/{technician_id}", response_model=TechnicianOut, responses=CONFLICT)
def patch_technician(technician_id: RowId, body: TechnicianUpdate, user: SettingsEditor,
                     uow: Uow, now: Now) -> TechnicianOut:
    """Change the settings given, from the version seen; 409 (with current_version) if stale."""
    with uow:
        session = uow.session
        try:
            update_technician(session, technician_id, body.changes(), body.version,
                              user.username, body.reason, now)
        except InvalidSetting as exc:
            raise field_error(422, ["body", exc.field], exc.message) from None
        except UnknownTechnician:
            raise _unknown(technician_id) from None
        except StaleTechnician as exc:
            raise ProblemError(409, str(exc), current_version=exc.current) from None
        view = technicians(session, ids=[technician_id])[0]
        out = technician_out(view, refusal_counts(session, now)[technician_id])
        uow.commit()
    return out


@router.get("/technicians/{technician_id}/log", response_model=list[TechnicianChangeOut],
            responses=PROBLEM_RESPONSES)
def get_technician_log(technician_id: RowId, session: DbSession, _user: DeskUser,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100,
                       ) -> list[TechnicianChangeOut]:
    """The technician's setting changes, newest first."""
    if session.get(TechnicianRecord, technician_id) is None:
        raise _unknown(technician_id)
    return [
        TechnicianChangeOut(id=r.id, technician_id=r.technician_id, at=r.at, actor=r.actor,
                            reason=r.reason, before=dict(r.before or {}),
                            after=dict(r.after or {}))
        for r in technician_log(session, technician_id, limit)
    ]
