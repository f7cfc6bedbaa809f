"""An in-memory stand-in for the HTTP API, on the real order rules, for simulator unit tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
from demo_fake_dispatch import FakeDispatch

from core.contracts.orders import ItemIn, OrderCreate
from core.demo.arrivals import demo_secret
from core.demo.dataset import build
from core.fieldwork.appointments import SHANGHAI, SlotKind, free_slots
from core.intake.adapters import get_adapter, read
from core.intake.adapters._lastmile import verify
from core.intake.errors import PayloadRejected
from core.intake.model import ConvertedOrder, Intent, SignedRequest
from core.intake.pipeline import default_centre
from core.orders.errors import Forbidden, OrderError
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, OrderItem, ServiceOrder
from core.services.fieldwork.axb import BindRequest, SimulatedAxb

FIELD = {"assigned", "accepted", "appointed", "checked_in"}


class FakeBackend:
    """Users `centre`, `sim-agent` and the seed-7 demo technicians; knobs to fail the way a
    backend can."""

    def __init__(self) -> None:
        staff = build(7, orders=0).technicians
        self.technicians = {i + 1: t for i, t in enumerate(staff)}
        desk = {"centre": Actor("centre", Role.SUPERVISOR),
                "sim-agent": Actor("sim-agent", Role.AGENT)}
        self.users = desk | {
            t.username: Actor(t.username, Role.TECHNICIAN, i) for i, t in self.technicians.items()
        }
        self.orders: dict[int, ServiceOrder] = {}
        self.down = False
        self.conflict_on: set[str] = set()  # actions answered once with a 409
        self.reject_on: set[str] = set()  # actions always answered with a 422
        self.check_ins: list[tuple[int | None, Any]] = []  # (order, position) as sent
        # The backend's simulated virtual-number provider: a binding per accepted order, made
        # when its technician first asks for the number; the pushes it signs are checked.
        self.axb = SimulatedAxb(push_secret="fake-push-secret")
        self.bindings: dict[int, str] = {}  # order id -> the provider's binding id
        self.call_records: list[dict[str, Any]] = []  # as pushed, signature checked
        self.bookings: list[Booked] = []
        self.contact_attempts: list[tuple[int, str, str]] = []  # (order, user, reason code)
        self.side_door: list[tuple[str, str]] = []  # check-ins and bookings sent as actions
        self.calls: list[tuple[str, str, str]] = []  # (user, method, path)
        self.shows_usernames = True  # False: technicians listed without their login
        self.acted: list[tuple[str, str]] = []  # (user, action) of every action taken
        self.dispatch = FakeDispatch(self.orders, self.technicians, _row)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        path, method = request.url.path, request.method
        intake = re.fullmatch(r"/v1/intake/(\w+)", path)
        if intake and method == "POST":
            # Webhooks carry the platform's signature, not a login.
            return self._webhook(intake.group(1), request)
        if path == "/v1/axb/call-records" and method == "POST":
            return self._calls(request)  # the provider's signature is its credential
        body = json.loads(request.content) if request.content else {}
        if path == "/v1/auth/login":
            if body["username"] not in self.users or body["password"] != "demo":
                return _problem(401, "bad credentials")
            user = self.users[body["username"]]
            return httpx.Response(200, json={
                "access_token": user.name, "expires_at": "2099-01-01T00:00:00Z",
                "user": {"username": user.name, "display_name": user.name,
                         "role": user.role.value, "technician_id": user.technician_id},
            })
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        actor = self.users.get(token)
        if actor is None:
            return _problem(401, "log in first")
        self.calls.append((actor.name, method, path))
        return self._route(actor, method, path, dict(request.url.params), body)

    def _webhook(self, platform: str, request: httpx.Request) -> httpx.Response:
        """The real adapter and conversion centre; new service orders wait in state new."""
        adapter = get_adapter(platform)
        signed = SignedRequest(dict(request.url.params),
                               {k.lower(): v for k, v in request.headers.items()},
                               request.content)
        if not adapter.verify(signed, demo_secret(platform)):
            return _problem(401, "bad signature")
        self.calls.append((f"webhook:{platform}", request.method, request.url.path))
        outcomes = []
        for index, (_record, parsed) in enumerate(
                read(adapter, request.content, request.headers["content-type"])):
            if isinstance(parsed, PayloadRejected):
                outcomes.append({"index": index, "platform_order_id": "", "outcome": "dead"})
                continue
            known = any((o.platform, o.platform_order_id) == (platform, parsed.platform_order_id)
                        for o in self.orders.values())
            outcome = "duplicate" if known else "created"
            ids = []
            if parsed.intent is not Intent.NEW:
                outcome = "updated" if known else "refused"
            elif not known:
                for converted in default_centre().convert(parsed).orders:
                    ids.append(self.receive_converted(converted).id)
            outcomes.append({"index": index, "platform_order_id": parsed.platform_order_id,
                             "outcome": outcome, "order_ids": ids})
        return httpx.Response(200, json={"platform": platform, "received": len(outcomes),
                                         "outcomes": outcomes})

    def receive_converted(self, order: ConvertedOrder) -> ServiceOrder:
        place = order.placement
        return self.receive(OrderCreate(
            platform=order.platform, platform_order_id=order.platform_order_id,
            customer_name=order.customer_name, customer_phone=order.customer_phone,
            address=order.address, province=place.province, city=place.city,
            county_adcode=place.adcode, service_type=order.service_type,
            skills=list(order.skills),
            items=[ItemIn(sku=x.sku, name=x.name, quantity=x.quantity,
                          unit_price_fen=x.unit_price_fen) for x in order.lines]))

    def _route(
        self, actor: Actor, method: str, path: str, params: dict[str, str], body: dict[str, Any]
    ) -> httpx.Response:
        if path == "/v1/intake/reviews":
            return httpx.Response(200, json={"rows": [], "total": 0})
        if path in ("/v1/followups", "/v1/complaints"):  # no review periods here: none due
            return httpx.Response(200, json={"rows": [], "total": 0})
        if path == "/v1/sla/urges":  # no time limits here: nothing warns, nobody is urged
            return httpx.Response(200, json=[])
        if path == "/v1/verification-reviews":  # no evidence here: every served order waits
            rows = [{"order_id": o.id, "version": o.version, "verdict": "incomplete"}
                    for o in self.orders.values() if o.state is OrderState.SERVED]
            return httpx.Response(200, json={"served": len(rows), "rows": rows})
        if path == "/v1/orders" and method == "POST":
            return self._create(actor, body)
        if path == "/v1/orders":
            self.dispatch.tick()  # the backend dispatches every few seconds, here per listing
            states = set(params.get("state", "").split(","))
            rows = [_row(o) for o in self.orders.values() if o.state.value in states]
            return httpx.Response(200, json={"rows": rows[: int(params.get("limit", 100))],
                                             "next_cursor": None, "feed_seq": 0})
        if path == "/v1/technicians":
            return httpx.Response(200, json=[
                {"id": i, "name": t.name, "phone": t.phone, "active": True,
                 "username": t.username if self.shows_usernames else None}
                for i, t in self.technicians.items()
            ])
        if path == "/v1/technicians/me/orders":
            return httpx.Response(200, json=[
                _row(o) for o in self.orders.values()
                if o.technician_id == actor.technician_id and o.state.value in FIELD
            ])
        if path == "/v1/grab/offers":
            return self.dispatch.offers(actor)
        claim = re.fullmatch(r"/v1/grab/offers/(\d+)/claim", path)
        if claim and method == "POST":
            self.acted.append((actor.name, "claim"))
            return self.dispatch.claim(actor, int(claim.group(1)))
        if path == "/v1/dispatch/needs-person":
            return self.dispatch.needs_person()
        if path == "/v1/dispatch/assign" and method == "POST":
            self.acted.append((actor.name, "manual_assign"))
            return self.dispatch.assign(actor, body)
        free = re.fullmatch(r"/v1/technicians/(\d+)/free-windows", path)
        if free:
            return self._free_windows(int(free.group(1)), params)
        m = re.fullmatch(r"/v1/orders/(\d+)(/actions|/candidates|/check-in|/appointment|"
                         r"/virtual-number|/contact-attempts|/complete|/cannot-complete|"
                         r"/verification-review)?", path)
        order = self.orders.get(int(m.group(1))) if m else None
        if m is None or order is None:
            return _problem(404, "no such order")
        if m.group(2) == "/candidates":
            return httpx.Response(200, json=self._candidates(order))
        if m.group(2) == "/actions":
            return self._act(actor, order, body)
        if m.group(2) == "/check-in":
            self.check_ins.append((order.id, body["position"]))
            return self._act(actor, order, {**body, "action": "check_in"}, routed=True)
        if m.group(2) == "/appointment":
            return self._book(actor, order, body)
        if m.group(2) == "/complete":
            return self._act(actor, order, {"action": "complete", "version": body["version"],
                                            "reason": body.get("note", "")}, routed=True)
        if m.group(2) == "/cannot-complete":
            return self._act(actor, order, {"action": "cannot_complete",
                                            "version": body["version"], "reason": body["note"],
                                            "code": body["reason_code"]}, routed=True)
        if m.group(2) == "/verification-review":
            return self._act(actor, order, {
                "action": "verify" if body["approve"] else "freeze",
                "version": body["version"], "reason": body["reason"]}, routed=True)
        if m.group(2) == "/virtual-number":
            return self._virtual_number(actor, order)
        if m.group(2) == "/contact-attempts":
            self.contact_attempts.append((order.id or 0, actor.name, body["reason_code"]))
            return httpx.Response(201, json={"order_id": order.id, **body})
        return httpx.Response(200, json=_row(order) | {"dispatch_mode": order.dispatch_mode})

    def _create(self, actor: Actor, body: dict[str, Any]) -> httpx.Response:
        key = (body["platform"], body["platform_order_id"])
        if any((o.platform, o.platform_order_id) == key for o in self.orders.values()):
            return _problem(409, "duplicate")
        return httpx.Response(201, json=_row(self.receive(OrderCreate.model_validate(body))))

    def receive(self, create: OrderCreate) -> ServiceOrder:
        """Store a new order as the backend would on POST /v1/orders."""
        order_id = len(self.orders) + 1
        fields = create.model_dump(exclude={"items", "lng", "lat"})
        order = ServiceOrder.receive(
            self.users["centre"], datetime.now(UTC), id=order_id, order_no=f"SO{order_id:06d}",
            items=[OrderItem(**i.model_dump()) for i in create.items], **fields,
        )
        order.lng, order.lat = create.lng, create.lat
        self.orders[order_id] = order
        return order

    def _act(self, actor: Actor, order: ServiceOrder, body: dict[str, Any], *,
             routed: bool = False) -> httpx.Response:
        action = body.pop("action")
        if action in ("check_in", "appoint", "complete", "cannot_complete",
                      "verify") and not routed:
            # As the backend: a check-in needs its position, a booking the route that judges it.
            self.side_door.append((actor.name, action))
            return _problem(422, f"{action} has a route of its own")
        body.pop("position", None)
        self.acted.append((actor.name, action))
        if body.pop("version") != order.version:
            return _problem(409, "stale", current_version=order.version)
        if action in self.conflict_on:
            self.conflict_on.discard(action)
            return _problem(409, "stale", current_version=order.version)
        if action in self.reject_on:
            return _problem(422, f"{action} refused")
        reason = body.pop("reason", "")
        for key in ("start", "end"):
            if key in body:
                body[key] = datetime.fromisoformat(body[key])
        try:
            order.perform(action, actor, datetime.now(UTC), reason, **body)
        except Forbidden as exc:
            return _problem(403, str(exc))
        except OrderError as exc:
            return _problem(422, str(exc))
        return httpx.Response(200, json=_row(order))

    def _book(self, actor: Actor, order: ServiceOrder, body: dict[str, Any]) -> httpx.Response:
        """POST .../appointment: a reschedule needs its reason code, the technician must be
        free then; the calls on the order's number so far are kept with the booking."""
        if order.state is OrderState.APPOINTED and not body.get("reason_code"):
            return _problem(422, "a reschedule needs a reason_code")
        start, end = (datetime.fromisoformat(body[k]) for k in ("start", "end"))
        if (start, end) not in self._free(order.technician_id or 0, start, order.id):
            return _problem(409, "the technician is booked then")
        binding = self.bindings.get(order.id or 0)
        calls = [r for r in self.call_records if binding and r["binding_id"] == binding]
        response = self._act(actor, order, {
            "action": "appoint", "version": body["version"], "reason": body.get("reason", ""),
            "start": body["start"], "end": body["end"]}, routed=True)
        if response.status_code == 200:
            self.bookings.append(Booked(order.id or 0, actor.name, start, end,
                                        body.get("reason_code"), calls))
        return response

    def _free(self, technician_id: int, start: datetime,
              order_id: int | None) -> list[tuple[datetime, datetime]]:
        day = start.astimezone(SHANGHAI).date()
        busy = [(o.appointment_start, o.appointment_end) for o in self.orders.values()
                if o.technician_id == technician_id and o.id != order_id
                and o.state in (OrderState.APPOINTED, OrderState.CHECKED_IN)
                and o.appointment_start is not None and o.appointment_end is not None]
        return [(s.start, s.end) for s in free_slots(day, busy, datetime.now(UTC))
                if s.kind is SlotKind.WINDOW]

    def _free_windows(self, technician_id: int, params: dict[str, str]) -> httpx.Response:
        day = date.fromisoformat(params["date"])
        noon = datetime.combine(day, time(12), SHANGHAI)
        order = int(params["for_order"]) if "for_order" in params else None
        return httpx.Response(200, json={"technician_id": technician_id, "date": day.isoformat(),
                                         "busy": [], "free": [
            {"kind": "window", "part": "", "start": s.isoformat(), "end": e.isoformat(),
             "text": ""} for s, e in self._free(technician_id, noon, order)]})

    def _virtual_number(self, actor: Actor, order: ServiceOrder) -> httpx.Response:
        """The number of an accepted order, bound when first asked for (the backend binds it
        at acceptance)."""
        if actor.technician_id != order.technician_id:
            return _problem(403, "not your order")
        if order.state.value not in FIELD - {"assigned"} or not order.customer_phone:
            return httpx.Response(200, json={"order_id": order.id, "status": "none",
                                             "virtual_number": "", "expires_at": None})
        if order.id not in self.bindings:
            tech = self.technicians[order.technician_id or 0]
            bound = self.axb.bind(BindRequest(order.order_no, tech.phone, order.customer_phone,
                                              timedelta(days=7)))
            self.bindings[order.id or 0] = bound.binding_id
        number = self.axb.number_of(self.bindings[order.id or 0])
        return httpx.Response(200, json={"order_id": order.id, "status": "bound",
                                         "virtual_number": number, "expires_at": None})

    def _calls(self, request: httpx.Request) -> httpx.Response:
        signed = SignedRequest({}, {k.lower(): v for k, v in request.headers.items()},
                               request.content)
        if not verify(signed, self.axb.push_secret):
            return _problem(401, "bad signature")
        records = json.loads(request.content)["records"]
        self.call_records.extend(records)
        return httpx.Response(200, json={"taken": len(records), "duplicates": 0,
                                         "unmatched": [], "found_late": 0})

    def _candidates(self, order: ServiceOrder) -> list[dict[str, Any]]:
        return [
            {"technician": {"id": i, "name": t.name, "phone": t.phone, "active": True,
                            "username": t.username},
             "distance_km": 3.0, "skills_ok": set(order.skills) <= set(t.skills),
             "region_ok": True, "has_capacity": True, "score": 1.0, "reasons": ["技能匹配"]}
            for i, t in self.technicians.items()
        ]


@dataclass(frozen=True)
class Booked:
    """A booking taken, and the call records pushed on the order's number before it."""

    order_id: int
    user: str
    start: datetime
    end: datetime
    reason_code: str | None
    calls_before: list[dict[str, Any]]

    def called(self) -> bool:
        """A connected technician's call of at least 10 s before it (what the backend asks)."""
        return any(c["caller_side"] == "technician" and c["connected"]
                   and c["duration_s"] >= 10 for c in self.calls_before)


def _row(order: ServiceOrder) -> dict[str, Any]:
    return {"id": order.id, "order_no": order.order_no, "state": order.state.value,
            "version": order.version, "county_adcode": order.county_adcode,
            "service_type": order.service_type, "technician_id": order.technician_id,
            "dispatch_mode": order.dispatch_mode, "dispatch_note": order.dispatch_note,
            "tags": list(order.tags), "created_at": order.created_at.isoformat(),
            "state_changed_at": (order.state_changed_at or order.created_at).isoformat(),
            "lng": order.lng, "lat": order.lat}


def _problem(status: int, detail: str, **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"title": detail, "status": status, "detail": detail}
                          | extra, headers={"content-type": "application/problem+json"})
