"""Binding an order's technician and customer through a virtual number (core.services.fieldwork
.axb has the provider's interface): queued in the transaction that wants it, tried after the
commit, retried with a growing delay while the provider is down (the order shows it pending),
released when the technician changes or the order is done.

`after_lifecycle` is the one rule tying bindings to the order's lifecycle; every use case that
applies a lifecycle action (core.services.orders.perform_action, the grab pool's claim) calls it
before its commit and `try_now` after.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid
from core.orders import commands as c
from core.orders.model import Actor, ServiceOrder
from core.orders.privacy import FIELD_STATES
from core.services.fieldwork.axb import (
    DEFAULT_LIFETIME,
    LONGEST_LIFETIME,
    SHORTEST_LIFETIME,
    AxbProvider,
    AxbRejected,
    AxbUnavailable,
    BindRequest,
    Bound,
)
from core.services.fieldwork.sms import retry_delay
from core.storage.fieldwork import appointments as store
from core.storage.fieldwork.appointments import (
    BOUND,
    FAILED,
    PENDING,
    UNBINDING,
    UNBOUND,
    AxbBindingRecord,
)
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
BINDING_LEASE = timedelta(minutes=2)  # a round that dies mid-call leaves the row to the next

# -- binding ------------------------------------------------------------------------------------

def _check_lifetime(lifetime: timedelta) -> None:
    if not SHORTEST_LIFETIME <= lifetime <= LONGEST_LIFETIME:
        raise Invalid("绑定时长须在 1 小时到 30 天之间 (a binding lasts 1 hour to 30 days)",
                      loc=("body", "lifetime_hours"))


def bind_in(session: Session, order: ServiceOrder, actor: Actor, now: datetime,
            lifetime: timedelta = DEFAULT_LIFETIME, record_calls: bool = True) -> list[int]:
    """Queue a binding of the order's technician and customer inside the caller's transaction
    (the accept flow calls it before its commit), and the release of bindings of an earlier
    technician or phone; the ids to try after commit (`try_now`). Nothing new when these two
    are already bound or queued."""
    assert order.id is not None
    _check_lifetime(lifetime)
    if order.technician_id is None:
        raise Conflict(f"工单 {order.id} 还没有师傅，无法绑定隐私号 (order {order.id} has no "
                       "technician to bind)")
    if not order.customer_phone:
        raise Invalid(f"工单 {order.id} 没有客户手机号，无法绑定隐私号 (order {order.id} has no "
                      "customer phone to bind)")
    phone = store.technician_phone(session, order.technician_id)
    live: int | None = None
    released = []
    for row in store.bindings_of(session, order.id):
        same = (row.technician_id == order.technician_id and row.technician_phone == phone
                and row.customer_phone == order.customer_phone)
        if row.status in (PENDING, BOUND) and same and live is None:
            live = row.id
        elif row.status in (PENDING, BOUND):
            _release(row, now, "师傅或电话已变更 (technician or phone changed)")
            released.append(row.id)
    if live is not None:
        return released
    row = AxbBindingRecord(
        order_id=order.id, technician_id=order.technician_id, technician_phone=phone,
        customer_phone=order.customer_phone, status=PENDING, virtual_number="",
        provider_binding_id="", record_calls=record_calls,
        lifetime_s=int(lifetime.total_seconds()), tries=0, next_try_at=now, last_error="",
        created_at=now, created_by=actor.name, unbind_reason="")
    session.add(row)
    session.flush()
    return [row.id, *released]


def _release(row: AxbBindingRecord, now: datetime, why: str) -> None:
    """Queue the binding's release. A pending one keeps its time: a bind may be in flight, and
    its lease keeps the release round off it until the bind's outcome is recorded."""
    if row.status == BOUND or row.next_try_at < now:
        row.next_try_at = now
    row.status, row.unbind_reason = UNBINDING, why


def unbind_in(session: Session, order_id: int, now: datetime, why: str) -> list[int]:
    """Queue the release of every binding of the order (done, cancelled, reassigned)."""
    ids = []
    for row in store.bindings_of(session, order_id):
        if row.status in (PENDING, BOUND):
            _release(row, now, why)
            ids.append(row.id)
    return ids


# Actions after which the technician no longer works the order: his number is released.
RELEASED_BY: dict[str, str] = {
    c.Cancel.action: "工单已取消 (the order was cancelled)",
    c.Complete.action: "师傅已完工 (the work is done)",
    c.Refuse.action: "师傅退单 (the technician gave the order back)",
    c.Withdraw.action: "派单已撤回 (the assignment was taken back)",
}


def after_lifecycle(session: Session, order: ServiceOrder, action: str, actor: Actor,
                    now: datetime) -> list[int]:
    """The bindings a lifecycle action just applied to `order` asks for, queued inside the
    caller's transaction: accepting binds the technician and the customer (when the order has
    a customer phone), leaving the order (cancel, complete, refuse, withdraw, a cannot-complete
    that sends it back to dispatch) releases them.
    The ids to `try_now` after the commit; none for any other action."""
    assert order.id is not None
    if action == c.Accept.action:
        if not order.customer_phone or order.technician_id is None:
            return []  # nobody to bind: the technician calls from the desk's details
        return bind_in(session, order, actor, now)
    why: str | None
    if action == c.CannotComplete.action and order.technician_id is None:
        why = "师傅无法完工，工单回到派单 (the technician could not complete: back to dispatch)"
    else:
        why = RELEASED_BY.get(action)
    return unbind_in(session, order.id, now, why) if why is not None else []


def try_now(uow: UnitOfWork, provider: AxbProvider | None, ids: Sequence[int]) -> None:
    """Try the bindings just queued at once (after commit); a provider down leaves them."""
    if provider is not None and ids:
        handle_axb_round(AxbRound(provider, limit=len(ids), ids=tuple(ids)), uow)


@dataclass(frozen=True)
class BindAxb:
    """Bind the order's technician and customer through a virtual number."""

    order_id: int
    actor: Actor
    provider: AxbProvider | None = None  # None: the scheduled round binds it
    lifetime: timedelta = DEFAULT_LIFETIME
    record_calls: bool = True


@dataclass(frozen=True)
class UnbindAxb:
    order_id: int
    actor: Actor
    reason: str
    provider: AxbProvider | None = None


def handle_bind_axb(cmd: BindAxb, uow: UnitOfWork) -> AxbBindingRecord | None:
    """Queue and try the binding; the order's binding now (pending while the provider is
    down). Conflict 409 when the order is not with a technician in the field."""
    from core.services.orders import load_visible  # it calls after_lifecycle: a cycle

    now = uow.clock.now()
    with uow:
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        if order.state not in FIELD_STATES:
            raise Conflict(f"工单状态为 {order.state.value}，不能绑定隐私号 (order "
                           f"{cmd.order_id} is {order.state.value}: no binding now)")
        queued = bind_in(uow.session, order, cmd.actor, now, cmd.lifetime, cmd.record_calls)
        uow.commit()
    try_now(uow, cmd.provider, queued)
    return current_binding(uow, cmd.order_id)


def handle_unbind_axb(cmd: UnbindAxb, uow: UnitOfWork) -> list[int]:
    """Release the order's bindings (ids queued); the provider is tried at once."""
    from core.services.orders import load_visible  # it calls after_lifecycle: a cycle

    now = uow.clock.now()
    with uow:
        load_visible(uow.orders, cmd.order_id, cmd.actor)
        ids = unbind_in(uow.session, cmd.order_id, now, cmd.reason)
        uow.commit()
    try_now(uow, cmd.provider, ids)
    return ids


def current_binding(uow: UnitOfWork, order_id: int) -> AxbBindingRecord | None:
    """The order's newest binding that is pending or bound (else its newest at all)."""
    with uow.reads() as session:
        rows = store.bindings_of(session, order_id)
    live = [r for r in rows if r.status in (PENDING, BOUND)]
    return next(iter(live or rows), None)


@dataclass(frozen=True)
class AxbRound:
    """Bind and release what is due (the server runs it on a schedule; `ids`: only these)."""

    provider: AxbProvider
    limit: int = 100
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class AxbRoundResult:
    bound: int = 0
    unbound: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Job:
    id: int
    release: bool
    provider_binding_id: str
    request: BindRequest


@dataclass(frozen=True)
class _Outcome:
    id: int
    bound: Bound | None = None
    released: bool = False
    error: str = ""
    final: bool = False


def _claim(cmd: AxbRound, uow: UnitOfWork, now: datetime) -> list[_Job]:
    jobs = []
    with uow:
        for row in store.due_bindings(uow.session, now, cmd.limit, cmd.ids):
            order = uow.session.get(OrderRecord, row.order_id)
            request = BindRequest(order.order_no if order else str(row.order_id),
                                  row.technician_phone, row.customer_phone,
                                  timedelta(seconds=row.lifetime_s), row.record_calls)
            row.tries += 1
            row.next_try_at = now + BINDING_LEASE
            jobs.append(_Job(row.id, row.status == UNBINDING, row.provider_binding_id, request))
        uow.commit()
    return jobs


def _call(provider: AxbProvider, job: _Job) -> _Outcome:
    try:
        if job.release:
            if job.provider_binding_id:
                provider.unbind(job.provider_binding_id)
            return _Outcome(job.id, released=True)
        return _Outcome(job.id, bound=provider.bind(job.request))
    except AxbUnavailable as exc:
        return _Outcome(job.id, error=f"隐私号服务暂不可用 (provider unavailable: {exc})")
    except AxbRejected as exc:
        return _Outcome(job.id, error=f"隐私号服务拒绝 (provider refused: {exc})", final=True,
                        released=job.release)
    except Exception as exc:  # an adapter's surprise must not lose the binding: try again
        log.exception("AXB provider failed on binding %s", job.id)
        return _Outcome(job.id, error=f"隐私号服务出错 (provider error: {type(exc).__name__})")


def _record(row: AxbBindingRecord, outcome: _Outcome, now: datetime) -> str:
    """Write one outcome on its row; the row's status afterwards."""
    row.last_error = outcome.error[:500]
    if outcome.bound is not None:
        bound = outcome.bound
        row.provider_binding_id, row.virtual_number = bound.binding_id[:100], \
            bound.virtual_number[:32]
        row.bound_at = now
        row.expires_at = bound.expires_at or now + timedelta(seconds=row.lifetime_s)
        if row.status == PENDING:
            row.status = BOUND
        else:  # released while it was being bound: release it at the provider next
            row.next_try_at = now
        return row.status
    if outcome.released:  # released, or the provider no longer knows it: nothing held
        row.status, row.unbound_at = UNBOUND, now
        return UNBOUND
    if outcome.final:
        row.status = FAILED
        return FAILED
    row.next_try_at = now + retry_delay(row.tries)
    return "retrying"


def handle_axb_round(cmd: AxbRound, uow: UnitOfWork) -> AxbRoundResult:
    """Bind what is pending and release what is unbinding; the provider is called outside any
    transaction; a provider down leaves them for later (30 s doubling to 30 min)."""
    jobs = _claim(cmd, uow, uow.clock.now())
    if not jobs:
        return AxbRoundResult()
    outcomes = [_call(cmd.provider, job) for job in jobs]
    now = uow.clock.now()
    counts = Counter[str]()
    with uow:
        for outcome in outcomes:
            row = uow.session.get(AxbBindingRecord, outcome.id)
            if row is not None:
                counts[_record(row, outcome, now)] += 1
        uow.commit()
    return AxbRoundResult(bound=counts[BOUND], unbound=counts[UNBOUND],
                          retrying=counts["retrying"] + counts[UNBINDING],
                          failed=counts[FAILED])
