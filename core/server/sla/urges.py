"""Urges (催单) over HTTP: the list (a technician sees only urges addressed to him; agents,
supervisors and admins all, with filters and paging), one urge, an urge by hand (agents and
supervisors), the one reply (by whom the urge addresses: 403 otherwise, 409 when already
answered or stale), and the urging policy (read by desk roles, changed by a supervisor or admin
from the version seen, with a reason; its log)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from core.contracts.sla_urges import (
    UrgeIn,
    UrgeOut,
    UrgePolicyLogEntry,
    UrgePolicyOut,
    UrgePolicyPut,
    UrgeReplyIn,
)
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, Now, Uow, allow
from core.server.params import PageSize, RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.sla.deadlines import left_at
from core.services.sla.urge_policy import (
    PolicyShown,
    SetUrgePolicy,
    handle_policy_log,
    handle_set_policy,
    handle_show_policy,
)
from core.services.sla.urge_replies import (
    Reader,
    ReplyToUrge,
    handle_list_urges,
    handle_read_urge,
    handle_reply,
)
from core.services.sla.urging import UrgeByHand, handle_urge_by_hand
from core.sla.limit_types import STEP_WORDS, Step
from core.sla.urging import TARGET_WORDS, Target
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.sla.limits import LimitBook
from core.storage.sla.urges import SlaUrgeRecord, UrgeQuery
from core.storage.tables import OrderRecord
from core.text import both

router = APIRouter(prefix="/v1/sla", tags=["SLA urges"])
UrgeReader = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN,
                                                  Role.TECHNICIAN))]
Urger = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR))]
Replier = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.TECHNICIAN))]
PolicyReader = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]
PolicyEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def _reader(user: CurrentUser) -> Reader:
    return Reader(user.username, user.role, user.technician_id)


def urge_out(session: Session, urge: SlaUrgeRecord, order_no: str, now: datetime,
             book: LimitBook) -> UrgeOut:
    """Time left is exact in the limit's clock for an alert's urge, natural time for the
    others; an alert's urge is settled once its step stopped."""
    row = session.get(SlaDeadlineRecord, urge.deadline_id) if urge.deadline_id else None
    if row is not None:
        left: timedelta | None = left_at(row, now, book)
    else:
        left = None if urge.due is None else urge.due - now
    step = f"{STEP_WORDS[Step(urge.step)][0]} ({STEP_WORDS[Step(urge.step)][1]})" \
        if urge.step else ""
    zh, en = TARGET_WORDS[Target(urge.target)]
    return UrgeOut(
        id=urge.id, order_id=urge.order_id, order_no=order_no, source=urge.source,
        step=urge.step, step_name=step, level=urge.level, target=urge.target,
        target_name=both(zh, en), technician_id=urge.technician_id,
        service_point_id=urge.service_point_id, text=urge.text, by_actor=urge.by_actor,
        by_role=urge.by_role, at=urge.at, due=urge.due, time_left=left,
        to_manual=urge.to_manual, settled=row is not None and not row.open,
        platform=urge.platform, reply=urge.reply, replied_by=urge.replied_by,
        replied_role=urge.replied_role, replied_at=urge.replied_at, version=urge.version)


def _one(session: Session, urge: SlaUrgeRecord, now: datetime) -> UrgeOut:
    order_no = session.get_one(OrderRecord, urge.order_id).order_no
    return urge_out(session, urge, order_no, now, LimitBook(session))


@router.get("/urges", response_model=list[UrgeOut], responses=PROBLEM_RESPONSES)
def list_urges(
    user: UrgeReader, session: DbSession, now: Now,
    answered: bool | None = None,
    order_id: Annotated[RowId | None, Query()] = None,
    source: Annotated[str | None, Query(pattern="^(alert|manual|platform)$")] = None,
    target: Annotated[str | None, Query(
        pattern="^(technician|service_point|supervisor|desk)$")] = None,
    step: Annotated[str | None, Query(max_length=16)] = None,
    limit: PageSize = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[UrgeOut]:
    """Unanswered first, then by deadline (soonest first), then newest."""
    found = handle_list_urges(UrgeQuery(None, order_id, answered, source, target, step,
                                        limit, offset), _reader(user), session)
    book = LimitBook(session)
    return [urge_out(session, u, no, now, book) for u, no in found]


@router.get("/urges/{urge_id}", response_model=UrgeOut, responses=PROBLEM_RESPONSES)
def get_urge(urge_id: RowId, user: UrgeReader, session: DbSession, now: Now) -> UrgeOut:
    return _one(session, handle_read_urge(urge_id, _reader(user), session), now)


@router.post("/urges", response_model=UrgeOut, status_code=201, responses=CONFLICT)
def urge_by_hand(body: UrgeIn, user: Urger, uow: Uow, session: DbSession,
                 now: Now) -> UrgeOut:
    urge_id = handle_urge_by_hand(UrgeByHand(body.order_id, body.text, user.username,
                                             user.role, Target(body.target)), uow)
    return _one(session, session.get_one(SlaUrgeRecord, urge_id), now)


@router.post("/urges/{urge_id}/reply", response_model=UrgeOut, responses=CONFLICT)
def reply(urge_id: RowId, body: UrgeReplyIn, user: Replier, uow: Uow, session: DbSession,
          now: Now) -> UrgeOut:
    handle_reply(ReplyToUrge(urge_id, body.text, body.version, _reader(user)), uow)
    return _one(session, session.get_one(SlaUrgeRecord, urge_id), now)


def _policy_out(shown: PolicyShown) -> UrgePolicyOut:
    return UrgePolicyOut(body=shown.policy.as_body(), version=shown.version,
                         updated_by=shown.updated_by, updated_at=shown.updated_at,
                         targets={t.value: both(zh, en)
                                  for t, (zh, en) in TARGET_WORDS.items()})


@router.get("/urge-policy", response_model=UrgePolicyOut, responses=PROBLEM_RESPONSES)
def get_policy(_user: PolicyReader, session: DbSession) -> UrgePolicyOut:
    return _policy_out(handle_show_policy(session))


@router.put("/urge-policy", response_model=UrgePolicyOut, responses=CONFLICT)
def put_policy(body: UrgePolicyPut, user: PolicyEditor, uow: Uow) -> UrgePolicyOut:
    """Replace the urging policy from the version seen (0: the built-in), saying why."""
    return _policy_out(handle_set_policy(
        SetUrgePolicy(body.body, body.version, body.reason, user.username), uow))


@router.get("/urge-policy/log", response_model=list[UrgePolicyLogEntry],
            responses=PROBLEM_RESPONSES)
def policy_log(_user: PolicyReader, session: DbSession,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[UrgePolicyLogEntry]:
    return [UrgePolicyLogEntry(id=r.id, at=r.at, actor=r.actor, reason=r.reason,
                               before=dict(r.before or {}), after=dict(r.after or {}))
            for r in handle_policy_log(session, limit)]
