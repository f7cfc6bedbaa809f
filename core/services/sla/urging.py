"""Urging (催单) as use cases: the urge round that turns recorded warnings and breaches into
urges (core.sla.urging decides whom; a breach may take the order back to manual dispatch), an
urge by hand and a platform's urge through intake (the list and the reply:
core.services.sla.urge_replies; the policy: core.services.sla.urge_policy).

The round follows the alerts' timeline events in the order the scan recorded them, from the
last one handled (core.storage.sla.urges.unurged_alerts), and gives each alert one urge row,
unique on its sla_deadlines row (addressed to nobody when the policy urges nobody at that level
or the step stopped meanwhile), so a restart or a second round never urges twice. Every urge
and reply is put on the order's timeline (who, when, what) without changing the order's
version. The server runs `handle_urge_round` after each deadline scan
round (core.server.sla_scan); a simulation calls it after the scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, Refused
from core.orders import commands
from core.orders.dispatching import fit_note
from core.orders.lifecycle import TERMINAL, DispatchMode, OrderState, RefusalCode, Role
from core.orders.model import Actor
from core.services.sla.deadlines import alert_words
from core.services.sla.urge_policy import current_policy
from core.sla.limit_types import Level, Step
from core.sla.urging import (
    FIELD_TARGETS,
    MAX_URGE_TEXT,
    TARGET_WORDS,
    Source,
    Target,
    ToManual,
    addressee,
    manual_move,
)
from core.storage.sla import urges as stored
from core.storage.sla.deadlines import SlaDeadlineRecord, refresh_deadlines
from core.storage.sla.urges import URGE_EVENT, SlaUrgeRecord
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork
from core.text import with_words

log = logging.getLogger(__name__)
URGER = Actor("sla", Role.SYSTEM)  # the backend's urge round: no login shares the name
BREACH_CODE = "sla_breach"
LEVEL_ASK = {Level.NOTICE: ("请尽快处理", "please act soon"),
             Level.WARNING: ("请立即处理", "act now"),
             Level.SEVERE: ("已超时，请主管介入", "breached: the supervisor steps in")}


@dataclass(frozen=True)
class UrgeRound:
    batch: int = 500  # alerts handled per round at most


@dataclass(frozen=True)
class RoundUrge:
    urge_id: int
    order_id: int
    target: Target
    to_manual: ToManual | None


def _alert_text(row: SlaDeadlineRecord, left: timedelta, target: Target | None) -> str:
    """The urge in Chinese, then in English (each whole: the console shows one of them)."""
    zh, en = LEVEL_ASK[Level(row.level)]
    who_zh, who_en = TARGET_WORDS[target or Target.NONE]
    said_zh, said_en = alert_words(row, left)
    return fit_note(f"催单（{who_zh}）：{zh}。{said_zh} (urge to the {who_en}: {en}. {said_en})",
                    MAX_URGE_TEXT)


def _move(uow: UnitOfWork, order_id: int, move: ToManual, why: str, now: datetime) -> bool:
    """Take the order back to manual dispatch; False when it cannot (changed meanwhile)."""
    order = uow.orders.get(order_id)
    if order is None:
        return False
    cmd: commands.Command = (
        commands.Escalate(mode=DispatchMode.MANUAL, code=BREACH_CODE, note=why)
        if move is ToManual.ESCALATED else
        commands.Withdraw(code=RefusalCode.TIMEOUT, mode=DispatchMode.MANUAL, note=why))
    try:
        with uow.session.begin_nested():
            order.apply(cmd, URGER, now, why)
            uow.orders.save(order)
    except Exception as exc:  # the urge still goes out; a person sees the order anyway
        uow.orders.touched[:] = [o for o in uow.orders.touched if o is not order]
        log.warning("SLA urge: order %s could not go back to manual dispatch: %s",
                    order_id, exc)
        return False
    return True


def handle_urge_round(cmd: UrgeRound, uow: UnitOfWork) -> list[RoundUrge]:
    """Urge for every recorded warning and breach not urged yet, once each."""
    with uow:
        now, session = uow.clock.now(), uow.session
        alerts = stored.unurged_alerts(session, cmd.batch)
        if not alerts:
            return []
        policy = current_policy(session)
        lefts = stored.alert_lefts(session, [a.event_seq for a in alerts if a.event_seq])
        orders = {o.id: o for o in session.scalars(select(OrderRecord).where(
            OrderRecord.id.in_({a.order_id for a in alerts})))}
        out: list[RoundUrge] = []
        notes: list[tuple[dict[str, object], int]] = []
        for row in alerts:
            order = orders[row.order_id]
            level, urging = Level(row.level), policy.of(Step(row.step))
            point = stored.point_of(session, order.technician_id)
            target = addressee(level, urging, order.technician_id is not None, point is not None)
            mode = DispatchMode(order.dispatch_mode) if order.dispatch_mode else None
            move = manual_move(level, urging, OrderState(order.state), mode)
            if not row.open:  # the step stopped since it was told: handled, nobody urged
                target, move = None, None
            text = _alert_text(row, lefts.get(row.event_seq or 0, timedelta(0)), target)
            urge_id = stored.add_urge(session, {
                "order_id": row.order_id, "source": Source.ALERT.value, "deadline_id": row.id,
                "step": row.step, "level": row.level,
                "target": (target or Target.NONE).value, "technician_id": order.technician_id,
                "service_point_id": point, "text": text, "by_actor": URGER.name,
                "by_role": URGER.role.value, "at": now, "due": row.due,
                "to_manual": ""}, unique=["deadline_id"])
            if urge_id is None:  # another round handled it meanwhile
                continue
            done = move is not None and _move(uow, row.order_id, move, text, now)
            if done and move is not None:
                session.get_one(SlaUrgeRecord, urge_id).to_manual = move.value
            if target is not None:
                out.append(RoundUrge(urge_id, row.order_id, target, move if done else None))
                notes.append(({"target": target.value, "step": row.step,
                               "level": row.level, "text": text}, urge_id))
        # The moved orders' deadlines follow their change now, so commit writes no deadline row
        # after the event lock the timeline notes below take (it must be the last lock).
        refresh_deadlines(session, {o.id for o in uow.orders.touched if o.id is not None},
                          pending=uow.orders.pending_event_rows())
        for note, urge_id in notes:
            urge = session.get_one(SlaUrgeRecord, urge_id)
            stored.append_order_note(session, urge.order_id, URGE_EVENT, URGER.name,
                                     URGER.role.value, urge.text, now,
                                     {"urge_id": urge_id, "source": urge.source, **note})
        uow.commit()
    if out:
        log.info("SLA: %d urges sent", len(out))
    return out


def _open_order(session: Session, order_id: int, loc: tuple[str, ...]) -> OrderRecord:
    order = session.get(OrderRecord, order_id)
    if order is None:
        raise NotFound(f"没有工单 {order_id} (no order {order_id})", loc=loc)
    if OrderState(order.state) in TERMINAL:
        raise Conflict(f"工单 {order.order_no} 已结束，无需催单 (the order has ended: nothing "
                       f"to urge)")
    return order


def _field_target(wanted: Target, order: OrderRecord, point: int | None) -> Target:
    if wanted in FIELD_TARGETS and order.technician_id is None:
        raise Conflict("工单还没有师傅，无人可催 (no technician on the order yet)")
    if wanted is Target.SERVICE_POINT and point is None:
        raise Conflict("师傅不属于服务网点 (the technician has no service point)")
    return wanted


@dataclass(frozen=True)
class UrgeByHand:
    order_id: int
    text: str
    actor: str
    role: Role
    target: Target = Target.TECHNICIAN


@dataclass(frozen=True)
class PlatformUrge:
    """A platform's 催单 as intake read it: `ref` is the platform's own id of the message (a
    re-sent message joins once)."""

    order_id: int
    platform: str
    ref: str
    text: str


def _urge(session: Session, order: OrderRecord, source: Source, target: Target, text: str,
          actor: str, role: str, now: datetime, extra: dict[str, object]) -> int | None:
    point = stored.point_of(session, order.technician_id)
    urge_id = stored.add_urge(session, {
        "order_id": order.id, "source": source.value, "deadline_id": None, "step": "",
        "level": "", "target": target.value, "technician_id": order.technician_id,
        "service_point_id": point, "text": text, "by_actor": actor, "by_role": role,
        "at": now, "due": stored.next_due(session, order.id), "to_manual": "", **extra},
        unique=["platform", "platform_ref"] if extra else ())
    if urge_id is not None:
        stored.append_order_note(session, order.id, URGE_EVENT, actor, role, text, now,
                                 {"urge_id": urge_id, "source": source.value,
                                  "target": target.value, "text": text})
    return urge_id


def handle_urge_by_hand(cmd: UrgeByHand, uow: UnitOfWork) -> int:
    """An agent or supervisor urges the order's technician (or his point, or the supervisor)."""
    if cmd.role not in (Role.AGENT, Role.SUPERVISOR):
        raise Refused("只有客服和主管可以催单 (only agents and supervisors urge)")
    if cmd.target in (Target.NONE, Target.DESK):
        raise Conflict(f"不能催{TARGET_WORDS[cmd.target][0]} "
                       f"(cannot urge the {TARGET_WORDS[cmd.target][1]})")
    with uow:
        order = _open_order(uow.session, cmd.order_id, ("body", "order_id"))
        target = _field_target(cmd.target, order, stored.point_of(uow.session,
                                                                  order.technician_id))
        urge_id = _urge(uow.session, order, Source.MANUAL, target, cmd.text, cmd.actor,
                        cmd.role.value, uow.clock.now(), {})
        uow.commit()
    assert urge_id is not None
    return urge_id


def record_platform_urge(session: Session, cmd: PlatformUrge, now: datetime) -> int:
    """Put a platform's urge on the list inside the caller's transaction (intake's): to the
    order's technician, or to the desk while it has none. The same message twice: the urge
    already there. NotFound for an unknown order; an ended order still keeps it (the platform
    said it)."""
    order = session.get(OrderRecord, cmd.order_id)
    if order is None:
        raise NotFound(f"没有工单 {cmd.order_id} (no order {cmd.order_id})")
    target = Target.TECHNICIAN if order.technician_id is not None else Target.DESK
    text = fit_note(with_words(f"平台催单（{cmd.platform}） (platform urge: {cmd.platform})",
                               cmd.text), MAX_URGE_TEXT)
    found = _urge(session, order, Source.PLATFORM, target, text, fit_note(cmd.platform, 64),
                  Role.SYSTEM.value, now, {"platform": cmd.platform, "platform_ref": cmd.ref})
    if found is not None:
        return found
    return stored.platform_urge_id(session, cmd.platform, cmd.ref)


def handle_platform_urge(cmd: PlatformUrge, uow: UnitOfWork) -> int:
    """A platform's urge in its own transaction (record_platform_urge)."""
    with uow:
        urge_id = record_platform_urge(uow.session, cmd, uow.clock.now())
        uow.commit()
    return urge_id
