"""The fake backend's dispatch: a small stand-in for the dispatcher, the grab pool and the
manual-dispatch desk, on the real order rules, so simulator tests see orders flow as they do
against the real backend (the dispatcher's own rules are tested with the backend)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.demo.dataset import DemoTechnician
from core.orders.errors import OrderError
from core.orders.lifecycle import DispatchMode, OrderState, Role
from core.orders.model import Actor, ServiceOrder

S = OrderState
CENTRE = Actor("dispatcher", Role.SYSTEM)  # as the backend's dispatcher acts
FIELD = {S.ASSIGNED, S.ACCEPTED, S.APPOINTED, S.CHECKED_IN}
ACCEPT = timedelta(minutes=30)
MAX_REFUSALS = 2
ESCALATING_TAGS = ("vip", "urgent")
Row = Callable[[ServiceOrder], dict[str, Any]]


def _problem(status: int, detail: str) -> httpx.Response:
    return httpx.Response(status, json={"title": detail, "status": status, "detail": detail})


class FakeDispatch:
    """Opens dispatch (Sichuan grab first, tagged orders to a person, the rest central),
    assigns central orders to the first eligible technician, withdraws timed-out ones."""

    def __init__(self, orders: dict[int, ServiceOrder], technicians: dict[int, DemoTechnician],
                 row: Row) -> None:
        self.orders, self.technicians, self._row = orders, technicians, row
        self.offset = timedelta(0)  # tests move the clock forward
        self.codes: dict[int, str] = {}  # order id -> why it went to a person

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    # -- the dispatcher
    def tick(self) -> None:
        now = self.now()
        for order in list(self.orders.values()):
            if order.state is S.CLASSIFIED:
                self._open(order, now)
            elif order.state is S.ASSIGNED and order.accept_by and order.accept_by < now:
                order.perform("withdraw", CENTRE, now, "超时未接单，收回重派", code="timeout",
                              mode=DispatchMode.MANUAL.value, note="超时未接单")
                self.codes[order.id or 0] = "timeout"
            elif order.state is S.DISPATCHING and order.dispatch_mode is not DispatchMode.MANUAL:
                tag = next((t for t in ESCALATING_TAGS if t in order.tags), None)
                if tag is not None:
                    self._to_person(order, now, tag, f"{tag} 订单转人工派单")
                elif len(self.refusers(order)) >= MAX_REFUSALS:
                    self._to_person(order, now, "refused_too_often", "多次被拒，转人工派单")
                elif order.dispatch_mode is DispatchMode.AUTO:
                    self._central(order, now)

    def _open(self, order: ServiceOrder, now: datetime) -> None:
        tag = next((t for t in ESCALATING_TAGS if t in order.tags), None)
        if tag is not None:
            order.perform("open_dispatch", CENTRE, now, "转人工派单", mode="manual",
                          note=f"{tag} 订单需人工派单 (a {tag} order goes to a person)")
            self.codes[order.id or 0] = tag
            return
        grab = (order.county_adcode or "").startswith("51")
        order.perform("open_dispatch", CENTRE, now, "开始派单", mode="grab" if grab else "auto")

    def _to_person(self, order: ServiceOrder, now: datetime, code: str, why: str) -> None:
        order.perform("escalate", CENTRE, now, why, mode="manual", code=code, note=why)
        self.codes[order.id or 0] = code

    def _central(self, order: ServiceOrder, now: datetime) -> None:
        best = self.eligible(order)
        if not best:
            self._to_person(order, now, "no_eligible", "没有符合技能/区域/容量的师傅")
            return
        tid = best[0]
        order.perform("assign", CENTRE, now, "中心自动派单：技能与区域匹配", technician_id=tid,
                      technician_name=self.technicians[tid].name, automatic=True, pinned=False,
                      terms={"distance_km": 3.0}, accept_by=now + ACCEPT)

    def refusers(self, order: ServiceOrder) -> set[int]:
        return {e.data["previous_technician_id"] for e in order.pending_events
                if e.kind in ("refuse", "withdraw") and e.data.get("previous_technician_id")}

    def eligible(self, order: ServiceOrder) -> list[int]:
        load = {i: 0 for i in self.technicians}
        for o in self.orders.values():
            if o.state in FIELD and o.technician_id in load:
                load[o.technician_id] += 1
        city, refused = (order.county_adcode or "")[:4], self.refusers(order)
        return [i for i, t in self.technicians.items()
                if set(order.skills) <= set(t.skills) and t.county_adcode[:4] == city
                and i not in refused and load[i] < t.daily_capacity]

    # -- the grab pool
    def offers(self, actor: Actor) -> httpx.Response:
        now = self.now()
        return httpx.Response(200, json=[
            {"order_id": o.id, "order_no": o.order_no, "service_type": o.service_type,
             "county_name": o.county_name, "address_hint": o.address[:12], "distance_km": 4.2,
             "price_fen": o.grab_price_fen, "below_floor": (o.grab_price_fen or 3000) < 3000,
             "offered_at": (o.dispatch_since or now).isoformat(),
             "expires_at": (now + timedelta(minutes=20)).isoformat(), "version": o.version}
            for o in self.orders.values()
            if o.state is S.DISPATCHING and o.dispatch_mode is DispatchMode.GRAB
            and actor.technician_id in self.eligible(o)
        ])

    def claim(self, actor: Actor, order_id: int) -> httpx.Response:
        order, now = self.orders.get(order_id), self.now()
        if order is None or order.dispatch_mode is not DispatchMode.GRAB:
            return _problem(404, "此单不在抢单池中")
        if order.state is not S.DISPATCHING:
            return _problem(409, "手慢了，此单已被其他师傅抢走")
        if actor.technician_id not in self.eligible(order):
            return _problem(403, "此单未向你开放")
        order.perform("claim", actor, now, "抢单", technician_id=actor.technician_id,
                      accept_by=now + ACCEPT)
        order.perform("accept", actor, now, "抢单即接单")
        return httpx.Response(200, json={
            "order_id": order_id, "technician_id": actor.technician_id,
            "accept_by": None, "order": self._row(order)})

    # -- manual dispatch
    def needs_person(self) -> httpx.Response:
        return httpx.Response(200, json=[
            {"order": self._row(o), "reason": o.dispatch_note,
             "code": self.codes.get(o.id or 0, ""),
             "since": (o.dispatch_since or o.created_at).isoformat(), "sla_due": None}
            for o in self.orders.values()
            if o.state is S.DISPATCHING and o.dispatch_mode is DispatchMode.MANUAL
        ])

    def assign(self, actor: Actor, body: dict[str, Any]) -> httpx.Response:
        results = []
        for item in body["assignments"]:
            order = self.orders[item["order_id"]]
            result = {"order_id": order.id, "ok": False, "technician_id": item["technician_id"],
                      "status": 200, "detail": ""}
            tid = item["technician_id"] or next(iter(self.eligible(order)), None)
            if order.version != item["version"]:
                result |= {"status": 409, "detail": "已被他人改动",
                           "current_version": order.version}
            elif tid is None:
                result |= {"status": 422, "detail": "没有符合全部规则的师傅，请手动选择"}
            else:
                try:
                    order.perform("assign", actor, self.now(), body["reason"], technician_id=tid,
                                  pinned=body["pinned"], accept_by=self.now() + ACCEPT)
                    result |= {"ok": True, "technician_id": tid, "detail": "已派"}
                except OrderError as exc:
                    result |= {"status": 422, "detail": str(exc)}
            results.append(result)
        return httpx.Response(200, json=results)
