"""Verification codes: issue (the desk, or the appointment), reissue, the technician's check,
the status the desk sees (never the code), and a client's code policy.

A code's SMS is queued in the transaction that issues the code and sent after it commits; a
provider that is down leaves it pending in the outbox (core.services.fieldwork.sms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy.orm import Session

from core.contracts.fieldwork.codes import (
    CodeCheckOut,
    CodeOut,
    CodePolicyOut,
    CodeStatusOut,
    SmsOut,
    SmsStatus,
)
from core.errors import Conflict, Invalid, NotFound, Refused
from core.fieldwork import codes as rule
from core.fieldwork.flags import Flag, FlagKind
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.orders.privacy import FIELD_STATES, mask_phone
from core.services.fieldwork.sms import SendPendingSms, SmsProvider, handle_send_pending
from core.services.orders import load_visible
from core.storage.audited import Audit, AuditLog, Named, check_version, lock
from core.storage.fieldwork.codes import (
    CodePolicyRecord,
    SmsOutboxRecord,
    VerificationCodeRecord,
    cancel_unsent,
    client_exists,
    code_key,
    codes_of,
    current_code,
    lock_order,
    policy_for_order,
    policy_of_client,
    queue_sms,
    sms_of_codes,
    void_codes,
)
from core.storage.fieldwork.flags import add_flags
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork

# A code is issued from assignment until the visit is done, and checked while it lasts.
ISSUABLE = FIELD_STATES | {OrderState.SERVED}
CHECKABLE = FIELD_STATES | {OrderState.SERVED}
APPOINTED_REASON = "预约成功，自动发送核销码 (code sent on appointment)"


@dataclass(frozen=True)
class IssueCode:
    """A new code for the order (voiding the current one), sent to the customer by SMS.

    `sms` None: the SMS waits in the outbox for the scheduled sender."""

    order_id: int
    actor: Actor
    reason: str
    sms: SmsProvider | None = None


@dataclass(frozen=True)
class CheckCode:
    """The technician submits the code the customer read out."""

    order_id: int
    actor: Actor
    code: str


@dataclass(frozen=True)
class CodeStatus:
    order_id: int
    actor: Actor


def _refuse_state(order: ServiceOrder, allowed: frozenset[OrderState], doing: str) -> None:
    if order.state not in allowed:
        raise Conflict(f"工单状态为 {order.state.value}，不能{doing} (order {order.id} is "
                       f"{order.state.value}: no verification code now)")


def issue_code_in(session: Session, order: ServiceOrder, actor: Actor, reason: str,
                  now: datetime) -> int:
    """Issue a code inside the caller's transaction: void the order's codes, store the new
    one's hash, queue its SMS; the outbox id (send it after commit: `send_now`)."""
    assert order.id is not None
    if not order.customer_phone:
        raise Invalid(f"工单 {order.id} 没有客户手机号，无法发码 (order {order.id} has no "
                      "customer phone to send the code to)")
    policy = policy_for_order(session, order.platform)
    key = code_key()
    void_codes(session, order.id, now, actor.name, reason)
    new = rule.new_code(key, order.id, policy.digits)
    expires = rule.valid_until(policy, now, order.appointment_end)
    row = VerificationCodeRecord(
        order_id=order.id, code_hash=new.digest, salt=new.salt, digits=new.digits,
        max_attempts=policy.max_attempts, issued_at=now, issued_by=actor.name, reason=reason,
        expires_at=expires, attempts=0, used_by="", voided_by="", void_reason="")
    session.add(row)
    session.flush()
    sms = queue_sms(session, order_id=order.id, code_id=row.id, phone=order.customer_phone,
                    text=rule.sms_text(expires), sealed=rule.seal(key, new.code), at=now)
    return sms.id


def ensure_code_in(session: Session, order: ServiceOrder, actor: Actor, now: datetime,
                   reason: str = APPOINTED_REASON) -> int | None:
    """For the appointment: issue a code unless the current one still takes submissions
    until the appointment's end; the outbox id, or None when the current code stays."""
    assert order.id is not None
    lock_order(session, order.id)
    row = current_code(session, order.id, for_update=True)
    if row is not None and _state(row, now) is rule.CodeState.USED:
        return None
    if row is not None and _state(row, now) is rule.CodeState.ISSUED and (
            order.appointment_end is None or row.expires_at > order.appointment_end):
        return None
    return issue_code_in(session, order, actor, reason, now)


def send_now(uow: UnitOfWork, sms: SmsProvider | None, outbox_id: int | None) -> None:
    """Try the SMS just queued at once (after commit); a provider down leaves it pending."""
    if sms is not None and outbox_id is not None:
        handle_send_pending(SendPendingSms(sms, limit=1, ids=(outbox_id,)), uow)


def handle_issue_code(cmd: IssueCode, uow: UnitOfWork) -> CodeStatusOut:
    """Issue or reissue (a reason is required either way); the status afterwards."""
    now = uow.clock.now()
    reason = Audit.of(cmd.actor.name, now, cmd.reason).reason
    with uow:
        lock_order(uow.session, cmd.order_id)
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        _refuse_state(order, ISSUABLE, "发核销码")
        current = current_code(uow.session, cmd.order_id, for_update=True)
        if current is not None and current.used_at is not None:
            raise rule.CodeUsed()
        outbox_id = issue_code_in(uow.session, order, cmd.actor, reason, now)
        uow.commit()
    send_now(uow, cmd.sms, outbox_id)
    return handle_code_status(CodeStatus(cmd.order_id, cmd.actor), uow)


def handle_check_code(cmd: CheckCode, uow: UnitOfWork) -> CodeCheckOut:
    """Accept the right code (the completion is verified); count a wrong one, raising
    CODE_FAILED, and lock the code at the limit (CODE_LOCKED). Refusals after the count."""
    now = uow.clock.now()
    with uow:
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        if cmd.actor.role is not Role.TECHNICIAN:
            raise Refused("只有上门师傅可以提交核销码 (only the technician submits the code)")
        _refuse_state(order, CHECKABLE, "核销")
        row = current_code(uow.session, cmd.order_id, for_update=True)
        if row is None:
            raise rule.NoCode(cmd.order_id)
        rule.refuse_unless_issued(_state(row, now))
        if len(cmd.code) != row.digits or not cmd.code.isascii() or not cmd.code.isdigit():
            raise rule.WrongLength(row.digits)
        if rule.matches(code_key(), row.salt, cmd.order_id, cmd.code, row.code_hash):
            row.used_at, row.used_by = now, cmd.actor.name
            cancel_unsent(uow.session, cmd.order_id, "核销码已使用 (the code was used)")
            uow.commit()
            return CodeCheckOut(order_id=cmd.order_id, state="used", used_at=now)
        row.attempts += 1
        locked = rule.locks_after(row.attempts, row.max_attempts)
        detail = {"code_id": row.id, "attempt": row.attempts, "max_attempts": row.max_attempts}
        flags = [Flag(FlagKind.CODE_FAILED, detail)]
        if locked:
            row.locked_at = now
            flags.append(Flag(FlagKind.CODE_LOCKED, detail))
        add_flags(uow.session, cmd.order_id, cmd.actor.technician_id, flags, now, cmd.actor.name)
        uow.commit()
    if locked:
        raise rule.CodeLocked()
    raise rule.WrongCode(row.max_attempts - row.attempts)


def handle_code_status(cmd: CodeStatus, uow: UnitOfWork) -> CodeStatusOut:
    """The order's codes as the desk sees them: states, tries, who and when, the SMS."""
    now = uow.clock.now()
    with uow.reads() as session:
        load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        rows = codes_of(session, cmd.order_id)
        sms = sms_of_codes(session, [r.id for r in rows])
    shown = [code_out(r, sms.get(r.id), now) for r in rows]
    current = next((c for c in shown if c.state != "voided"), None)
    return CodeStatusOut(order_id=cmd.order_id, state=current.state if current else "none",
                         current=current, earlier=[c for c in shown if c is not current])


def _state(row: VerificationCodeRecord, now: datetime) -> rule.CodeState:
    return rule.state_of(voided=row.voided_at is not None, used=row.used_at is not None,
                         locked=row.locked_at is not None, expires_at=row.expires_at, now=now)


def code_out(row: VerificationCodeRecord, sms: SmsOutboxRecord | None,
             now: datetime) -> CodeOut:
    return CodeOut(
        id=row.id, state=_state(row, now).value, digits=row.digits, issued_at=row.issued_at,
        issued_by=row.issued_by, reason=row.reason, expires_at=row.expires_at,
        attempts=row.attempts, max_attempts=row.max_attempts,
        attempts_left=max(row.max_attempts - row.attempts, 0), locked_at=row.locked_at,
        used_at=row.used_at, used_by=row.used_by, voided_at=row.voided_at,
        voided_by=row.voided_by, void_reason=row.void_reason,
        sms=None if sms is None else SmsOut(
            status=cast(SmsStatus, sms.status), phone=mask_phone(sms.phone), tries=sms.tries,
            next_try_at=sms.next_try_at if sms.status == "pending" else None,
            sent_at=sms.sent_at, last_error=sms.last_error))



POLICY_LOG = AuditLog.shared("code_policy")


@dataclass(frozen=True)
class ChangeCodePolicy:
    """A client's codes ('default': every client without its own), from the version seen."""

    client_code: str
    digits: int
    valid_hours: int
    max_attempts: int
    version: int
    reason: str
    actor: str


def _policy_values(policy: rule.CodePolicy) -> dict[str, Any]:
    return {"digits": policy.digits, "valid_hours": int(policy.valid_for.total_seconds() // 3600),
            "max_attempts": policy.max_attempts}


def handle_change_code_policy(cmd: ChangeCodePolicy, uow: UnitOfWork) -> CodePolicyOut:
    """The versioned, audited edit; a client's first edit starts from what it inherited."""
    now = uow.clock.now()
    audit = Audit.of(cmd.actor, now, cmd.reason)
    after = {"digits": cmd.digits, "valid_hours": cmd.valid_hours,
             "max_attempts": cmd.max_attempts}
    try:
        rule.CodePolicy(cmd.digits, timedelta(hours=cmd.valid_hours), cmd.max_attempts)
    except ValueError as exc:
        raise Invalid(f"核销码设置无效 (invalid code policy: {exc})", loc=("body",)) from exc
    name = Named("该客户的核销码设置", f"code policy of {cmd.client_code}")
    with uow:
        if not client_exists(uow.session, cmd.client_code):
            raise NotFound(f"没有客户 {cmd.client_code} (there is no client {cmd.client_code})")
        row = lock(uow.session, CodePolicyRecord,
                   CodePolicyRecord.client_code == cmd.client_code)
        if row is None:
            check_version(name, cmd.version, 0)
            _, inherited = policy_of_client(uow.session, cmd.client_code)
            row = CodePolicyRecord(client_code=cmd.client_code, version=0, updated_by="",
                                   updated_at=None, **_policy_values(inherited))
            uow.session.add(row)

        def write(values: dict[str, Any]) -> None:
            for field_name, value in values.items():
                setattr(row, field_name, value)
            row.updated_by, row.updated_at = cmd.actor, now

        before = {k: getattr(row, k) for k in after}
        POLICY_LOG.change(uow.session, cmd.client_code, row, seen=cmd.version, name=name,
                          before=before, after=after, audit=audit, write=write)
        uow.commit()
        return policy_out(cmd.client_code, row)


def handle_show_code_policy(client_code: str, uow: UnitOfWork) -> CodePolicyOut:
    """A client's policy: its own, or what it inherits (version 0)."""
    with uow.reads() as session:
        if not client_exists(session, client_code):
            raise NotFound(f"没有客户 {client_code} (there is no client {client_code})")
        row, policy = policy_of_client(session, client_code)
    if row is not None and row.client_code == client_code:
        return policy_out(client_code, row)
    return CodePolicyOut(client_code=client_code, version=0, updated_by="", updated_at=None,
                         **_policy_values(policy))


def policy_out(client_code: str, row: CodePolicyRecord) -> CodePolicyOut:
    return CodePolicyOut(client_code=client_code, digits=row.digits,
                         valid_hours=row.valid_hours, max_attempts=row.max_attempts,
                         version=row.version, updated_by=row.updated_by,
                         updated_at=row.updated_at)
