"""The service-order aggregate: every change goes through `apply` (a typed command, or
`perform` naming the action) and leaves an event."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from core.orders.commands import (
    AfterSales,
    Appoint,
    CannotComplete,
    Classify,
    Command,
    Complete,
    Place,
    command_for,
)
from core.orders.dispatching import DispatchSteps, fit_note
from core.orders.errors import Forbidden, IllegalTransition, InvalidCommand, MissingReason
from core.orders.lifecycle import (
    ACTIONS,
    CANNOT_COMPLETE_WORDS,
    REVISIT_CODES,
    Action,
    CannotCompleteCode,
    DispatchMode,
    OrderState,
    Role,
    ServiceType,
    allowed_actions,
)
from core.text import says_something, with_words

# What a platform's update may change on an order it sent (contact, address, its placement).
INTAKE_FIELDS = frozenset({
    "customer_name", "customer_phone", "address", "province", "city", "county_adcode",
    "county_name", "lng", "lat",
})
# Facts recorded beside the lifecycle that SLA clocks start or pause on (core.sla.limit_types
# EVENT_WORDS): the platform says the goods were signed for; the customer asks to move the
# appointment. The state does not change.
FACTS = frozenset({"goods_signed", "customer_postpone"})


@dataclass(frozen=True)
class OrderItem:
    """One line of the sale; money in integer fen."""

    sku: str
    name: str
    quantity: int
    unit_price_fen: int


@dataclass(frozen=True)
class Actor:
    """Who acts: a user name, a role, and for technicians their technician id."""

    name: str
    role: Role
    technician_id: int | None = None


# An event's data key: its reason is wholly the backend's text (`中文 (English)`), though a
# person acted (his own check-in, a booking he gave no reason for, a grab): the console shows
# it in the person's language, as it does the system's. Set by ServiceOrder.apply only.
BACKEND_REASON = "backend_reason"


@dataclass(frozen=True)
class OrderEvent:
    """An immutable record of one change: who, when, why, before and after."""

    order_id: int | None
    kind: str
    from_state: OrderState | None
    to_state: OrderState
    actor: str
    actor_role: str
    reason: str
    at: datetime
    version: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ServiceOrder(DispatchSteps):
    order_no: str
    platform: str
    platform_order_id: str
    customer_name: str
    customer_phone: str
    address: str
    created_at: datetime
    items: list[OrderItem] = field(default_factory=list)
    id: int | None = None
    province: str = ""
    city: str = ""
    county_adcode: str | None = None
    county_name: str = ""
    lng: float | None = None
    lat: float | None = None
    service_type: ServiceType | None = None
    skills: list[str] = field(default_factory=list)
    state: OrderState = OrderState.NEW
    frozen_from: OrderState | None = None
    dispatch_mode: DispatchMode | None = None
    technician_id: int | None = None
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None
    parent_id: int | None = None
    # Dispatch: when the current mode began, why a person is needed, pinned by an agent,
    # the tags that steer it, a grab price (fen) and when the assignee must have accepted.
    dispatch_since: datetime | None = None
    dispatch_note: str = ""
    dispatch_pinned: bool = False
    tags: list[str] = field(default_factory=list)
    grab_price_fen: int | None = None
    accept_by: datetime | None = None
    version: int = 0
    state_changed_at: datetime | None = None
    pending_events: list[OrderEvent] = field(default_factory=list, repr=False)

    @classmethod
    def receive(cls, actor: Actor, at: datetime, reason: str = "", **fields: Any) -> ServiceOrder:
        """A new order as it arrives from a platform, with its 'created' event."""
        order = cls(created_at=at, **fields)
        order.state_changed_at = at
        order._record("created", None, OrderState.NEW, actor, at,
                      reason or "收到平台订单 (received from the platform)", {})
        return order

    def allowed(self, role: Role | None = None) -> list[str]:
        """The state's actions less those this order's dispatch facts rule out."""
        ruled_out = {"unpin"} if not self.dispatch_pinned else {"pin"}
        if self.dispatch_mode is not DispatchMode.GRAB:
            ruled_out.add("claim")
        return [a for a in allowed_actions(self.state, role) if a not in ruled_out]

    def apply(self, command: Command, actor: Actor, at: datetime,
              reason: str = "", *, backend_reason: bool = False) -> OrderEvent:
        """Apply one lifecycle command, or raise a domain error and change nothing.
        `backend_reason`: the reason is the backend's own text, none of the person's words
        (recorded as BACKEND_REASON in the event's data)."""
        spec = ACTIONS[command.action]
        self._admit(spec, actor, reason)
        event = self._apply(spec, command, actor, at, reason)
        if backend_reason:
            event.data[BACKEND_REASON] = True
        return event

    def perform(
        self, action: str, actor: Actor, at: datetime, reason: str = "", **args: Any
    ) -> OrderEvent:
        """`apply` for an action named by text (older callers, tests): the same checks, then
        the arguments become the action's command (unknown ones are refused)."""
        spec = ACTIONS.get(action)
        if spec is None:
            raise InvalidCommand(f"没有这个操作 (unknown action '{action}')")
        self._admit(spec, actor, reason)
        return self._apply(spec, command_for(action, args), actor, at, reason)

    def _admit(self, spec: Action, actor: Actor, reason: str) -> None:
        """The transition table's word: the role, the state, a reason, the technician's own."""
        if actor.role not in spec.roles:
            raise Forbidden(actor.role, spec.name)
        if self.state not in spec.sources:
            raise IllegalTransition(spec.name, self.state, self.allowed())
        if spec.needs_reason and not says_something(reason):
            raise MissingReason(spec.name)
        if (actor.role is Role.TECHNICIAN and spec.name != "claim"
                and self.technician_id != actor.technician_id):
            raise Forbidden(actor.role, f"{spec.name} on an order assigned to someone else")

    def _apply(self, spec: Action, command: Command, actor: Actor, at: datetime,
               reason: str) -> OrderEvent:
        # Each `_on_<action>` validates its command's values, applies them and returns what
        # the event carries; actions without one only move the state.
        handler = getattr(self, f"_on_{spec.name}", None)
        data: dict[str, Any] = handler(command, at, reason.strip()) if handler else {}
        if spec.name == "unfreeze":
            target = self.frozen_from or OrderState.NEW
            self.frozen_from = None
        elif spec.name == "cannot_complete":
            target = OrderState(data.pop("to_state"))
        else:
            if spec.name == "freeze":
                self.frozen_from = self.state
            # after_sales has no target: it is recorded here and the order keeps its state.
            target = spec.target or self.state
        return self._record(spec.name, self.state, target, actor, at, reason, data)

    def open_after_sales(
        self, actor: Actor, at: datetime, reason: str, order_no: str
    ) -> ServiceOrder:
        """Record the after-sales request here and return the new after-sales order."""
        self.apply(AfterSales(order_no), actor, at, reason)
        child = replace(
            self,
            id=None,
            order_no=order_no,
            platform_order_id=f"{self.platform_order_id}/AS",
            service_type=ServiceType.AFTER_SALES,
            state=OrderState.DISPATCHING,
            frozen_from=None,
            dispatch_mode=DispatchMode.MANUAL,
            technician_id=None,
            dispatch_since=at,
            dispatch_note=fit_note(reason),  # a reason may hold line breaks; the note is one line
            dispatch_pinned=False,
            tags=list(self.tags),
            grab_price_fen=None,
            accept_by=None,
            appointment_start=None,
            appointment_end=None,
            parent_id=self.id,
            version=0,
            created_at=at,
            state_changed_at=at,
            items=list(self.items),
            skills=list(self.skills),
            pending_events=[],
        )
        child._record(
            "created", None, OrderState.DISPATCHING, actor, at, reason,
            {"after_sales_of": self.order_no},
        )
        return child

    def note_intake(
        self,
        actor: Actor,
        at: datetime,
        reason: str,
        *,
        kind: str = "intake_update",
        items: list[OrderItem] | None = None,
        data: dict[str, Any] | None = None,
        **changes: Any,
    ) -> OrderEvent:
        """A platform's later word on the order (new address or phone, merged items, a cancel it
        can no longer take), applied and kept in the timeline; the state does not change.

        The event names the fields that changed, never their values: events live forever and
        travel the change feed to every desk, while a customer's phone and address belong only
        on the order, where who may see them is decided per role (core.orders.privacy)."""
        if not kind.startswith("intake_"):
            raise InvalidCommand(f"'{kind}' 不是平台接入事件 ('{kind}' is not an intake event)")
        unknown = set(changes) - INTAKE_FIELDS
        if unknown:
            names = ", ".join(sorted(unknown))
            raise InvalidCommand(f"平台接入不能修改 {names} (intake may not change: {names})")
        changed = {k: v for k, v in changes.items() if getattr(self, k) != v}
        for name, value in changed.items():
            setattr(self, name, value)
        if items is not None:
            self.items = list(items)
        return self._record(kind, self.state, self.state, actor, at, reason,
                            {**(data or {}), "changed": sorted(changed)})

    def note_fact(self, kind: str, actor: Actor, at: datetime, reason: str,
                  data: dict[str, Any] | None = None) -> OrderEvent:
        """Record one of FACTS on the timeline at the moment it happened (who, when, why)."""
        if kind not in FACTS:
            raise InvalidCommand(f"'{kind}' 不是可记录的事实 ('{kind}' is not a fact to record)")
        return self._record(kind, self.state, self.state, actor, at, reason, dict(data or {}))

    # -- per-action argument handling: validate, apply, return what the event should carry
    def _on_after_sales(self, cmd: AfterSales, at: datetime, reason: str) -> dict[str, Any]:
        return {"after_sales_order_no": cmd.order_no}

    def _on_place(self, cmd: Place, at: datetime, reason: str) -> dict[str, Any]:
        adcode = cmd.county_adcode or self.county_adcode
        if not adcode:
            raise InvalidCommand("缺少区县，无法定位 (place needs a county adcode)")
        self.county_adcode = adcode
        self.county_name = cmd.county_name or self.county_name
        if cmd.lng is not None and cmd.lat is not None:
            self.lng, self.lat = float(cmd.lng), float(cmd.lat)
        return {"county_adcode": adcode, "county_name": self.county_name}

    def _on_classify(self, cmd: Classify, at: datetime, reason: str) -> dict[str, Any]:
        raw = cmd.service_type or self.service_type
        if raw is None:
            raise InvalidCommand("请选择服务类型 (classify needs a service type)")
        try:
            self.service_type = ServiceType(raw)
        except ValueError:
            raise InvalidCommand(f"未知的服务类型 '{raw}' (unknown service type '{raw}')") from None
        if cmd.skills is not None:
            self.skills = [str(s) for s in cmd.skills]
        return {"service_type": self.service_type.value, "skills": list(self.skills)}

    def _on_complete(self, cmd: Complete, at: datetime, reason: str) -> dict[str, Any]:
        if not cmd.verification:
            return {}
        return {"verification": str(cmd.verification),
                "verification_text": str(cmd.verification_text)}

    def _on_cannot_complete(self, cmd: CannotComplete, at: datetime,
                            reason: str) -> dict[str, Any]:
        try:
            code = CannotCompleteCode(cmd.code)
        except ValueError:
            raise InvalidCommand(f"未知的无法完工原因 '{cmd.code}' "
                                 f"(unknown cannot-complete code '{cmd.code}')") from None
        zh, en = CANNOT_COMPLETE_WORDS[code]
        data: dict[str, Any] = {"code": code.value, "technician_id": self.technician_id}
        # The appointment is gone either way: the visit it promised did not happen.
        self.appointment_start = self.appointment_end = None
        if code in REVISIT_CODES:  # the same technician books again
            data["to_state"] = OrderState.ACCEPTED.value
            return data
        # A person decides what comes next: another technician, another trade, a cancel.
        self.technician_id, self.accept_by, self.dispatch_pinned = None, None, False
        # His words quoted whole after both parts (fit_note cuts them, never ours).
        self._enter_mode(DispatchMode.MANUAL, at, with_words(
            f"师傅无法完工：{zh} (technician could not complete: {en})", str(cmd.note or "")))
        data.update(to_state=OrderState.DISPATCHING.value, mode=DispatchMode.MANUAL.value,
                    note=self.dispatch_note, previous_technician_id=data.pop("technician_id"))
        return data

    def _on_appoint(self, cmd: Appoint, at: datetime, reason: str) -> dict[str, Any]:
        start, end = cmd.start, cmd.end
        # The wire and `perform` may hand anything over; only aware times are appointments.
        if not isinstance(start, datetime) or not isinstance(end, datetime):
            raise InvalidCommand("预约需要开始和结束时间 (appoint needs a start and an end time)")
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidCommand("预约时间须带时区 (appointment times must carry a time zone)")
        if end <= start:
            raise InvalidCommand("预约结束时间须晚于开始时间 "
                                 "(appointment must end after it starts)")
        self.appointment_start, self.appointment_end = start, end
        return {"start": start.isoformat(), "end": end.isoformat()}

    def _record(
        self,
        kind: str,
        before: OrderState | None,
        after: OrderState,
        actor: Actor,
        at: datetime,
        reason: str,
        data: dict[str, Any],
    ) -> OrderEvent:
        if at.tzinfo is None:
            raise InvalidCommand("事件时间须带时区 (event time must carry a time zone)")
        self.version += 1
        if before != after:
            self.state_changed_at = at
        self.state = after
        event = OrderEvent(
            order_id=self.id, kind=kind, from_state=before, to_state=after,
            actor=actor.name, actor_role=actor.role.value, reason=reason.strip(),
            at=at, version=self.version, data=data,
        )
        self.pending_events.append(event)
        return event

    @property
    def amount_fen(self) -> int:
        return sum(i.quantity * i.unit_price_fen for i in self.items)
