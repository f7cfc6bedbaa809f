"""Urges read and answered: the list (a technician sees only urges addressed to him; desk
roles all, with filters and paging) and the one reply, by whom the urge was addressed to, from
the version seen (core.sla.urging.may_reply; 403 otherwise, 409 when already answered or stale).
The reply is put on the order's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, Refused
from core.orders.lifecycle import Role
from core.services.sla.deadlines import read_step
from core.sla.urging import Target, may_read, may_reply
from core.storage.audited import Named, check_version
from core.storage.sla import urges as stored
from core.storage.sla.urges import NOBODY, REPLY_EVENT, SlaUrgeRecord, UrgeQuery
from core.storage.uow import UnitOfWork

NAME = Named("该催单", "the urge")


@dataclass(frozen=True)
class Reader:
    """Who asks: his role and, for a technician, which one he is."""

    username: str
    role: Role
    technician_id: int | None = None


def _readable(urge: SlaUrgeRecord | None, urge_id: int, who: Reader) -> SlaUrgeRecord:
    if urge is None or urge.target == NOBODY:
        raise NotFound(f"没有催单 {urge_id} (no urge {urge_id})")
    if not may_read(Target(urge.target), urge.technician_id, who.role, who.technician_id):
        raise Refused("这不是催你的单 (this urge is not addressed to you)")
    return urge


def handle_list_urges(q: UrgeQuery, who: Reader,
                      session: Session) -> list[tuple[SlaUrgeRecord, str]]:
    """A technician's list is always his own, whatever he asks for."""
    if q.step is not None:
        read_step(q.step, ("query", "step"))
    if who.role is Role.TECHNICIAN:
        if who.technician_id is None:
            return []
        q = UrgeQuery(**{**q.__dict__, "technician_id": who.technician_id})
    return stored.list_urges(session, q)


def handle_read_urge(urge_id: int, who: Reader, session: Session) -> SlaUrgeRecord:
    return _readable(session.get(SlaUrgeRecord, urge_id), urge_id, who)


@dataclass(frozen=True)
class ReplyToUrge:
    urge_id: int
    text: str
    version: int
    who: Reader


def handle_reply(cmd: ReplyToUrge, uow: UnitOfWork) -> SlaUrgeRecord:
    with uow:
        urge = _readable(stored.locked_urge(uow.session, cmd.urge_id), cmd.urge_id, cmd.who)
        who = cmd.who
        if not may_reply(Target(urge.target), urge.technician_id, who.role, who.technician_id):
            raise Refused("只有被催的人可以回复 (only whom the urge addresses may answer it)")
        if urge.replied_at is not None:
            raise Conflict(f"该催单已由 {urge.replied_by} 回复 (already answered)",
                           current_version=urge.version)
        check_version(NAME, cmd.version, urge.version)
        now = uow.clock.now()
        urge.reply, urge.replied_by, urge.replied_role = cmd.text, who.username, who.role.value
        urge.replied_at, urge.version = now, urge.version + 1
        uow.session.flush()
        stored.append_order_note(uow.session, urge.order_id, REPLY_EVENT, who.username,
                                 who.role.value, cmd.text, now,
                                 {"urge_id": urge.id, "target": urge.target})
        uow.commit()
        return urge


def handle_urge_counts(session: Session) -> dict[str, int]:
    """Urges (addressed to somebody) by source, and how many were answered."""
    return stored.urge_counts(session)
