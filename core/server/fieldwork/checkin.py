"""Check-in routes: the technician checks in on his order (a desk person may record it for him,
saying why), the desk lists an order's check-ins, supervisors set a region's tolerance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from core.contracts.fieldwork.checkin import (
    CheckInOut,
    CheckInRequest,
    CheckInResult,
    EffectiveToleranceOut,
    FlagOut,
    LatLngOut,
    PositionOut,
    ToleranceLogEntry,
    ToleranceOut,
    TolerancePut,
)
from core.fieldwork.position import Fix
from core.geo.regions import load_regions
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DeskUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.checkin import (
    ListCheckIns,
    RecordCheckIn,
    SetTolerance,
    handle_check_in,
    handle_list_check_ins,
    handle_list_tolerances,
    handle_region_tolerance,
    handle_set_tolerance,
    handle_tolerance_log,
)
from core.storage.fieldwork.checkins import CheckInRecord, CheckinToleranceRecord

router = APIRouter(prefix="/v1", tags=["check-in"])
# Who checks in: the technician himself, or the desk's field roles for him (the lifecycle's).
CheckInUser = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR,
                                                    Role.ADMIN))]
# Who reads positions near a customer's home: the roles that see the full address.
ReviewUser = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]
ToleranceEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
Adcode = Annotated[str, Path(pattern=r"^\d{6}$", description="a county, city or province")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def check_in_out(row: CheckInRecord) -> CheckInOut:
    position = None
    if row.wgs_lat is not None and row.wgs_lng is not None and row.fix_at is not None:
        position = PositionOut(lat=row.wgs_lat, lng=row.wgs_lng, accuracy_m=row.accuracy_m or 0,
                               fix_at=row.fix_at)
    gcj = (LatLngOut(lat=row.gcj_lat, lng=row.gcj_lng)
           if row.gcj_lat is not None and row.gcj_lng is not None else None)
    return CheckInOut(
        id=row.id, order_id=row.order_id, technician_id=row.technician_id, outcome=row.outcome,
        distance_m=row.distance_m, tolerance_m=row.tolerance_m, tolerance_from=row.tolerance_from,
        point=row.point, position=position, gcj02=gcj, at=row.at, recorded_by=row.recorded_by,
        recorded_role=row.recorded_role, reason=row.reason)


@router.post("/orders/{order_id}/check-in", response_model=CheckInResult, responses=CONFLICT)
def check_in(order_id: RowId, body: CheckInRequest, user: CheckInUser,
             uow: Uow) -> CheckInResult:
    """Check in on an appointed order with the device's position (or null: none). The outcome
    (inside, outside, skipped, stale, inaccurate, no_address_point) is recorded and flagged,
    never refused."""
    p = body.position
    fix = Fix(p.lat, p.lng, p.accuracy_m, p.fix_at) if p is not None else None
    done = handle_check_in(RecordCheckIn(order_id, body.version, user.actor, fix, body.reason),
                           uow)
    return CheckInResult(
        order_id=order_id, version=done.order.version, state=done.order.state.value,
        check_in=check_in_out(done.check_in), text=done.judgement.text(),
        flags=[FlagOut(kind=f.kind.value, text=f.text(), detail=f.detail)
               for f in done.judgement.flags])


@router.get("/orders/{order_id}/check-ins", response_model=list[CheckInOut],
            responses=PROBLEM_RESPONSES)
def list_check_ins(order_id: RowId, user: ReviewUser, uow: Uow) -> list[CheckInOut]:
    """An order's check-ins, oldest first, with outcome and distance."""
    return [check_in_out(r) for r in handle_list_check_ins(ListCheckIns(order_id, user.actor),
                                                           uow)]


def _tolerance_out(row: CheckinToleranceRecord) -> ToleranceOut:
    region = load_regions().get(row.adcode)
    return ToleranceOut(adcode=row.adcode, name=region.name if region else "",
                        level=region.level if region else "", tolerance_m=row.tolerance_m,
                        version=row.version, updated_by=row.updated_by,
                        updated_at=row.updated_at)


@router.get("/check-in/tolerances", response_model=list[ToleranceOut],
            responses=PROBLEM_RESPONSES)
def list_tolerances(user: DeskUser, uow: Uow) -> list[ToleranceOut]:
    """Regions that set their own tolerance; every other county follows the rule (a district
    500 m, a county 1 km, a county in Inner Mongolia, Tibet, Qinghai or Xinjiang 3 km)."""
    return [_tolerance_out(r) for r in handle_list_tolerances(uow)]


@router.get("/check-in/tolerances/effective", response_model=EffectiveToleranceOut,
            responses=PROBLEM_RESPONSES)
def effective_tolerance(
    user: DeskUser, uow: Uow,
    county: Annotated[str, Query(pattern=r"^\d{6}$", description="a county adcode")],
) -> EffectiveToleranceOut:
    found = handle_region_tolerance(county, uow)
    return EffectiveToleranceOut(county_adcode=county, tolerance_m=found.tolerance.metres,
                                 source=found.tolerance.source.value)


@router.put("/check-in/tolerances/{adcode}", response_model=ToleranceOut, responses=CONFLICT)
def put_tolerance(adcode: Adcode, body: TolerancePut, user: ToleranceEditor,
                  uow: Uow) -> ToleranceOut:
    """Set a region's tolerance from the version seen (0: it sets none yet); null removes it."""
    row = handle_set_tolerance(SetTolerance(adcode, body.tolerance_m, body.version, body.reason,
                                            user.username), uow)
    assert row is not None  # a removal of nothing is NotFound; a change keeps its row
    return _tolerance_out(row)


@router.get("/check-in/tolerances/{adcode}/log", response_model=list[ToleranceLogEntry],
            responses=PROBLEM_RESPONSES)
def tolerance_log(adcode: Adcode, user: DeskUser, uow: Uow) -> list[ToleranceLogEntry]:
    """A region's tolerance changes, newest first: who, when, why, before and after."""
    return [ToleranceLogEntry(id=e.id, adcode=e.subject, at=e.at, actor=e.actor, reason=e.reason,
                              before=dict(e.before), after=dict(e.after))
            for e in handle_tolerance_log(adcode, uow)]
